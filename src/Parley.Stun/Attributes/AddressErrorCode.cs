using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// ADDRESS-ERROR-CODE: why the server could not allocate one of two requested address families.
/// RFC 8656 §18.12.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |  Family       |    Reserved             |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Family is 0x01 (IPv4) or 0x02 (IPv6); Class and Number are as in ERROR-CODE.
/// </remarks>
public readonly record struct AddressErrorCode(StunAddressFamily Family, StunErrorCode Code, string Reason = "")
    : IStunSetter, IStunGetter<AddressErrorCode>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out AddressErrorCode result, out StunError error)
    {
        result = default;
        if (value.Length >= 1 && value[0] is not ((byte)StunAddressFamily.IPv4 or (byte)StunAddressFamily.IPv6))
        {
            error = new StunError(StunErrorKind.BadAddressFamily, StunAttributeType.AddressErrorCode);
            return false;
        }

        bool ok = ErrorCodeCodec.TryRead(value, StunAttributeType.AddressErrorCode, out int code, out string reason, out error);
        result = ok ? new AddressErrorCode((StunAddressFamily)value[0], (StunErrorCode)code, reason) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out AddressErrorCode value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.AddressErrorCode, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.AddressErrorCode);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        Family is StunAddressFamily.IPv4 or StunAddressFamily.IPv6
            ? ErrorCodeCodec.TryAdd(ref writer, StunAttributeType.AddressErrorCode, (byte)Family, (int)Code, Reason)
            : writer.Fail(StunErrorKind.BadAddressFamily, StunAttributeType.AddressErrorCode);
}
