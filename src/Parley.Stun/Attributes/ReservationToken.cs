using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// RESERVATION-TOKEN: identifies a relayed port the server reserved (after EVEN-PORT with R=1).
/// RFC 8656 §18.10: "The attribute value is 8 bytes and contains the token value."
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                        Token (64 bits)                        |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct ReservationToken(ulong Value) : IStunSetter, IStunGetter<ReservationToken>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ReservationToken result, out StunError error)
    {
        bool ok = FixedValue.CheckLength(value, StunAttributeType.ReservationToken, 8, out error);
        result = ok ? new ReservationToken(BinaryPrimitives.ReadUInt64BigEndian(value)) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out ReservationToken value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.ReservationToken, 8, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.ReservationToken, 8, out Span<byte> value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(value, Value);
        return true;
    }
}
