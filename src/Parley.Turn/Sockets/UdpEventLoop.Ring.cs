using System.Net;
using System.Net.Sockets;

namespace Parley.Turn.Sockets;

/// <summary>
/// The loop's io_uring part (Turn:IoUring): a round's reads from sockets that hold little and its sends to many
/// sockets, each made with one <c>io_uring_enter</c> (<see cref="RingReads"/>, <see cref="RingSends"/>).
/// </summary>
internal sealed partial class UdpEventLoop
{
    private readonly List<TcpLoopConnection> _streamFlushes = [];
    private RingSends? _ringSends;
    private RingReads? _ringReads;
    private Action<IDatagramReceiver, byte[], int, int>? _deliver;
    private const uint RingEntries = 256; // Sends per io_uring_enter at most; a round with more submits more than once.

    private void StartRing(int index)
    {
        if (!_ioUring)
        {
            return;
        }

        if (IoUring.TryCreate(RingEntries, out int error) is { } ring)
        {
            _ringSends = new RingSends(ring);
            if (IoUring.TryCreate(RingReads.Count, out error) is { } reads)
            {
                _ringReads = new RingReads(reads);
                _deliver = Deliver;
            }

            UsesIoUring = true;
            TurnLog.IoUringSends(_logger, index);
        }
        else
        {
            TurnLog.IoUringUnavailable(_logger, index, error);
        }
    }

    /// <summary>
    /// Queues the read of a socket that holds little each round (a relay socket, a TCP client with only input to
    /// serve) for the round's one io_uring submission (<see cref="RingReads"/>); false: serve it now.
    /// </summary>
    private bool TryQueueRead(Registration registration, uint events)
    {
        if (_ringReads is not { Broken: false } reads)
        {
            return false;
        }

        if (registration.Stream is { } stream)
        {
            return events == LinuxNative.EpollIn && reads.TryQueue(stream, stream.ReadRoom);
        }

        return registration.Receiver!.FewPerRound && reads.TryQueue(registration.Receiver);
    }

    /// <summary>Sends what the round queued for the ring: the TCP clients' bytes, then every datagram, in one system call.</summary>
    private void FlushRing()
    {
        if (_ringSends is not { } ring)
        {
            return;
        }

        try
        {
            foreach (TcpLoopConnection connection in _streamFlushes)
            {
                connection.FlushThroughRing(ring.Broken ? null : ring);
            }
        }
        finally
        {
            _streamFlushes.Clear();
        }

        if (!ring.Broken)
        {
            ring.Flush(); // A ring that failed once (it threw, and the round was logged) is not used again.
        }
    }

    /// <summary>
    /// On the loop's own thread: queues a datagram from a relay socket to a peer until the end of this round, to be
    /// sent with every other socket's in one <c>io_uring_enter</c>. False: not queued, send it directly.
    /// </summary>
    public bool TryQueueSendTo(Socket socket, SocketAddress to, ReadOnlySpan<byte> datagram) =>
        t_current == this && _ringSends is { Broken: false } ring && ring.TryQueueSendTo(socket, to.Buffer.Span[..to.Size], datagram);

    /// <summary>
    /// On the loop's own thread: the connection's backlog is sent at the end of this round, with the round's other
    /// sends (<see cref="TcpLoopConnection.FlushThroughRing"/>). False: not deferred, send it now.
    /// </summary>
    public bool TryDeferFlush(TcpLoopConnection connection)
    {
        if (t_current != this || _ringSends is not { Broken: false })
        {
            return false;
        }

        _streamFlushes.Add(connection);
        return true;
    }
}
