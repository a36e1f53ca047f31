using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// EVEN-PORT: asks for an even relayed port, optionally reserving the next one. RFC 8656 §18.7: "The
/// attribute is 8 bits long."
/// </summary>
/// <remarks>
/// <code>
///  0
///  0 1 2 3 4 5 6 7
/// +-+-+-+-+-+-+-+-+
/// |R|    RFFU     |
/// +-+-+-+-+-+-+-+-+
/// </code>
/// "R: If 1, the server is requested to reserve the next-higher port number (on the same IP address) for a
/// subsequent allocation. If 0, no such reservation is requested. RFFU: Reserved For Future Use. The RFFU
/// field MUST be set to zero on transmission and ignored on reception." The value is padded to 4 bytes.
/// </remarks>
public readonly record struct EvenPort(bool ReserveNext) : IStunSetter, IStunGetter<EvenPort>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out EvenPort result, out StunError error)
    {
        bool ok = FixedValue.CheckLength(value, StunAttributeType.EvenPort, 1, out error);
        result = ok ? new EvenPort((value[0] & 0x80) != 0) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out EvenPort value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.EvenPort, 1, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.EvenPort, 1, out Span<byte> value))
        {
            return false;
        }

        value[0] = ReserveNext ? (byte)0x80 : (byte)0;
        return true;
    }
}
