using Parley.Scale.Store;

namespace Parley.Scale;

/// <summary>What <c>/healthz</c> and <c>/readyz</c> say about Redis.</summary>
public sealed class RedisHealth
{
    private readonly RedisLink link;

    internal RedisHealth(RedisLink link) => this.link = link;

    /// <summary>One line for <c>/healthz</c>: <c>redis: reachable</c> or <c>redis: unreachable</c>.</summary>
    public string Describe() => link.IsReachable ? "redis: reachable" : "redis: unreachable";

    /// <summary>Why this node is not ready: Redis unreachable for longer than <see cref="RedisOptions.ReadinessTimeoutSeconds"/>; null otherwise.</summary>
    public string? NotReadyReason() =>
        !link.IsReachable && link.UnreachableFor.TotalSeconds >= link.Options.ReadinessTimeoutSeconds
            ? $"redis unreachable for {link.UnreachableFor.TotalSeconds:0} s"
            : null;
}
