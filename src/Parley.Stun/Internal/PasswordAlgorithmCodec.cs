using System.Buffers.Binary;

namespace Parley.Stun.Internal;

/// <summary>
/// One algorithm entry of PASSWORD-ALGORITHM / PASSWORD-ALGORITHMS (RFC 8489 §14.11, §14.12): "The parameters
/// start with the length (prior to padding) of the parameters as a 16-bit value, followed by the parameters
/// that are specific to each algorithm. The parameters are padded to a 32-bit boundary, in the same manner as
/// an attribute."
/// </summary>
internal static class PasswordAlgorithmCodec
{
    public static bool TryRead(ReadOnlySpan<byte> value, StunAttributeType type, out StunPasswordAlgorithm algorithm,
        out ReadOnlySpan<byte> parameters, out int consumed, out StunError error)
    {
        algorithm = default;
        parameters = default;
        consumed = 0;
        if (value.Length < 4)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        algorithm = (StunPasswordAlgorithm)BinaryPrimitives.ReadUInt16BigEndian(value);
        int length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        int padded = (length + 3) & ~3;
        if (value.Length - 4 < length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        if (value.Length - 4 < padded)
        {
            error = new StunError(StunErrorKind.BadPadding, type);
            return false;
        }

        parameters = value.Slice(4, length);
        consumed = 4 + padded;
        error = default;
        return true;
    }

    public static int EncodedLength(ReadOnlySpan<byte> parameters) => 4 + ((parameters.Length + 3) & ~3);

    /// <summary>Writes one entry into a zeroed destination (padding stays zero).</summary>
    public static int Write(Span<byte> destination, StunPasswordAlgorithm algorithm, ReadOnlySpan<byte> parameters)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)algorithm);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)parameters.Length);
        parameters.CopyTo(destination[4..]);
        return EncodedLength(parameters);
    }
}
