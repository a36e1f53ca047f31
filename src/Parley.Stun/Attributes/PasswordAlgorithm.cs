using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// PASSWORD-ALGORITHM: the algorithm the server must use to derive the long-term key. RFC 8489 §14.12
/// ("present only in requests").
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |          Algorithm           |  Algorithm Parameters Length   |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Algorithm Parameters (variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "The parameters are padded to a 32-bit boundary, in the same manner as an attribute. Similarly, the
/// padding bits MUST be set to zero on sending and MUST be ignored by the receiver."
/// MD5 and SHA-256 both have empty parameters.
/// </remarks>
public readonly record struct PasswordAlgorithm(StunPasswordAlgorithm Algorithm, ReadOnlyMemory<byte> Parameters = default)
    : IStunSetter, IStunGetter<PasswordAlgorithm>
{
    /// <summary>Parses a value (without the TLV header): exactly one entry.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out PasswordAlgorithm result, out StunError error)
    {
        result = default;
        if (!PasswordAlgorithmCodec.TryRead(value, StunAttributeType.PasswordAlgorithm, out StunPasswordAlgorithm algorithm,
                out ReadOnlySpan<byte> parameters, out int consumed, out error))
        {
            return false;
        }

        if (consumed != value.Length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.PasswordAlgorithm);
            return false;
        }

        result = new PasswordAlgorithm(algorithm, parameters.IsEmpty ? default : parameters.ToArray());
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out PasswordAlgorithm value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.PasswordAlgorithm, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = default;
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.PasswordAlgorithm);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        ReadOnlySpan<byte> parameters = Parameters.Span;
        if (parameters.Length > ushort.MaxValue)
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.PasswordAlgorithm);
        }

        if (!writer.TryReserveAttribute(StunAttributeType.PasswordAlgorithm, PasswordAlgorithmCodec.EncodedLength(parameters),
                out Span<byte> value))
        {
            return false;
        }

        PasswordAlgorithmCodec.Write(value, Algorithm, parameters);
        return true;
    }

    /// <summary>Equal when the algorithm and the parameter bytes are equal.</summary>
    public bool Equals(PasswordAlgorithm other) =>
        Algorithm == other.Algorithm && Parameters.Span.SequenceEqual(other.Parameters.Span);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Algorithm, Parameters.Length);
}
