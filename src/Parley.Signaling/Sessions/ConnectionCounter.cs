using Microsoft.Extensions.Options;

namespace Parley.Signaling.Sessions;

/// <summary>Counts open signaling sockets against <see cref="SignalingOptions.MaxConnections"/>.</summary>
public sealed class ConnectionCounter(IOptions<SignalingOptions> options)
{
    private readonly int max = options.Value.MaxConnections;
    private int count;

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
