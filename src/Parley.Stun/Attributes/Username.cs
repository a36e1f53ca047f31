using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// USERNAME: the username of the credentials used for message integrity. It "MUST contain a UTF-8-encoded sequence of fewer than 509 bytes and MUST have been processed using the OpaqueString profile"; this type does not re-apply the profile (see <see cref="OpaqueString"/>). RFC 8489 §14.3.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Type                  |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                   UTF-8 text (variable)                 ....
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// Decoding accepts up to 763 bytes of well-formed UTF-8; encoding refuses more than 508 bytes.
/// The raw bytes are also available without allocating via <see cref="StunMessage.TryGetAttribute"/>.
/// </remarks>
public readonly record struct Username(string Value) : IStunSetter, IStunGetter<Username>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out Username result, out StunError error)
    {
        bool ok = TextCodec.TryDecode(value, StunAttributeType.Username, TextCodec.MaxDecodedBytes, out string text, out error);
        result = new Username(text);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Username value, out StunError error)
    {
        bool ok = TextCodec.TryGet(message, StunAttributeType.Username, TextCodec.MaxDecodedBytes, out string text, out error);
        value = new Username(text);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        TextCodec.TryAdd(ref writer, StunAttributeType.Username, Value, limitCharacters: false, prefixLength: 0, out _);

    /// <inheritdoc />
    public override string ToString() => Value;
}
