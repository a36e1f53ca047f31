using System.Buffers.Binary;
using System.Collections.Immutable;

namespace Parley.Stun.Attributes;

/// <summary>
/// UNKNOWN-ATTRIBUTES: the comprehension-required attribute types a server did not understand, sent with
/// 420 (Unknown Attribute). RFC 8489 §14.13. Find them with <see cref="StunMessage.FindUnknownComprehensionRequired"/>.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Attribute 1 Type         |       Attribute 2 Type        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Attribute 3 Type         |       Attribute 4 Type    ...
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "In this version of the specification, the normal padding rules for attributes are used instead" (of
/// RFC 3489's duplicated last entry): the value length is even and the TLV is zero-padded.
/// </remarks>
public readonly record struct UnknownAttributes(ImmutableArray<StunAttributeType> Types)
    : IStunSetter, IStunGetter<UnknownAttributes>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out UnknownAttributes result, out StunError error)
    {
        result = new UnknownAttributes([]);
        if (value.Length % 2 != 0)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.UnknownAttributes);
            return false;
        }

        var builder = ImmutableArray.CreateBuilder<StunAttributeType>(value.Length / 2);
        for (int i = 0; i < value.Length; i += 2)
        {
            builder.Add((StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(value[i..]));
        }

        result = new UnknownAttributes(builder.MoveToImmutable());
        error = default;
        return true;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out UnknownAttributes value, out StunError error)
    {
        if (message.TryGetAttribute(StunAttributeType.UnknownAttributes, out ReadOnlySpan<byte> raw))
        {
            return TryParse(raw, out value, out error);
        }

        value = new UnknownAttributes([]);
        error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.UnknownAttributes);
        return false;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) => TryAdd(ref writer, Types.IsDefault ? [] : Types.AsSpan());

    /// <summary>Writes the types without building an array (e.g. straight from a stack buffer).</summary>
    public static bool TryAdd(ref StunMessageWriter writer, scoped ReadOnlySpan<StunAttributeType> types)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.UnknownAttributes, types.Length * 2, out Span<byte> value))
        {
            return false;
        }

        for (int i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(value[(i * 2)..], (ushort)types[i]);
        }

        return true;
    }

    /// <summary>Equal when the types are equal, in order.</summary>
    public bool Equals(UnknownAttributes other) =>
        (Types.IsDefault ? [] : Types.AsSpan()).SequenceEqual(other.Types.IsDefault ? [] : other.Types.AsSpan());

    /// <inheritdoc />
    public override int GetHashCode() => Types.IsDefault ? 0 : Types.Length;
}
