using System.Runtime.InteropServices;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// The buffers of one <c>recvmmsg</c> call (Linux): <see cref="Count"/> slots in one pinned array, each with
/// <see cref="IPeerDataSink.RelayHeadroom"/> free bytes before the datagram, and a sender address per slot.
/// Pinned arrays live on the pinned object heap and never move, so the kernel can be given their addresses.
/// One batch per <see cref="UdpEventLoop"/> thread.
/// </summary>
internal sealed class ReceiveBatch
{
    public const int Count = 16;
    public const int AddressCapacity = 28; // sockaddr_in6; sockaddr_in is 16.

    private readonly LinuxNative.IoVector[] _vectors = GC.AllocateArray<LinuxNative.IoVector>(Count, pinned: true);

    public ReceiveBatch(int datagramCapacity)
    {
        DatagramCapacity = datagramCapacity;
        SlotLength = (IPeerDataSink.RelayHeadroom + datagramCapacity + 4 + 63) & ~63;
        Buffer = GC.AllocateUninitializedArray<byte>(SlotLength * Count, pinned: true);
        Addresses = GC.AllocateArray<byte>(AddressCapacity * Count, pinned: true);
        Headers = GC.AllocateArray<LinuxNative.MessageHeader>(Count, pinned: true);
        for (int i = 0; i < Count; i++)
        {
            _vectors[i] = new LinuxNative.IoVector
            {
                Base = Marshal.UnsafeAddrOfPinnedArrayElement(Buffer, DatagramOffset(i)),
                Length = (nuint)datagramCapacity,
            };
            Headers[i] = new LinuxNative.MessageHeader
            {
                Name = Marshal.UnsafeAddrOfPinnedArrayElement(Addresses, i * AddressCapacity),
                NameLength = AddressCapacity,
                IoVectors = Marshal.UnsafeAddrOfPinnedArrayElement(_vectors, i),
                IoVectorCount = 1,
            };
        }
    }

    public int DatagramCapacity { get; }

    public int SlotLength { get; }

    /// <summary>Every slot's bytes.</summary>
    public byte[] Buffer { get; }

    /// <summary>Every slot's sender address (raw sockaddr).</summary>
    public byte[] Addresses { get; }

    public LinuxNative.MessageHeader[] Headers { get; }

    public int DatagramOffset(int slot) => (slot * SlotLength) + IPeerDataSink.RelayHeadroom;

    /// <summary>Before each call: the kernel overwrites the address lengths and flags.</summary>
    public void Reset(int count)
    {
        for (int i = 0; i < count; i++)
        {
            Headers[i].NameLength = AddressCapacity;
            Headers[i].Flags = 0;
            Headers[i].Received = 0;
        }
    }
}
