using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// REQUESTED-ADDRESS-FAMILY: the address family of the relayed address a client asks for. RFC 8656 §18.6.
/// An unknown family reads as <see cref="StunErrorKind.BadAddressFamily"/>, whose
/// <see cref="StunError.ResponseCode"/> is 440 (Address Family not Supported, RFC 8656 §7.2).
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
public readonly record struct RequestedAddressFamily(StunAddressFamily Family)
    : IStunSetter, IStunGetter<RequestedAddressFamily>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out RequestedAddressFamily result, out StunError error)
    {
        bool ok = FamilyCodec.TryRead(value, StunAttributeType.RequestedAddressFamily, out StunAddressFamily family, out error);
        result = new RequestedAddressFamily(family);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out RequestedAddressFamily value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.RequestedAddressFamily, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.RequestedAddressFamily);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        FamilyCodec.TryAdd(ref writer, StunAttributeType.RequestedAddressFamily, Family);
}
