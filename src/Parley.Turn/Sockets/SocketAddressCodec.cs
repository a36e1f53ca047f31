using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn.Sockets;

/// <summary>
/// Converts between <see cref="SocketAddress"/> (the raw sockaddr the allocation-free socket APIs use) and
/// <see cref="TransportAddress"/> without allocating: sockaddr_in/sockaddr_in6 keep the port (network order)
/// at offset 2 and the address at offset 4 (IPv4) or 8 (IPv6) on every platform .NET supports.
/// </summary>
internal static class SocketAddressCodec
{
    private static readonly byte[] MappedPrefix = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF];

    /// <summary>Reads a socket address; IPv4-mapped IPv6 (from a dual-stack socket) becomes IPv4.</summary>
    public static TransportAddress Read(SocketAddress address)
    {
        ReadOnlySpan<byte> buffer = address.Buffer.Span;
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            ReadOnlySpan<byte> bytes = buffer.Slice(8, 16);
            return bytes.StartsWith(MappedPrefix)
                ? TransportAddress.FromBytes(StunAddressFamily.IPv4, bytes[12..], port)
                : TransportAddress.FromBytes(StunAddressFamily.IPv6, bytes, port);
        }

        return TransportAddress.FromBytes(StunAddressFamily.IPv4, buffer.Slice(4, 4), port);
    }

    /// <summary>Writes <paramref name="value"/> into <paramref name="address"/> (of the socket's family; IPv4 is mapped on an IPv6 socket).</summary>
    public static void Write(in TransportAddress value, SocketAddress address)
    {
        Span<byte> buffer = address.Buffer.Span;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], value.Port);
        if (address.Family == AddressFamily.InterNetworkV6)
        {
            Span<byte> bytes = buffer.Slice(8, 16);
            if (value.Family == StunAddressFamily.IPv4)
            {
                MappedPrefix.CopyTo(bytes);
                value.WriteAddressBytes(bytes[12..]);
            }
            else
            {
                value.WriteAddressBytes(bytes);
            }

            return;
        }

        value.WriteAddressBytes(buffer.Slice(4, 4));
    }

    public static SocketAddress Create(in TransportAddress value, AddressFamily family)
    {
        var address = new SocketAddress(family, family == AddressFamily.InterNetworkV6 ? 28 : 16);
        Write(value, address);
        return address;
    }
}
