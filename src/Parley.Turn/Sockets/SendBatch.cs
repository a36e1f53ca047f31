using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Parley.Turn.Sockets;

/// <summary>
/// Datagrams to clients queued by one <see cref="UdpEventLoop"/> thread during one epoll round and sent with one
/// <c>sendmmsg</c> per socket (Linux): a round that relays several peers' packets to clients on the same
/// listener socket costs one system call instead of one per packet. Messages are copied into pinned slots
/// (the receive buffers are reused by the next read); a message too large for a slot is not queued.
/// </summary>
internal sealed class SendBatch
{
    public const int Count = 32;
    public const int SlotLength = 2048;
    private const int AddressCapacity = 28;

    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(Count * SlotLength, pinned: true);
    private readonly byte[] _addresses = GC.AllocateArray<byte>(Count * AddressCapacity, pinned: true);
    private readonly LinuxNative.IoVector[] _vectors = GC.AllocateArray<LinuxNative.IoVector>(Count, pinned: true);
    private readonly LinuxNative.MessageHeader[] _headers = GC.AllocateArray<LinuxNative.MessageHeader>(Count, pinned: true);
    private Socket? _socket;
    private int _count;

    public SendBatch()
    {
        for (int i = 0; i < Count; i++)
        {
            _vectors[i].Base = Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, i * SlotLength);
            _headers[i].Name = Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, i * AddressCapacity);
            _headers[i].IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_vectors, i);
            _headers[i].IoVectorCount = 1;
        }
    }

    /// <summary>Queues one datagram; false if it does not fit a slot (send it directly).</summary>
    public bool TryAdd(Socket socket, SocketAddress to, ReadOnlySpan<byte> message)
    {
        if (message.Length > SlotLength || to.Size > AddressCapacity)
        {
            return false;
        }

        if (_count > 0 && !ReferenceEquals(_socket, socket))
        {
            Flush();
        }

        _socket = socket;
        int i = _count++;
        message.CopyTo(_buffer.AsSpan(i * SlotLength));
        to.Buffer.Span[..to.Size].CopyTo(_addresses.AsSpan(i * AddressCapacity));
        _vectors[i].Length = (nuint)message.Length;
        _headers[i].NameLength = to.Size;
        if (_count == Count)
        {
            Flush();
        }

        return true;
    }

    /// <summary>Sends what is queued. A datagram the kernel refuses is dropped (UDP semantics), the rest still go.</summary>
    public void Flush()
    {
        if (_count == 0 || _socket is not { } socket)
        {
            return;
        }

        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            int done = 0;
            while (done < _count)
            {
                int sent = LinuxNative.SendMessages(fd, _headers.AsSpan(done), (uint)(_count - done), 0);
                done += sent > 0 ? sent : 1;
            }
        }
        catch (ObjectDisposedException)
        {
            // The socket closed while datagrams were queued: they are lost, as they would be on the wire.
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }

            _count = 0;
            _socket = null;
        }
    }
}
