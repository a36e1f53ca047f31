using System.Security.Cryptography;
using System.Text;

namespace Parley.Stun;

/// <summary>
/// Keys for MESSAGE-INTEGRITY and MESSAGE-INTEGRITY-SHA256, and the USERHASH value. RFC 8489 §9.1.1
/// (short-term), §9.2.2 and §18.5.1 (long-term), §14.4 (USERHASH).
/// </summary>
public static class StunKeys
{
    /// <summary>Key length for an algorithm: 16 (MD5) or 32 (SHA-256).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown algorithm.</exception>
    public static int GetKeyLength(StunPasswordAlgorithm algorithm) => algorithm switch
    {
        StunPasswordAlgorithm.Md5 => MD5.HashSizeInBytes,
        StunPasswordAlgorithm.Sha256 => SHA256.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown password algorithm."),
    };

    /// <summary>RFC 8489 §9.1.1: "key = OpaqueString(password)".</summary>
    public static byte[] ShortTerm(string password) => Encoding.UTF8.GetBytes(OpaqueString.Prepare(password));

    /// <summary>
    /// RFC 8489 §18.5.1: <c>key = MD5(username ":" OpaqueString(realm) ":" OpaqueString(password))</c>, or
    /// SHA-256 of the same for <see cref="StunPasswordAlgorithm.Sha256"/>. The username is used as given: it
    /// is the USERNAME value, which "MUST have been processed using the OpaqueString profile" (§14.3).
    /// </summary>
    public static byte[] LongTerm(string username, string realm, string password,
        StunPasswordAlgorithm algorithm = StunPasswordAlgorithm.Md5)
    {
        var key = new byte[GetKeyLength(algorithm)];
        LongTerm(username, realm, password, algorithm, key);
        return key;
    }

    /// <summary>Long-term key into <paramref name="destination"/>; returns its length (16 or 32).</summary>
    public static int LongTerm(string username, string realm, string password, StunPasswordAlgorithm algorithm,
        Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(username);
        int length = GetKeyLength(algorithm);
        byte[] input = Encoding.UTF8.GetBytes(username + ":" + OpaqueString.Prepare(realm) + ":" + OpaqueString.Prepare(password));
        try
        {
#pragma warning disable CA5351 // RFC 8489 §18.5.1.1 defines the MD5 long-term key; SHA-256 is offered alongside.
            return algorithm == StunPasswordAlgorithm.Md5
                ? MD5.HashData(input, destination[..length])
                : SHA256.HashData(input, destination[..length]);
#pragma warning restore CA5351
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }
    }

    /// <summary>RFC 8489 §14.4: <c>userhash = SHA-256(OpaqueString(username) ":" OpaqueString(realm))</c>.</summary>
    public static byte[] UserHash(string username, string realm)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        UserHash(username, realm, hash);
        return hash;
    }

    /// <summary>USERHASH into <paramref name="destination"/> (32 bytes).</summary>
    public static void UserHash(string username, string realm, Span<byte> destination) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(OpaqueString.Prepare(username) + ":" + OpaqueString.Prepare(realm)), destination);
}
