using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Access.Tests;

/// <summary>
/// Builds compact JWTs byte by byte (RFC 7515 §7.1), with any header and payload, signed with HMAC-SHA256 whatever the
/// header claims: the tokens a careless or hostile backend could send, which no well-behaved minter would write.
/// </summary>
internal static class RawJwt
{
    public static string Part(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>header.payload.HMAC-SHA256(secret, header.payload).</summary>
    public static string Signed(string headerJson, string payloadJson, string secret)
    {
        var signingInput = $"{Part(headerJson)}.{Part(payloadJson)}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url.EncodeToString(mac)}";
    }

    /// <summary>The same token with one character of its signature changed (still valid base64url).</summary>
    public static string WithSignatureCharacterChanged(string token)
    {
        var index = token.LastIndexOf('.') + 3;
        var replacement = token[index] == 'A' ? 'B' : 'A';
        return string.Concat(token.AsSpan(0, index), replacement.ToString(), token.AsSpan(index + 1));
    }
}
