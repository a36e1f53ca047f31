using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// Several Parley nodes (real processes, <see cref="ParleyNode"/>) sharing rooms through one real
/// <see cref="RedisServer"/>, under a key prefix of their own (a fresh one per test). Heartbeats are quick
/// (1 s, dead after 3 s) so a node's death is noticed within seconds. On dispose everything is stopped and, for a
/// failing test's report, every node's and Redis's output goes to the test's output.
/// </summary>
/// <remarks>
/// With <c>PARLEY_SCALE_WITHOUT_REDIS=1</c> in the environment the nodes start without <c>Redis__Configuration</c>:
/// independent single nodes. Every scale test must then fail; that is how each was checked to test the feature.
/// </remarks>
public sealed class ParleyNodes : IAsyncDisposable
{
    private readonly ITestOutputHelper? log;

    private ParleyNodes(RedisServer redis, IReadOnlyList<ParleyNode> nodes, ITestOutputHelper? log)
    {
        Redis = redis;
        Nodes = nodes;
        this.log = log;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<ParleyNode> Nodes { get; }

    public ParleyNode A => Nodes[0];

    public ParleyNode B => Nodes[1];

    public ParleyNode C => Nodes[2];

    /// <summary>Whether this run checks the tests themselves: nodes without Redis (see the remarks).</summary>
    public static bool WithoutRedis => Environment.GetEnvironmentVariable("PARLEY_SCALE_WITHOUT_REDIS") == "1";

    /// <summary>
    /// Starts redis-server and <paramref name="count"/> nodes on it (in parallel); returns once every node answers
    /// /healthz. <paramref name="settings"/> are more environment variables (<c>Redis__ReadinessTimeoutSeconds</c>...),
    /// overriding the defaults here.
    /// </summary>
    public static async Task<ParleyNodes> StartAsync(int count, ITestOutputHelper? log = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var redis = await RedisServer.StartAsync();
        var environment = new Dictionary<string, string?>
        {
            ["Redis__Configuration"] = WithoutRedis ? null : redis.Configuration,
            ["Redis__Prefix"] = "test-" + Guid.NewGuid().ToString("N")[..12],
            ["Redis__NodeHeartbeatSeconds"] = "1",
            ["Redis__NodeTimeoutSeconds"] = "3",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var starting = Enumerable.Range(0, count)
            .Select(i => ParleyNode.StartAsync(((char)('A' + i)).ToString(), environment))
            .ToList();
        try
        {
            return new ParleyNodes(redis, await Task.WhenAll(starting), log);
        }
        catch
        {
            foreach (var node in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await node.Result.DisposeAsync();
            }

            await redis.DisposeAsync();
            throw;
        }
    }

    /// <summary>Everything the nodes and Redis wrote so far.</summary>
    public string Output => string.Join(Environment.NewLine, Nodes.Select(n => n.Output).Append("[redis]" + Environment.NewLine + Redis.Output));

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; fails after <paramref name="timeout"/> with <paramref name="what"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new Xunit.Sdk.XunitException(string.Create(CultureInfo.InvariantCulture, $"Not within {timeout.TotalSeconds} s: {what}"));
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
        log?.WriteLine(Output);
    }
}
