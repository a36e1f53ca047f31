namespace Parley.Stun.Attributes;

/// <summary>
/// USERHASH: replaces USERNAME when username anonymity is used. RFC 8489 §14.4: "The value of USERHASH has a
/// fixed length of 32 bytes"; <c>userhash = SHA-256(OpaqueString(username) ":" OpaqueString(realm))</c>
/// (compute it with <see cref="StunKeys.UserHash(string, string)"/>).
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x001E)         |         Length (32)           |
/// |                  SHA-256 userhash (256 bits)                  |
/// </code>
/// A view over the message (or caller) bytes: reading it allocates nothing.
/// </remarks>
public readonly ref struct UserHash : IStunSetter, IStunGetter<UserHash>
{
    /// <summary>Length of the value.</summary>
    public const int Length = 32;

    /// <summary>Wraps a 32-byte hash.</summary>
    public UserHash(ReadOnlySpan<byte> value) => Value = value;

    /// <summary>The 32-byte hash.</summary>
    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out UserHash result, out StunError error)
    {
        result = default;
        if (value.Length != Length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.UserHash);
            return false;
        }

        result = new UserHash(value);
        error = default;
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out UserHash value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.UserHash, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.UserHash);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        Value.Length == Length
            ? writer.TryAddAttribute(StunAttributeType.UserHash, Value)
            : writer.Fail(StunErrorKind.BadAttributeLength, StunAttributeType.UserHash);
}
