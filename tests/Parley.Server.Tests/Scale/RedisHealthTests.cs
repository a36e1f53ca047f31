using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary><c>/healthz</c> says whether Redis is reachable; <c>/readyz</c> fails once it has not been for <c>Redis:ReadinessTimeoutSeconds</c>.</summary>
[Collection(ScaleTestGroup.Name)]
public sealed class RedisHealthTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Healthz_reports_redis_and_readyz_fails_only_after_the_readiness_timeout()
    {
        await using var nodes = await ParleyNodes.StartAsync(1, output, new Dictionary<string, string?> { ["Redis__ReadinessTimeoutSeconds"] = "6" });
        var node = nodes.A;
        await ParleyNodes.WaitUntilAsync(async () => (await node.GetAsync("/healthz")).Body == "ok\nredis: reachable\n", Patience, "/healthz says redis: reachable");
        Assert.Equal((HttpStatusCode.OK, "ready\n"), await node.GetAsync("/readyz"));

        await nodes.Redis.KillAsync();
        var down = Stopwatch.StartNew();

        // Still live (it serves its own rooms), and it says Redis is gone.
        await ParleyNodes.WaitUntilAsync(async () => (await node.GetAsync("/healthz")) == (HttpStatusCode.OK, "ok\nredis: unreachable\n"), Patience, "/healthz says redis: unreachable");
        // Not yet past the readiness timeout: still ready (checked only if the machine noticed quickly enough to tell).
        var readyz = await node.GetAsync("/readyz");
        if (down.Elapsed < TimeSpan.FromSeconds(4))
        {
            Assert.Equal((HttpStatusCode.OK, "ready\n"), readyz);
        }

        await ParleyNodes.WaitUntilAsync(async () => (await node.GetAsync("/readyz")).Status == HttpStatusCode.ServiceUnavailable, Patience, "/readyz 503");
        // The node counts from the moment its connection dropped, which can come a little before KillAsync returns here.
        Assert.True(down.Elapsed >= TimeSpan.FromSeconds(5), $"/readyz failed {down.Elapsed} after Redis went down, before its 6 s timeout");
        var (_, body) = await node.GetAsync("/readyz");
        Assert.StartsWith("not ready: redis unreachable", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/healthz")).Status);

        // Back: reachable and ready again.
        await nodes.Redis.RestartAsync();
        await ParleyNodes.WaitUntilAsync(async () => (await node.GetAsync("/readyz")) == (HttpStatusCode.OK, "ready\n"), Patience, "/readyz ready again");
        Assert.Equal((HttpStatusCode.OK, "ok\nredis: reachable\n"), await node.GetAsync("/healthz"));
    }
}
