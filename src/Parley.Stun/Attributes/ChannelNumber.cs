using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// CHANNEL-NUMBER: the channel a ChannelBind request binds. RFC 8656 §18.1. Channel numbers are 0x4000-0x7FFF,
/// the range of RFC 5766 §11: RFC 8656 §12 narrowed it to 0x4000-0x4FFF and reserved 0x5000-0x7FFF, but RFC 5766
/// clients (coturn's uclient, older stacks) pick from the whole range, coturn accepts it, and the wire is the same
/// (any number whose first two bits are 01 frames as ChannelData, RFC 8656 §12.4 / RFC 7983). Reading or writing any
/// other value fails with <see cref="StunErrorKind.ValueOutOfRange"/>.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |        Channel Number         |         RFFU = 0              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "a two-octet RFFU (Reserved For Future Use) field, which MUST be set to 0 on transmission and MUST be
/// ignored on reception."
/// </remarks>
public readonly record struct ChannelNumber(ushort Value) : IStunSetter, IStunGetter<ChannelNumber>
{
    /// <summary>Lowest channel number, 0x4000.</summary>
    public const ushort Min = 0x4000;

    /// <summary>Highest channel number, 0x7FFF (RFC 5766 §11; RFC 8656 §12 says 0x4FFF, see the type's remarks).</summary>
    public const ushort Max = 0x7FFF;

    /// <summary>Whether <paramref name="value"/> is in 0x4000-0x7FFF.</summary>
    public static bool IsValid(ushort value) => value is >= Min and <= Max;

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ChannelNumber result, out StunError error)
    {
        result = default;
        if (!FixedValue.CheckLength(value, StunAttributeType.ChannelNumber, 4, out error))
        {
            return false;
        }

        ushort number = BinaryPrimitives.ReadUInt16BigEndian(value);

        // RFC 8656 §12.2 checks "The channel number is in the range 0x4000 through 0x4FFF (inclusive)"; RFC 5766 §11.2
        // said 0x4000 through 0x7FFF, which RFC 5766 clients use and which is accepted here (the type's remarks say why).
        if (!IsValid(number))
        {
            error = new StunError(StunErrorKind.ValueOutOfRange, StunAttributeType.ChannelNumber);
            return false;
        }

        result = new ChannelNumber(number);
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out ChannelNumber value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.ChannelNumber, 4, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!IsValid(Value))
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.ChannelNumber);
        }

        if (!writer.TryReserveAttribute(StunAttributeType.ChannelNumber, 4, out Span<byte> value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(value, Value);
        return true;
    }
}
