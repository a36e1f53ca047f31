using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// ERROR-CODE: a numeric code from 300 to 699 and a UTF-8 reason phrase. RFC 8489 §14.8.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved, should be 0         |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "The reason phrase MUST be a UTF-8-encoded sequence of fewer than 128 characters". Parley servers
/// send an empty reason by default (turn-security.md).
/// </remarks>
public readonly record struct ErrorCode(StunErrorCode Code, string Reason = "") : IStunSetter, IStunGetter<ErrorCode>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out ErrorCode result, out StunError error)
    {
        bool ok = ErrorCodeCodec.TryRead(value, StunAttributeType.ErrorCode, out int code, out string reason, out error);
        result = new ErrorCode((StunErrorCode)code, reason);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out ErrorCode value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.ErrorCode, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.ErrorCode);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        ErrorCodeCodec.TryAdd(ref writer, StunAttributeType.ErrorCode, 0, (int)Code, Reason);
}
