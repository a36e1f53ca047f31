using System.Net.Sockets;
using System.Runtime.InteropServices;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// The reads of one <see cref="UdpEventLoop"/> round from sockets that hold little each (relay sockets, about one
/// datagram a round; TCP clients, about one message), made with one <c>io_uring_enter</c> instead of one
/// <c>recvmmsg</c> or <c>recv</c> each. Each read is non-blocking (MSG_DONTWAIT): it completes while being submitted,
/// empty (EAGAIN) if the socket had nothing after all. A socket that holds more is reported again by epoll
/// (level-triggered). Results are handed out in the order the reads were queued, after all completed. Pinned slots as
/// in <see cref="RingSends"/>; handles referenced from queueing to completion. Loop thread only.
/// </summary>
internal sealed class RingReads : IDisposable
{
    public const int Count = 64;

    /// <summary>
    /// Reads queued per datagram socket and pass: a relay socket's peers often answer together, so two reads in a pass
    /// save a pass (an <c>io_uring_enter</c>) where one would need another; an empty read costs far less than a pass.
    /// </summary>
    public const int ReadsPerSocket = 2;

    /// <summary>Passes per round at most (each pass reads again every socket whose last read in the previous one gave a datagram).</summary>
    public const int MaxPasses = 8;
    private const int AddressCapacity = 28;
    private const uint DontWait = LinuxNative.MsgDontWait;

    /// <summary>The largest datagram a relay socket accepts, and one byte more to tell a larger one apart.</summary>
    private const int Capacity = TurnRequestHandler.MaxRelayDatagram + 1;

    private const int SlotLength = (IPeerDataSink.RelayHeadroom + Capacity + 63) & ~63;

    private static readonly Action<RingReads, ulong, int> s_completed = static (reads, slot, result) => reads._results[(int)slot] = result;

    private readonly IoUring _ring;
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(Count * SlotLength, pinned: true);
    private readonly byte[] _addresses = GC.AllocateArray<byte>(Count * AddressCapacity, pinned: true);
    private readonly LinuxNative.IoVector[] _vectors = GC.AllocateArray<LinuxNative.IoVector>(Count, pinned: true);
    private readonly LinuxNative.MessageHeader[] _headers = GC.AllocateArray<LinuxNative.MessageHeader>(Count, pinned: true);
    private readonly SafeSocketHandle?[] _handles = new SafeSocketHandle?[Count];
    private readonly IDatagramReceiver?[] _datagrams = new IDatagramReceiver?[Count];
    private readonly IStreamReceiver?[] _streams = new IStreamReceiver?[Count];
    private readonly int[] _results = new int[Count];
    private readonly int[] _requested = new int[Count];
    private readonly IDatagramReceiver?[] _again = new IDatagramReceiver?[Count];
    private int _queued;

