using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn.Policy;

/// <summary>
/// A CIDR range over a 128-bit value (IPv4 addresses use the low 32 bits and a separate family flag), so
/// membership tests allocate nothing.
/// </summary>
internal readonly record struct IPRange(bool IsIPv4, UInt128 Prefix, int PrefixLength)
{
    public static IPRange Parse(string cidr)
    {
        IPNetwork network = IPNetwork.Parse(cidr);
        return From(network.BaseAddress, network.PrefixLength);
    }

    public static IPRange From(IPAddress address, int prefixLength)
    {
        (bool v4, UInt128 value) = ToValue(address);
        return new IPRange(v4, Mask(value, v4, prefixLength), prefixLength);
    }

    public static IPRange Single(IPAddress address) =>
        From(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);

    public bool Contains(bool isIPv4, UInt128 value) =>
        isIPv4 == IsIPv4 && Mask(value, isIPv4, PrefixLength) == Prefix;

    public static (bool IsIPv4, UInt128 Value) ToValue(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out int written);
        return written == 4
            ? (true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : (false, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    public static (bool IsIPv4, UInt128 Value) ToValue(in TransportAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        int written = address.WriteAddressBytes(bytes);
        return written == 4
            ? (true, BinaryPrimitives.ReadUInt32BigEndian(bytes))
            : (false, BinaryPrimitives.ReadUInt128BigEndian(bytes));
    }

    private static UInt128 Mask(UInt128 value, bool isIPv4, int prefixLength)
    {
        int width = isIPv4 ? 32 : 128;
        if (prefixLength <= 0)
        {
            return UInt128.Zero;
        }

        if (prefixLength >= width)
        {
            return value;
        }

        UInt128 mask = (UInt128.MaxValue << (width - prefixLength)) & (isIPv4 ? (UInt128)uint.MaxValue : UInt128.MaxValue);
        return value & mask;
    }
}
