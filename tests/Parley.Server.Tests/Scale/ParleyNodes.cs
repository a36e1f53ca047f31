using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// Several Parley nodes (real processes, <see cref="ParleyNode"/>) sharing rooms through one real
/// <see cref="RedisServer"/>, under a key prefix of their own (a fresh one per test). Heartbeats are quick
/// (1 s, dead after 5 s) so a node's death is noticed within seconds. On dispose everything is stopped and, for a
/// failing test's report, every node's and Redis's output goes to the test's output.
/// </summary>
/// <remarks>
/// With <c>PARLEY_SCALE_WITHOUT_REDIS=1</c> in the environment the nodes start without <c>Redis__Configuration</c>:
/// independent single nodes. Every scale test must then fail; that is how each was checked to test the feature.
/// </remarks>
public sealed class ParleyNodes : IAsyncDisposable
{
    private readonly ITestOutputHelper? log;

    private ParleyNodes(RedisServer redis, string prefix, IReadOnlyList<ParleyNode> nodes, ITestOutputHelper? log)
    {
        Redis = redis;
        Prefix = prefix;
        Nodes = nodes;
        this.log = log;
    }

    public RedisServer Redis { get; }

    /// <summary>The nodes' <c>Redis:Prefix</c>: every key they write starts with it.</summary>
    public string Prefix { get; }

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
        var prefix = "test-" + Guid.NewGuid().ToString("N")[..12];
        var environment = new Dictionary<string, string?>
        {
            ["Redis__Configuration"] = WithoutRedis ? null : redis.Configuration,
            ["Redis__Prefix"] = prefix,
            ["Redis__NodeHeartbeatSeconds"] = "1",
            // On the shared 2-core test machine (load average 35-45 while other suites ran) a node's process stalled for
            // seconds: with 3 s its own heartbeat key expired under it. 5 s still notices a death within 7 s.
            ["Redis__NodeTimeoutSeconds"] = "5",
            // There too, a fresh process's first Redis calls (JIT, script load) took over 1 s; 2.5 s keeps the default's
            // meaning (a stalled Redis fails commands well within a 5 s pause, before MessageMaxAge, 3 s) without that noise.
            ["Redis__OperationTimeoutMilliseconds"] = "2500",
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
            return new ParleyNodes(redis, prefix, await Task.WhenAll(starting), log);
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

    /// <summary>
    /// Waits until Redis again says which node serves each of <paramref name="rooms"/> rooms (their owner keys, written
    /// anew by the owners' heartbeats after Redis restarted empty), and holds at least <paramref name="seats"/> seats in all,
    /// and, with <paramref name="inboxes"/>, every node listens on its inbox again (a test that sends between nodes at once).
    /// </summary>
    public Task WaitUntilReassertedAsync(int rooms, int seats, bool inboxes = true) => WaitUntilAsync(async () =>
    {
        if (inboxes && (await Redis.CliAsync("PUBSUB", "CHANNELS", Prefix + ":inbox:*")).Count < Nodes.Count)
        {
            return false;
        }

        var owners = await Redis.CliAsync("--scan", "--pattern", Prefix + ":*:owner");
        var seatKeys = await Redis.CliAsync("--scan", "--pattern", Prefix + ":*:seats");
        var taken = 0;
        foreach (var key in seatKeys)
        {
            taken += int.Parse((await Redis.CliAsync("ZCARD", key)).Single(), CultureInfo.InvariantCulture);
        }

        return owners.Count >= rooms && taken >= seats;
    }, TimeSpan.FromSeconds(20), $"{rooms} room(s) and {seats} seat(s) re-asserted in Redis, every node's inbox subscribed");

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
