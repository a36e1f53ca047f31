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
}