    public RingReads(IoUring ring)
    {
        _ring = ring;
        for (int i = 0; i < Count; i++)
        {
            _vectors[i].Base = Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, Offset(i));
            _vectors[i].Length = Capacity;
            _headers[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, i * AddressCapacity);
            _headers[i].IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_vectors, i);
            _headers[i].IoVectorCount = 1;
        }
    }

    /// <summary>The kernel stopped completing this ring's reads: the loop goes back to system calls.</summary>
    public bool Broken { get; private set; }

    /// <summary>
    /// Queues <see cref="ReadsPerSocket"/> datagram reads from <paramref name="receiver"/> (fewer if the slots run out);
    /// false when no slot is free or the socket closed.
    /// </summary>
    public bool TryQueue(IDatagramReceiver receiver)
    {
        int queued = 0;
        while (queued < ReadsPerSocket && TryTake(receiver.Socket, out int slot, out int fd))
        {
            _datagrams[slot] = receiver;
            _headers[slot].NameLength = AddressCapacity;
            _headers[slot].Flags = 0;
            // As many entries as slots: never full here.
            _ = _ring.TryQueue(IoUring.OpReceiveMessage, fd, Marshal.UnsafeAddrOfPinnedArrayElement(_headers, slot), 1, DontWait, (ulong)slot);
            queued++;
        }

        return queued > 0;
    }

    /// <summary>Queues a read of at most <paramref name="room"/> bytes from <paramref name="receiver"/>; false as above.</summary>
    public bool TryQueue(IStreamReceiver receiver, int room)
    {
        if (room <= 0 || !TryTake(receiver.Socket, out int slot, out int fd))
        {
            return false;
        }

        _streams[slot] = receiver;
        _requested[slot] = Math.Min(room, Capacity);
        // As many entries as slots: never full here.
        _ = _ring.TryQueue(IoUring.OpReceive, fd, _vectors[slot].Base, (uint)_requested[slot], DontWait, (ulong)slot);
        return true;
    }

    /// <summary>
    /// Submits the queued reads with one system call and hands each result to its receiver, in queueing order:
    /// <paramref name="deliver"/> for a datagram (the sender's address already in its receive address), the stream's
    /// <see cref="IStreamReceiver.OnRead"/> for stream bytes. A relay socket often holds several datagrams at once (its
    /// peers answer the same round's sends together), so each socket that gave one is read again in a next pass, with
    /// one submission for all of them, until none gives more or <see cref="MaxPasses"/> passes have run. Returns the
    /// datagrams and messages handled, and whether a socket may still hold more than this round's share (<paramref name="full"/>).
    /// </summary>
    public int Complete(Action<IDatagramReceiver, byte[], int, int> deliver, out bool full)
    {
        full = false;
        int handled = 0;
        for (int pass = 0; _queued > 0; pass++)
        {
            if (pass == MaxPasses)
            {
                full = true; // Epoll reports the socket again; the loop does not wait before it does.
                Drop();
                break;
            }

            handled += CompletePass(deliver, ref full);
        }

        return handled;
    }

    private int CompletePass(Action<IDatagramReceiver, byte[], int, int> deliver, ref bool full)
    {
        try
        {
            if (!_ring.SubmitAndWait(this, s_completed))
            {
                _results.AsSpan(0, _queued).Fill(-RingSends.ErrorAgain);
            }
        }
        catch (InvalidOperationException)
        {
            Broken = true; // The reads in flight keep their handles referenced, and their slots are never reused.
            _queued = 0;
            throw;
        }

        int queued = _queued;
        int again = 0;
        int handled = 0;
        _queued = 0;
        for (int slot = 0; slot < queued; slot++)
        {
            int result = _results[slot];
            _handles[slot]!.DangerousRelease();
            _handles[slot] = null;
            if (_datagrams[slot] is { } receiver)
            {
                _datagrams[slot] = null;
                if (result < 0)
                {
                    continue; // Empty (EAGAIN), or an ICMP error consumed.
                }

                if (slot + 1 == queued || !ReferenceEquals(_datagrams[slot + 1], receiver))
                {
                    _again[again++] = receiver; // Its last read of the pass gave a datagram: it may hold more.
                }

                if ((_headers[slot].Flags & LinuxNative.MsgTrunc) == 0)
                {
                    handled++;
                    int length = Math.Min(Math.Min(_headers[slot].NameLength, AddressCapacity), receiver.ReceiveAddress.Buffer.Length);
                    _addresses.AsSpan(slot * AddressCapacity, length).CopyTo(receiver.ReceiveAddress.Buffer.Span);
                    deliver(receiver, _buffer, Offset(slot), result);
                }
            }
            else if (_streams[slot] is { } stream)
            {
                _streams[slot] = null;
                full |= result == _requested[slot];
                handled += stream.OnRead(_buffer.AsSpan(Offset(slot), Math.Max(result, 0)), result);
            }
        }

        for (int i = 0; i < again; i++)
        {
            _ = TryQueue(_again[i]!);
            _again[i] = null;
        }

        return handled;
    }

    /// <summary>Forgets the reads queued and not submitted.</summary>
    private void Drop()
    {
        for (int slot = 0; slot < _queued; slot++)
        {
            _handles[slot]!.DangerousRelease();
            _handles[slot] = null;
            _datagrams[slot] = null;
            _streams[slot] = null;
        }

        _ring.Discard();
        _queued = 0;
    }

    private static int Offset(int slot) => (slot * SlotLength) + IPeerDataSink.RelayHeadroom;

    private bool TryTake(Socket socket, out int slot, out int fd)
    {
        slot = fd = 0;
        if (_queued == Count)
        {
            return false;
        }

        if (!SocketReference.TryAdd(socket, out SafeSocketHandle handle, out fd))
        {
            return false;
        }

        slot = _queued++;
        _handles[slot] = handle;
        return true;
    }


    public void Dispose() => _ring.Dispose();
}
