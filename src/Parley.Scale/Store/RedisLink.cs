using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Parley.Scale.Store;

/// <summary>
/// This node's one connection to Redis (StackExchange.Redis multiplexes every command and subscription over it), its
/// node id, and whether Redis answers. Commands fail fast while disconnected instead of queueing: a join is refused
/// now with <c>unavailable</c> rather than decided late, and nothing queued is delivered stale when Redis returns.
/// </summary>
internal sealed class RedisLink : IAsyncDisposable
{
    private readonly ILogger<RedisLink> logger;
    private readonly TimeProvider time;
    private ConnectionMultiplexer? connection;
    private long unreachableSince;
    private int reachable;

    public RedisLink(IOptions<RedisOptions> options, TimeProvider time, ILogger<RedisLink> logger)
    {
        Options = options.Value;
        this.time = time;
        this.logger = logger;
        Keys = new RedisKeys(Options.Prefix);
        NodeId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        unreachableSince = time.GetTimestamp();
    }

    public RedisOptions Options { get; }

    public RedisKeys Keys { get; }

    /// <summary>Random for each start: a restarted process is a new node, whose old self the others see die.</summary>
    public string NodeId { get; }

    public IDatabase Database => (connection ?? throw new InvalidOperationException("Redis is not connected yet.")).GetDatabase();

    public ISubscriber Subscriber => (connection ?? throw new InvalidOperationException("Redis is not connected yet.")).GetSubscriber();

    /// <summary>True while the last heartbeat was answered.</summary>
    public bool IsReachable => Volatile.Read(ref reachable) == 1;

    /// <summary>How long Redis has not answered; zero while it does.</summary>
    public TimeSpan UnreachableFor => IsReachable ? TimeSpan.Zero : time.GetElapsedTime(Volatile.Read(ref unreachableSince));

    /// <summary>Raised once each time Redis stops answering (a failed connection, a heartbeat that timed out).</summary>
    public event Action? Lost;

    /// <summary>Connects; returns at once if Redis is not there (it keeps trying in the background).</summary>
    public async Task ConnectAsync()
    {
        var configuration = ConfigurationOptions.Parse(Options.Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = Options.OperationTimeoutMilliseconds;
        configuration.SyncTimeout = Options.OperationTimeoutMilliseconds;
        configuration.AsyncTimeout = Options.OperationTimeoutMilliseconds;
        configuration.ClientName ??= "parley-" + NodeId;

        connection = await ConnectionMultiplexer.ConnectAsync(configuration).ConfigureAwait(false);
        connection.ConnectionFailed += (_, failure) => MarkUnreachable($"{failure.ConnectionType} connection failed ({failure.FailureType})");
        ScaleLog.Started(logger, NodeId, string.Join(", ", configuration.EndPoints), Options.Prefix);
    }

    public void MarkReachable()
    {
        if (Interlocked.Exchange(ref reachable, 1) == 0)
        {
            ScaleLog.Reachable(logger);
        }
    }

    public void MarkUnreachable(string reason)
    {
        if (Interlocked.Exchange(ref reachable, 0) == 1)
        {
            Volatile.Write(ref unreachableSince, time.GetTimestamp());
            ScaleLog.Unreachable(logger, reason);
            Lost?.Invoke();
        }
    }

    /// <summary>Unix milliseconds, the clock frames and seats are stamped with (nodes' clocks are assumed NTP-close).</summary>
    public long NowMilliseconds => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async ValueTask DisposeAsync()
    {
        if (connection is not null)
        {
            await connection.CloseAsync().ConfigureAwait(false);
            connection.Dispose();
        }

    }
}
