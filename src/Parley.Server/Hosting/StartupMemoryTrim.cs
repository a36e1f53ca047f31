namespace Parley.Server.Hosting;

/// <summary>
/// Gives back the start-up's garbage once the server is listening. Building the configuration, the services and the
/// options checks allocates some 20 MB that is dead by the time Kestrel listens; the GC keeps the space it freed
/// committed as allocation budget for what comes next, and an idle server never uses it, so it would stay resident
/// (docs/benchmarks.md, "Start-up and memory of the native binary"). One aggressive, compacting collection right after
/// start (<see cref="GCCollectionMode.Aggressive"/>: decommit what is free) returns it to the system; under load the
/// GC grows its budget again as usual.
/// </summary>
internal sealed partial class StartupMemoryTrim(IHostApplicationLifetime lifetime, ILogger<StartupMemoryTrim> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // After the listeners and every other hosted service started; off the thread that runs the Started callbacks.
        lifetime.ApplicationStarted.Register(static state => ThreadPool.UnsafeQueueUserWorkItem(
            static trim => trim.Trim(), (StartupMemoryTrim)state!, preferLocal: false), this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    internal void Trim()
    {
        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Trimmed(logger, before / 1024, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024);
    }

    [LoggerMessage(13, LogLevel.Debug, "Start-up garbage collected: the GC heap went from {BeforeKiB} KiB to {AfterKiB} KiB committed")]
    private static partial void Trimmed(ILogger logger, long beforeKiB, long afterKiB);
}
