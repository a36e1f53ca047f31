using Microsoft.Extensions.Options;

namespace Parley.Signaling.Sessions;

/// <summary>Counts open signaling sockets against <see cref="SignalingOptions.MaxConnections"/>.</summary>
public sealed class ConnectionCounter
{
    private readonly int max;
    private int count;

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
