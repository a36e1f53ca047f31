using System.ComponentModel.DataAnnotations;

namespace Parley.Scale;

/// <summary>
/// Several nodes sharing rooms through Redis, bound from the <c>Redis</c> section (docs/configuration.md). Off unless
/// <see cref="Configuration"/> is set.
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>127.0.0.1:6379</c>, several endpoints, <c>password=</c>,
    /// <c>ssl=true</c>...). Unset (the default): one node, rooms in process, no Redis needed.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>Starts every key and channel, so several deployments can share one Redis. Defaults to <c>parley</c>.</summary>
    [Required, RegularExpression("^[A-Za-z0-9_.:-]{1,64}$")]
    public string Prefix { get; set; } = "parley";

    /// <summary>Seconds between a node's heartbeats (its key, its rooms' leases and seats). Defaults to 2.</summary>
    [Range(1, 30)]
    public int NodeHeartbeatSeconds { get; set; } = 2;

    /// <summary>
    /// Seconds after its last heartbeat that a node counts as dead: its key expires, the others close the sessions they
    /// carried to it (their clients resume) and its rooms go to whichever node a returning client reaches. Defaults to
    /// 10; with the heartbeat, a death is noticed within 14 s. At least three heartbeats.
    /// </summary>
    [Range(3, 120)]
    public int NodeTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Milliseconds a Redis command may take before it counts as failed (connect, sync and async timeouts). A join
    /// that cannot be decided in time is refused with <c>unavailable</c>, which the SDK retries. Defaults to 1000.
    /// </summary>
    [Range(100, 30000)]
    public int OperationTimeoutMilliseconds { get; set; } = 1000;

    /// <summary>
    /// Milliseconds a message carried between nodes may be old when it arrives: an older one (Redis was paused, a
    /// network stalled) is never delivered late; the session it belongs to is reset and its client resumes. Defaults to 3000.
    /// </summary>
    [Range(100, 60000)]
    public int MessageMaxAgeMilliseconds { get; set; } = 3000;

    /// <summary>Seconds Redis may be unreachable before <c>/readyz</c> fails. Defaults to 10.</summary>
    [Range(1, 3600)]
    public int ReadinessTimeoutSeconds { get; set; } = 10;

    internal bool Enabled => !string.IsNullOrWhiteSpace(Configuration);
}
