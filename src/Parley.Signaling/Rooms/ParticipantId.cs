using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Signaling.Rooms;

/// <summary>
/// Participant ids: <c>p_</c> and 12 base64url characters (72 bits), either random or, for participants,
/// the first 72 bits of the SHA-256 of their resume token (docs/protocol.md, "Participant ids").
/// </summary>
public static class ParticipantId
{
    private const int IdBytes = 9;

    public static string New()
    {
        Span<byte> random = stackalloc byte[IdBytes];
        RandomNumberGenerator.Fill(random);
        return "p_" + Base64Url.EncodeToString(random);
    }

    /// <summary>The id that belongs to a resume token; false when the token is not a valid one.</summary>
    public static bool TryFromResumeToken(string? token, out string id)
    {
        Span<byte> tokenBytes = stackalloc byte[32];
        if (!ResumeToken.TryDecode(token, tokenBytes))
        {
            id = "";
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(tokenBytes, hash);
        id = "p_" + Base64Url.EncodeToString(hash[..IdBytes]);
        return true;
    }

    /// <summary>The id of a token this server just made.</summary>
    public static string FromResumeToken(string token) =>
        TryFromResumeToken(token, out var id) ? id : throw new ArgumentException("Not a resume token.", nameof(token));
}
