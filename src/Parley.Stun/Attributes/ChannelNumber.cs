using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// CHANNEL-NUMBER: the channel a ChannelBind request binds. RFC 8656 §18.1. Only 0x4000-0x4FFF are channel
/// numbers (RFC 8656 §12): reading or writing any other value fails with <see cref="StunErrorKind.ValueOutOfRange"/>.
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

    /// <summary>Highest channel number, 0x4FFF.</summary>
    public const ushort Max = 0x4FFF;

    /// <summary>Whether <paramref name="value"/> is in 0x4000-0x4FFF.</summary>
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

        // RFC 8656 §12.2: the server checks that "The channel number is in the range 0x4000 through 0x4FFF (inclusive)".
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
