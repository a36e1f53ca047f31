using System.Collections.Immutable;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// PASSWORD-ALGORITHMS: the algorithms the server can use to derive the long-term key. RFC 8489 §14.11.
/// A server sends it in a 401/438 and, per §9.2.4, checks that a request's copy is identical to what it sent
/// (compare with <see cref="Equals(PasswordAlgorithms)"/>) to stop bid-down attacks.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Algorithm 1           | Algorithm 1 Parameters Length |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Algorithm 1 Parameters (variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Algorithm 2           | Algorithm 2 Parameters Length |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                    Algorithm 2 Parameters (variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                             ...
/// </code>
/// Each entry's parameters are padded to 32 bits inside the value.
/// </remarks>
public readonly record struct PasswordAlgorithms(ImmutableArray<PasswordAlgorithm> Algorithms)
    : IStunSetter, IStunGetter<PasswordAlgorithms>
{
    /// <summary>From a list of algorithms with empty parameters.</summary>
    public static PasswordAlgorithms Of(params ReadOnlySpan<StunPasswordAlgorithm> algorithms)
    {
        var builder = ImmutableArray.CreateBuilder<PasswordAlgorithm>(algorithms.Length);
        foreach (StunPasswordAlgorithm algorithm in algorithms)
        {
            builder.Add(new PasswordAlgorithm(algorithm));
        }

        return new PasswordAlgorithms(builder.MoveToImmutable());
    }

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out PasswordAlgorithms result, out StunError error)
    {
        result = new PasswordAlgorithms([]);
        var builder = ImmutableArray.CreateBuilder<PasswordAlgorithm>();
        while (!value.IsEmpty)
        {
            if (!PasswordAlgorithmCodec.TryRead(value, StunAttributeType.PasswordAlgorithms, out StunPasswordAlgorithm algorithm,
                    out ReadOnlySpan<byte> parameters, out int consumed, out error))
            {
                return false;
            }

            builder.Add(new PasswordAlgorithm(algorithm, parameters.IsEmpty ? default : parameters.ToArray()));
            value = value[consumed..];
        }

        result = new PasswordAlgorithms(builder.ToImmutable());
        error = default;
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out PasswordAlgorithms value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.PasswordAlgorithms, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = new PasswordAlgorithms([]);
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.PasswordAlgorithms);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        ImmutableArray<PasswordAlgorithm> algorithms = Algorithms.IsDefault ? [] : Algorithms;
        int length = 0;
        foreach (PasswordAlgorithm entry in algorithms)
        {
            if (entry.Parameters.Length > ushort.MaxValue)
            {
                return writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.PasswordAlgorithms);
            }

            length += PasswordAlgorithmCodec.EncodedLength(entry.Parameters.Span);
        }

        if (!writer.TryReserveAttribute(StunAttributeType.PasswordAlgorithms, length, out Span<byte> value))
        {
            return false;
        }

        foreach (PasswordAlgorithm entry in algorithms)
        {
            value = value[PasswordAlgorithmCodec.Write(value, entry.Algorithm, entry.Parameters.Span)..];
        }

        return true;
    }

    /// <summary>Whether the list contains <paramref name="algorithm"/> (as PASSWORD-ALGORITHM must, §9.2.4).</summary>
    public bool Contains(PasswordAlgorithm algorithm) => !Algorithms.IsDefault && Algorithms.Contains(algorithm);

    /// <summary>Equal when the entries are equal, in order.</summary>
    public bool Equals(PasswordAlgorithms other)
    {
        ImmutableArray<PasswordAlgorithm> a = Algorithms.IsDefault ? [] : Algorithms;
        ImmutableArray<PasswordAlgorithm> b = other.Algorithms.IsDefault ? [] : other.Algorithms;
        return a.AsSpan().SequenceEqual(b.AsSpan());
    }

    /// <inheritdoc />
    public override int GetHashCode() => Algorithms.IsDefault ? 0 : Algorithms.Length;
}
