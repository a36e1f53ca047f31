using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Parley.Stun;

/// <summary>
/// An IP address and port as STUN carries them (RFC 8489 §14.1 "transport address"), stored inline so
/// parsing address attributes allocates nothing. Equatable and hashable, for permission and channel tables.
/// IPv6 scope IDs are not carried on the wire and are dropped.
/// </summary>
public readonly struct TransportAddress : IEquatable<TransportAddress>
{
    private readonly ulong _upper;
    private readonly ulong _lower;

    private TransportAddress(StunAddressFamily family, ulong upper, ulong lower, ushort port)
    {
        Family = family;
        _upper = upper;
        _lower = lower;
        Port = port;
    }

    /// <summary>From an IPv4 or IPv6 address and a port.</summary>
    /// <exception cref="ArgumentException">The address is neither IPv4 nor IPv6.</exception>
    public TransportAddress(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out int written) || (written != 4 && written != 16))
        {
            throw new ArgumentException("Only IPv4 and IPv6 addresses are supported.", nameof(address));
        }

        this = FromBytes(written == 4 ? StunAddressFamily.IPv4 : StunAddressFamily.IPv6, bytes[..written], port);
    }

    /// <summary>From an IP end point.</summary>
    public TransportAddress(IPEndPoint endPoint)
        : this((endPoint ?? throw new ArgumentNullException(nameof(endPoint))).Address, (ushort)endPoint.Port)
    {
    }

    /// <summary>IPv4 or IPv6; <see cref="StunAddressFamily.None"/> for <c>default</c>.</summary>
    public StunAddressFamily Family { get; }

    /// <summary>The port.</summary>
    public ushort Port { get; }

    /// <summary>4 for IPv4, 16 for IPv6, 0 for <c>default</c>.</summary>
    public int AddressLength => Family switch
    {
        StunAddressFamily.IPv4 => 4,
        StunAddressFamily.IPv6 => 16,
        _ => 0,
    };

    /// <summary>From raw address bytes (4 for IPv4, 16 for IPv6) in network order.</summary>
    /// <exception cref="ArgumentException">The length does not match the family.</exception>
    public static TransportAddress FromBytes(StunAddressFamily family, ReadOnlySpan<byte> address, ushort port)
    {
        return family switch
        {
            StunAddressFamily.IPv4 when address.Length == 4 =>
                new(family, 0, BinaryPrimitives.ReadUInt32BigEndian(address), port),
            StunAddressFamily.IPv6 when address.Length == 16 =>
                new(family, BinaryPrimitives.ReadUInt64BigEndian(address), BinaryPrimitives.ReadUInt64BigEndian(address[8..]), port),
            _ => throw new ArgumentException("Address length does not match the family.", nameof(address)),
        };
    }

    /// <summary>Writes the address bytes (network order) and returns how many (4 or 16).</summary>
    public int WriteAddressBytes(Span<byte> destination)
    {
        switch (Family)
        {
            case StunAddressFamily.IPv4:
                BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)_lower);
                return 4;
            case StunAddressFamily.IPv6:
                BinaryPrimitives.WriteUInt64BigEndian(destination, _upper);
                BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _lower);
                return 16;
            default:
                return 0;
        }
    }

    /// <summary>The address as an <see cref="IPAddress"/> (allocates).</summary>
    public IPAddress ToIPAddress()
    {
        Span<byte> bytes = stackalloc byte[16];
        int length = WriteAddressBytes(bytes);
        return length == 0 ? IPAddress.None : new IPAddress(bytes[..length]);
    }

    /// <summary>The address as an <see cref="IPEndPoint"/> (allocates).</summary>
    public IPEndPoint ToIPEndPoint() => new(ToIPAddress(), Port);

    /// <summary>The address family as <see cref="AddressFamily"/>.</summary>
    public AddressFamily AddressFamily => Family == StunAddressFamily.IPv6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;

    /// <inheritdoc />
    public bool Equals(TransportAddress other) =>
        Family == other.Family && Port == other.Port && _upper == other._upper && _lower == other._lower;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TransportAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Family, Port, _upper, _lower);

    /// <summary>"192.0.2.1:32853" or "[2001:db8::1]:32853".</summary>
    public override string ToString() => Family == StunAddressFamily.None ? "(none)" : ToIPEndPoint().ToString();

    /// <summary>Equality.</summary>
    public static bool operator ==(TransportAddress left, TransportAddress right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(TransportAddress left, TransportAddress right) => !left.Equals(right);
}
