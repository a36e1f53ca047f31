using System.Net.Sockets;

namespace Parley.Turn.Sockets;

/// <summary>A non-blocking stream socket that a <see cref="UdpEventLoop"/> watches and serves, on the loop's thread.</summary>
internal interface IStreamReceiver
{
    /// <summary>The socket to watch (non-blocking).</summary>
    Socket Socket { get; }

    /// <summary>
    /// The socket is ready: <paramref name="events"/> is epoll's mask (input, output, hang-up, error). Reads what it
    /// can, at most a bounded amount, and flushes its send backlog if it can; returns the messages it handled (for
    /// the loop's <see cref="BatchPacer"/>). Must not block.
    /// </summary>
    int OnReady(uint events);

    /// <summary>Bytes the next read may bring (the room left in the receiver's buffer); 0 when it cannot read now.</summary>
    int ReadRoom { get; }

    /// <summary>
    /// What a read the loop made for it (<see cref="RingReads"/>) brought: <paramref name="data"/>, or for a
    /// <paramref name="result"/> of 0 the peer's close and below 0 a negated error number (EAGAIN: nothing after all).
    /// Returns the messages it handled. Must not block.
    /// </summary>
    int OnRead(ReadOnlySpan<byte> data, int result);
}
