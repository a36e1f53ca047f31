using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// The start-up's garbage is collected once the server listens (StartupMemoryTrim), so an idle server does not keep
/// it resident; what that saves is measured in docs/benchmarks.md, not here.
/// </summary>
public sealed class StartupMemoryTrimTests
{
    [Fact]
    public async Task An_aggressive_collection_runs_once_the_server_has_started()
    {
        var trimmed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gen2Before = GC.CollectionCount(2);
        var hook = new LogEventHook(13, () => trimmed.TrySetResult());
        using var server = new ParleyServer(
            new() { ["Logging:LogLevel:Parley.Server.Hosting.StartupMemoryTrim"] = "Debug" },
            services => services.AddSingleton<ILoggerProvider>(hook));

        await trimmed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // A full, blocking collection happened (the aggressive mode collects every generation).
        Assert.True(GC.CollectionCount(2) > gen2Before);
    }
}
