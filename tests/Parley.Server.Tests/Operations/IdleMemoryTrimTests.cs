using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Hosting;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// When the idle trim collects (IdleMemoryTrim): after enough allocation since the last time, and only in a quiet
/// interval. The checks are fed allocation counts directly, so other tests running meanwhile change nothing; what a
/// trim gives back is measured in docs/benchmarks.md, not here.
/// </summary>
public sealed class IdleMemoryTrimTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public async Task A_quiet_interval_after_enough_allocation_collects_and_then_waits_for_as_much_again()
    {
        using var trim = await StartAsync(megabytes: 64);
        var start = GC.GetTotalAllocatedBytes();

        Assert.False(trim.Check(start + (63 * MiB)));  // not enough since the start
        Assert.False(trim.Check(start + (66 * MiB)));  // enough, but 3 MiB in this interval: busy (a sixty-fourth is 1)
        Assert.False(trim.Check(start + (67 * MiB)));  // 1 MiB: still busy

        var gen2Before = GC.CollectionCount(2);
        Assert.True(trim.Check(start + (67 * MiB) + (MiB / 2))); // enough, and half a MiB in this interval: quiet
        Assert.True(GC.CollectionCount(2) > gen2Before);

        var afterTrim = GC.GetTotalAllocatedBytes();
        Assert.False(trim.Check(afterTrim + (MiB / 2))); // quiet, but nothing new to give back
        Assert.False(trim.Check(afterTrim + MiB));
    }

    [Fact]
    public async Task Steady_load_never_collects()
    {
        using var trim = await StartAsync(megabytes: 64);
        var allocated = GC.GetTotalAllocatedBytes();
        for (var i = 0; i < 100; i++)
        {
            allocated += 2 * MiB; // 1 MiB a second (a few hundred relayed messages): never a quiet interval
            Assert.False(trim.Check(allocated));
        }
    }

    private static async Task<IdleMemoryTrim> StartAsync(int megabytes)
    {
        var trim = new IdleMemoryTrim(Options.Create(new ServerOptions { IdleTrimMegabytes = megabytes }), new FakeTimeProvider(),
            NullLogger<IdleMemoryTrim>.Instance);
        await trim.StartAsync(CancellationToken.None);
        return trim;
    }
}
