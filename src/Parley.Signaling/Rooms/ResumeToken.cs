using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Signaling.Rooms;

/// <summary>
/// The secret a client resumes with: 32 random bytes, 43 base64url characters. The participant id is derived
/// from it (<see cref="ParticipantId.FromResumeToken"/>), so a server that restarted honours the token
/// without having stored it, and knowing an id does not let anyone take it.
/// </summary>
public static class ResumeToken
{
    private const int TokenBytes = 32;

    /// <summary>The length of a token on the wire.</summary>
    public const int Length = 43;

    public static string New()
    {
        Span<byte> random = stackalloc byte[TokenBytes];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    /// <summary>Reads a token from the wire; false for anything but 43 base64url characters.</summary>
    public static bool TryDecode(string? token, Span<byte> bytes)
    {
        return token is { Length: Length }
            && bytes.Length >= TokenBytes
            && Base64Url.IsValid(token.AsSpan(), out var decodedLength)
            && decodedLength == TokenBytes
            && Base64Url.TryDecodeFromChars(token.AsSpan(), bytes, out var written)
            && written == TokenBytes;
    }
}
