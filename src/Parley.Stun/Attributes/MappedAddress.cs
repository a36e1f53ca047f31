using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// MAPPED-ADDRESS: the client's reflexive transport address, in the clear (RFC 3489 compatibility only).
/// RFC 8489 §14.1.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |           Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                 Address (32 bits or 128 bits)                 |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct MappedAddress(TransportAddress Address) : IStunSetter, IStunGetter<MappedAddress>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out MappedAddress result, out StunError error)
    {
        bool ok = AddressCodec.TryRead(value, default, StunAttributeType.MappedAddress, out TransportAddress address, out error);
        result = new MappedAddress(address);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out MappedAddress value, out StunError error)
    {
        bool ok = AddressCodec.TryGet(message, StunAttributeType.MappedAddress, xor: false, out TransportAddress address, out error);
        value = new MappedAddress(address);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        AddressCodec.TryAdd(ref writer, StunAttributeType.MappedAddress, Address, xor: false);
}
