using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// ICMP: the ICMP error that made the server drop a relayed packet, in a Data indication. RFC 8656 §18.13.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved            |  ICMP Type    |   ICMP Code   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                          Error Data                           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "Reserved: This field MUST be set to 0 when sent and MUST be ignored when received." Error Data is the
/// next-hop MTU for "Packet too big" / "fragmentation needed", otherwise "MUST be set to zero".
/// </remarks>
public readonly record struct Icmp(byte Type, byte Code, uint ErrorData = 0) : IStunSetter, IStunGetter<Icmp>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out Icmp result, out StunError error)
    {
        bool ok = FixedValue.CheckLength(value, StunAttributeType.Icmp, 8, out error);
        result = ok ? new Icmp(value[2], value[3], BinaryPrimitives.ReadUInt32BigEndian(value[4..])) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Icmp value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.Icmp, 8, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.Icmp, 8, out Span<byte> value))
        {
            return false;
        }

        value[2] = Type;
        value[3] = Code;
        BinaryPrimitives.WriteUInt32BigEndian(value[4..], ErrorData);
        return true;
    }
}
