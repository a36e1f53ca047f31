namespace Parley.Stun.Internal;

/// <summary>
/// The Class/Number/Reason layout shared by ERROR-CODE (RFC 8489 §14.8) and ADDRESS-ERROR-CODE
/// (RFC 8656 §18.12). "The Class represents the hundreds digit of the error code. The value MUST be between 3
/// and 6. The Number represents the binary encoding of the error code modulo 100, and its value MUST be
/// between 0 and 99."
/// </summary>
internal static class ErrorCodeCodec
{
    public static bool TryRead(ReadOnlySpan<byte> value, StunAttributeType type, out int code, out string reason,
        out StunError error)
    {
        code = 0;
        reason = string.Empty;
        if (value.Length < 4)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        // "Receivers MUST ignore these [reserved] bits": only the low 3 bits of byte 2 are the class.
        int errorClass = value[2] & 0x7;
        int number = value[3];
        if (errorClass is < 3 or > 6 || number > 99)
        {
            error = new StunError(StunErrorKind.ValueOutOfRange, type);
            return false;
        }

        code = (errorClass * 100) + number;
        return TextCodec.TryDecode(value[4..], type, TextCodec.MaxDecodedBytes, out reason, out error);
    }

    public static bool TryAdd(ref StunMessageWriter writer, StunAttributeType type, byte firstByte, int code, string? reason)
    {
        if (code is < 300 or > 699)
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, type);
        }

        if (!TextCodec.TryAdd(ref writer, type, reason, limitCharacters: true, prefixLength: 4, out Span<byte> prefix))
        {
            return false;
        }

        prefix[0] = firstByte;
        prefix[2] = (byte)(code / 100);
        prefix[3] = (byte)(code % 100);
        return true;
    }
}
