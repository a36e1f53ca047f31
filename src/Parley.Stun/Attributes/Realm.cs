using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// REALM: the realm of long-term credentials. "It MUST be a UTF-8-encoded sequence of fewer than 128 characters ... and MUST have been processed using the OpaqueString profile". RFC 8489 §14.9.
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
public readonly record struct Realm(string Value) : IStunSetter, IStunGetter<Realm>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out Realm result, out StunError error)
    {
        bool ok = TextCodec.TryDecode(value, StunAttributeType.Realm, TextCodec.MaxDecodedBytes, out string text, out error);
        result = new Realm(text);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Realm value, out StunError error)
    {
        bool ok = TextCodec.TryGet(message, StunAttributeType.Realm, TextCodec.MaxDecodedBytes, out string text, out error);
        value = new Realm(text);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        TextCodec.TryAdd(ref writer, StunAttributeType.Realm, Value, limitCharacters: true, prefixLength: 0, out _);

    /// <inheritdoc />
    public override string ToString() => Value;
}
