namespace Parley.Stun.Internal;

/// <summary>
/// The REQUESTED-ADDRESS-FAMILY layout, shared by ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.6, §18.11):
/// "Family: there are two values defined for this field ... 0x01 for IPv4 addresses and 0x02 for IPv6
/// addresses. Reserved: at this point, the 24 bits in the Reserved field MUST be set to zero by the client
/// and MUST be ignored by the server."
/// </summary>
internal static class FamilyCodec
{
    public static bool TryRead(ReadOnlySpan<byte> value, StunAttributeType type, out StunAddressFamily family, out StunError error)
    {
        family = default;
        if (!FixedValue.CheckLength(value, type, 4, out error))
        {
            return false;
        }

        if (value[0] is not ((byte)StunAddressFamily.IPv4 or (byte)StunAddressFamily.IPv6))
        {
            error = new StunError(StunErrorKind.BadAddressFamily, type);
            return false;
        }

        family = (StunAddressFamily)value[0];
        return true;
    }

    public static bool TryAdd(ref StunMessageWriter writer, StunAttributeType type, StunAddressFamily family)
    {
        if (family is not (StunAddressFamily.IPv4 or StunAddressFamily.IPv6))
        {
            return writer.Fail(StunErrorKind.BadAddressFamily, type);
        }

        if (!writer.TryReserveAttribute(type, 4, out Span<byte> value))
        {
            return false;
        }

        value[0] = (byte)family;
        return true;
    }
}
