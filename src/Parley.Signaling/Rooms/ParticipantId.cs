using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Signaling.Rooms;

/// <summary>Participant ids: <c>p_</c> and 12 base64url characters of cryptographic randomness (72 bits).</summary>
public static class ParticipantId
{
    public static string New()
    {
        Span<byte> random = stackalloc byte[9];
        RandomNumberGenerator.Fill(random);
        return "p_" + Base64Url.EncodeToString(random);
    }
}
