using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// ADDITIONAL-ADDRESS-FAMILY: asks for an IPv6 relayed address in addition to the IPv4 one. RFC 8656 §18.11:
/// "The attribute value of 0x02 (IPv6 address) is the only valid value in Allocate request." Reading 0x01
/// therefore fails with <see cref="StunErrorKind.ValueOutOfRange"/> (400), and writing it is refused.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |     Family    |            Reserved                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct AdditionalAddressFamily(StunAddressFamily Family)
    : IStunSetter, IStunGetter<AdditionalAddressFamily>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out AdditionalAddressFamily result, out StunError error)
    {
        result = default;
        if (!FamilyCodec.TryRead(value, StunAttributeType.AdditionalAddressFamily, out StunAddressFamily family, out error))
        {
            return false;
        }

        if (family != StunAddressFamily.IPv6)
        {
            error = new StunError(StunErrorKind.ValueOutOfRange, StunAttributeType.AdditionalAddressFamily);
            return false;
        }

        result = new AdditionalAddressFamily(family);
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out AdditionalAddressFamily value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.AdditionalAddressFamily, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.AdditionalAddressFamily);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        Family == StunAddressFamily.IPv6
            ? FamilyCodec.TryAdd(ref writer, StunAttributeType.AdditionalAddressFamily, Family)
            : writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.AdditionalAddressFamily);
}
