using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// REQUESTED-TRANSPORT: the transport protocol of the relayed address. RFC 8656 §18.8: "This specification
/// only allows the use of code point 17 (User Datagram Protocol)"; RFC 6062 adds 6 (TCP). Other values parse
/// (the server answers 442 Unsupported Transport Protocol).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |    Protocol   |                    RFFU                       |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "The RFFU field MUST be set to zero on transmission and MUST be ignored on reception."
/// </remarks>
public readonly record struct RequestedTransport(byte Protocol) : IStunSetter, IStunGetter<RequestedTransport>
{
    /// <summary>IANA protocol number 17.</summary>
    public const byte Udp = 17;

    /// <summary>IANA protocol number 6 (RFC 6062).</summary>
    public const byte Tcp = 6;

    /// <summary>REQUESTED-TRANSPORT UDP.</summary>
    public static RequestedTransport UdpTransport => new(Udp);

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out RequestedTransport result, out StunError error)
    {
        bool ok = FixedValue.CheckLength(value, StunAttributeType.RequestedTransport, 4, out error);
        result = ok ? new RequestedTransport(value[0]) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out RequestedTransport value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.RequestedTransport, 4, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.RequestedTransport, 4, out Span<byte> value))
        {
            return false;
        }

        value[0] = Protocol;
        return true;
    }
}
