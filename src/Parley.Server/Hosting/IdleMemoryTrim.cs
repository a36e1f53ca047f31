using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Gives back what a burst of work left committed once the server goes quiet again, as V8's memory reducer does for
/// Node. Opening thousands of connections allocates far more than they keep (handshakes, joins, their announcements),
/// and the GC sizes its allocation budget from that burst: with nothing allocated afterwards no collection runs, and
/// the budget's memory and the dead objects in it stay resident, about 4 KiB per idle joined connection over the
/// ~6 KiB they hold (dotnet-gcdump and the GC's own figures; docs/benchmarks.md, "Issue 19, third round"). Every
/// <see cref="CheckInterval"/> this looks at how much was allocated: when at least
/// <see cref="ServerOptions.IdleTrimMegabytes"/> have been allocated since the last trim and the last interval was
/// quiet (under a sixty-fourth of that), one aggressive, compacting collection returns the free memory
/// (<see cref="GCCollectionMode.Aggressive"/>, as <see cref="StartupMemoryTrim"/> does once at start). Under steady
/// load an interval is never quiet, so it never runs there; an idle server allocates nothing, so it never runs there
/// either; between the two it runs at most once per that many megabytes allocated.
/// </summary>
internal sealed partial class IdleMemoryTrim(IOptions<ServerOptions> options, TimeProvider time, ILogger<IdleMemoryTrim> logger) : IHostedService, IDisposable
{
    /// <summary>How often the allocation count is read: quiet for this long is quiet enough.</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>
    /// An interval is quiet when it allocated under this fraction of the trim's megabytes: 1 MiB in 2 s by default.
    /// 19,000 idle connections answering heartbeats stay under it; relaying 2,000 messages a second allocates about
    /// 9 MB in 2 s, and anything above a few hundred a second is over it, so a trim's pause does not land in the
    /// middle of steady traffic, and a server that is merely slow trims at most every two minutes.
    /// </summary>
    internal const int QuietFraction = 64;

    private readonly long trimBytes = options.Value.IdleTrimMegabytes * 1024L * 1024L;
    private ITimer? timer;
    private long allocatedAtCheck;
    private long allocatedAtTrim;
    private int checking;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (trimBytes > 0)
        {
            allocatedAtCheck = allocatedAtTrim = GC.GetTotalAllocatedBytes();
            timer = time.CreateTimer(static state => ((IdleMemoryTrim)state!).Check(GC.GetTotalAllocatedBytes()), this, CheckInterval, CheckInterval);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        timer?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => timer?.Dispose();

    /// <summary>One check, given the process's allocated bytes so far; true when it trimmed.</summary>
    internal bool Check(long allocated)
    {
        if (trimBytes == 0)
        {
            return false;
        }

        // A timer's callbacks may overlap when one runs long (a collection of a large heap on a busy machine).
        if (Interlocked.Exchange(ref checking, 1) != 0)
        {
            return false;
        }

        try
        {
            var sinceCheck = allocated - allocatedAtCheck;
            allocatedAtCheck = allocated;
            if (allocated - allocatedAtTrim < trimBytes || sinceCheck >= trimBytes / QuietFraction)
            {
                return false;
            }

            var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
            var started = time.GetTimestamp();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            Trimmed(logger, before / 1024, GC.GetGCMemoryInfo().TotalCommittedBytes / 1024, (long)time.GetElapsedTime(started).TotalMilliseconds);
            allocatedAtTrim = allocatedAtCheck = GC.GetTotalAllocatedBytes();
            return true;
        }
        finally
        {
            Volatile.Write(ref checking, 0);
        }
    }

    [LoggerMessage(14, LogLevel.Debug, "Quiet after a burst: the GC heap went from {BeforeKiB} KiB to {AfterKiB} KiB committed in {Milliseconds} ms")]
    private static partial void Trimmed(ILogger logger, long beforeKiB, long afterKiB, long milliseconds);
}
