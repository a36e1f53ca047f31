using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// SOFTWARE: a textual description of the sending software, "a UTF-8-encoded sequence of fewer than 128 characters". Parley servers send none by default (turn-security.md). RFC 8489 §14.14.
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
/// Decoding accepts up to 763 bytes of well-formed UTF-8; encoding refuses more than 508 bytes or 127 characters.
/// The raw bytes are also available without allocating via <see cref="StunMessage.TryGetAttribute"/>.
/// </remarks>
public readonly record struct Software(string Value) : IStunSetter, IStunGetter<Software>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out Software result, out StunError error)
    {
        bool ok = TextCodec.TryDecode(value, StunAttributeType.Software, TextCodec.MaxDecodedBytes, out string text, out error);
        result = new Software(text);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Software value, out StunError error)
    {
        bool ok = TextCodec.TryGet(message, StunAttributeType.Software, TextCodec.MaxDecodedBytes, out string text, out error);
        value = new Software(text);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        TextCodec.TryAdd(ref writer, StunAttributeType.Software, Value, limitCharacters: true, prefixLength: 0, out _);

    /// <inheritdoc />
    public override string ToString() => Value;
}
