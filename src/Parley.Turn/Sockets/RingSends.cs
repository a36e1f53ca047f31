using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Turn.Sockets;

/// <summary>Told how a send queued with <see cref="RingSends.TryQueueSend"/> went, on the loop's thread.</summary>
internal interface IRingSendOwner
{
    /// <param name="result">Bytes sent, or a negated error number (-<see cref="RingSends.ErrorAgain"/>: the socket could take nothing now).</param>
    void OnRingSent(int result);
}

/// <summary>
/// The sends of one <see cref="UdpEventLoop"/> round to many sockets (relayed datagrams to peers, each from its own
/// relay socket, and TCP clients' queued bytes), made with one <c>io_uring_enter</c> at the end of the round instead of
/// one system call each. Messages are copied into pinned slots (the receive buffers are reused by the next read); each
/// socket's handle is referenced from queueing to completion, so its fd number cannot be closed and reused by another
/// socket meanwhile. Every send is non-blocking (MSG_DONTWAIT): it completes while being submitted. Loop thread only.
/// </summary>
internal sealed class RingSends : IDisposable
{
    public const int SlotLength = 2048;

    /// <summary>EAGAIN: the socket could take nothing now.</summary>
    public const int ErrorAgain = 11;
    private const int AddressCapacity = 28;
    private const uint DontWait = LinuxNative.MsgDontWait | 0x4000; // MSG_DONTWAIT | MSG_NOSIGNAL

    private static readonly Action<RingSends, ulong, int> s_completed = static (sends, slot, result) => sends.Complete((int)slot, result);

    private readonly IoUring _ring;
    private readonly int _count;
    private readonly byte[] _buffer;
    private readonly byte[] _addresses;
    private readonly LinuxNative.IoVector[] _vectors;
    private readonly LinuxNative.MessageHeader[] _headers;
    private readonly SafeSocketHandle?[] _handles;
    private readonly IRingSendOwner?[] _owners;
    private int _queued;

    public RingSends(IoUring ring)
    {
        _ring = ring;
        _count = (int)ring.Entries;
        _buffer = GC.AllocateUninitializedArray<byte>(_count * SlotLength, pinned: true);
        _addresses = GC.AllocateArray<byte>(_count * AddressCapacity, pinned: true);
        _vectors = GC.AllocateArray<LinuxNative.IoVector>(_count, pinned: true);
        _headers = GC.AllocateArray<LinuxNative.MessageHeader>(_count, pinned: true);
        _handles = new SafeSocketHandle?[_count];
        _owners = new IRingSendOwner?[_count];
        for (int i = 0; i < _count; i++)
        {
            _vectors[i].Base = Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, i * SlotLength);
            _headers[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, i * AddressCapacity);
            _headers[i].IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_vectors, i);
            _headers[i].IoVectorCount = 1;
        }
    }

    /// <summary>Sends queued and not yet flushed.</summary>
    public int Queued => _queued;

    /// <summary>
    /// Queues one datagram from <paramref name="socket"/> to the address <paramref name="to"/> (a <c>sockaddr</c>);
    /// false if it does not fit a slot or the socket is closed (send it directly, or not at all).
    /// </summary>
    public bool TryQueueSendTo(Socket socket, ReadOnlySpan<byte> to, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > SlotLength || to.Length > AddressCapacity || !TryTake(socket, null, out int slot, out int fd))
        {
            return false;
        }

        datagram.CopyTo(_buffer.AsSpan(slot * SlotLength));
        to.CopyTo(_addresses.AsSpan(slot * AddressCapacity));
        _vectors[slot].Length = (nuint)datagram.Length;
        _headers[slot].NameLength = to.Length;
        // As many entries as slots: never full here.
        _ = _ring.TryQueue(IoUring.OpSendMessage, fd, Marshal.UnsafeAddrOfPinnedArrayElement(_headers, slot), 1, DontWait, (ulong)slot);
        return true;
    }

    /// <summary>
    /// Queues the first bytes of <paramref name="bytes"/> (at most <see cref="SlotLength"/>) to a stream socket;
    /// <paramref name="owner"/> hears how many left. False if the socket is closed.
    /// </summary>
    public bool TryQueueSend(Socket socket, ReadOnlySpan<byte> bytes, IRingSendOwner owner)
    {
        if (!TryTake(socket, owner, out int slot, out int fd))
        {
            return false;
        }

        int length = Math.Min(bytes.Length, SlotLength);
        bytes[..length].CopyTo(_buffer.AsSpan(slot * SlotLength));
        // As many entries as slots: never full here.
        _ = _ring.TryQueue(IoUring.OpSend, fd, _vectors[slot].Base, (uint)length, DontWait, (ulong)slot);
        return true;
    }

    /// <summary>Submits what is queued with one system call and hands each owner its result. A refused submission drops the datagrams (UDP semantics) and reports EAGAIN to stream owners.</summary>
    public void Flush()
    {
        if (_queued == 0)
        {
            return;
        }

        try
        {
            if (!_ring.SubmitAndWait(this, s_completed))
            {
                for (int slot = 0; slot < _queued; slot++)
                {
                    Complete(slot, -ErrorAgain);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // Sends in flight that never completed: their handles stay referenced (leaked rather than reused).
            Broken = true;
            throw;
        }
        finally
        {
            _queued = 0;
        }
    }

    /// <summary>The kernel stopped completing this ring's sends: the loop goes back to system calls.</summary>
    public bool Broken { get; private set; }

    private bool TryTake(Socket socket, IRingSendOwner? owner, out int slot, out int fd)
    {
        slot = fd = 0;
        if (_queued == _count)
        {
            Flush();
        }

        if (!SocketReference.TryAdd(socket, out SafeSocketHandle handle, out fd))
        {
            return false;
        }

        slot = _queued++;
        _handles[slot] = handle;
        _owners[slot] = owner;
        return true;
    }


    private void Complete(int slot, int result)
    {
        IRingSendOwner? owner = _owners[slot];
        _owners[slot] = null;
        _handles[slot]?.DangerousRelease();
        _handles[slot] = null;
        owner?.OnRingSent(result);
    }

    public void Dispose() => _ring.Dispose();
}
