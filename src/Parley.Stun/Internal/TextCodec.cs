using System.Text;
using System.Text.Unicode;

namespace Parley.Stun.Internal;

/// <summary>
/// UTF-8 text values (USERNAME, REALM, NONCE, SOFTWARE, reason phrases, ALTERNATE-DOMAIN). RFC 8489 §14.3,
/// §14.8-§14.10, §14.14: "fewer than 128 characters (which can be as long as 509 bytes when encoding them
/// and as long as 763 bytes when decoding them)"; USERNAME: "fewer than 509 bytes" when sent, and "A
/// compliant implementation MUST be able to parse a UTF-8-encoded sequence of 763 or fewer octets".
/// </summary>
internal static class TextCodec
{
    /// <summary>The longest text value accepted when decoding.</summary>
    public const int MaxDecodedBytes = 763;

    /// <summary>"fewer than 509 bytes" (USERNAME) and the 509-byte encoding bound for 127 characters.</summary>
    public const int MaxEncodedBytes = 508;

    /// <summary>"fewer than 128 characters".</summary>
    public const int MaxCharacters = 127;

    /// <summary>Throws on lone surrogates instead of writing U+FFFD.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static bool TryDecode(ReadOnlySpan<byte> value, StunAttributeType type, int maxBytes, out string text,
        out StunError error)
    {
        text = string.Empty;
        if (value.Length > maxBytes)
        {
            error = new StunError(StunErrorKind.ValueOutOfRange, type);
            return false;
        }

        if (!Utf8.IsValid(value))
        {
            error = new StunError(StunErrorKind.InvalidText, type);
            return false;
        }

        text = Encoding.UTF8.GetString(value);
        error = default;
        return true;
    }

    public static bool TryGet(scoped in StunMessage message, StunAttributeType type, int maxBytes, out string text,
        out StunError error)
    {
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> value))
        {
            text = string.Empty;
            error = new StunError(StunErrorKind.AttributeNotFound, type);
            return false;
        }

        return TryDecode(value, type, maxBytes, out text, out error);
    }

    /// <summary>Writes <paramref name="text"/> after <paramref name="prefixLength"/> bytes the caller fills in.</summary>
    public static bool TryAdd(ref StunMessageWriter writer, StunAttributeType type, string? text, bool limitCharacters,
        int prefixLength, out Span<byte> prefix)
    {
        prefix = default;
        text ??= string.Empty;
        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(text);
        }
        catch (ArgumentException)
        {
            return writer.Fail(StunErrorKind.InvalidText, type); // lone surrogates
        }

        if (byteCount > MaxEncodedBytes || (limitCharacters && CountRunes(text) > MaxCharacters))
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, type);
        }

        if (!writer.TryReserveAttribute(type, prefixLength + byteCount, out Span<byte> value))
        {
            return false;
        }

        StrictUtf8.GetBytes(text, value[prefixLength..]);
        prefix = value[..prefixLength];
        return true;
    }

    private static int CountRunes(string text)
    {
        int count = 0;
        foreach (Rune _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
