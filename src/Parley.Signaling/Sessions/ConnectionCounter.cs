using Microsoft.Extensions.Options;

namespace Parley.Signaling.Sessions;

/// <summary>
/// Counts open sockets against a limit: <see cref="SignalingOptions.MaxConnections"/> for <c>/ws</c> and HTTP signaling;
/// a compatibility endpoint (the WebTorrent tracker, PeerJS) keeps a counter of its own with its own limit.
/// </summary>
public sealed class ConnectionCounter
{
    private readonly int max;
    private int count;

    /// <summary>The counter of <c>/ws</c>, bounded by <see cref="SignalingOptions.MaxConnections"/>.</summary>
    public ConnectionCounter(IOptions<SignalingOptions> options)
        : this(options.Value.MaxConnections)
    {
    }

    /// <summary>A counter with a limit of its own, for an endpoint whose sockets do not count against <c>/ws</c>'s.</summary>
    public ConnectionCounter(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        this.max = max;
    }

    /// <summary>The most sockets held at once.</summary>
    public int Max => max;

    public int Count => Volatile.Read(ref count);

    public bool TryAcquire()
    {
        if (Interlocked.Increment(ref count) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref count);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref count);
}
