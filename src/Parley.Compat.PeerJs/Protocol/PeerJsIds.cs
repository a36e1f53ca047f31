using System.Security.Cryptography;
using System.Text;

namespace Parley.Compat.PeerJs.Protocol;

/// <summary>
/// The id, token and key rules. Ids follow the PeerJS client's own check (peerjs 1.5 <c>util.validateId</c>:
/// <c>^[A-Za-z0-9]+(?:[ _-][A-Za-z0-9]+)*$</c>), which peerjs-server never applied; bounded in length here.
/// </summary>
public static class PeerJsIds
{
    /// <summary>Longest id accepted; a generated id is 36 characters (a UUID).</summary>
    public const int MaxIdLength = 128;

    /// <summary>Longest token accepted; the client's own is about 11 characters.</summary>
    public const int MaxTokenLength = 128;

    /// <summary>Longest key a server may be configured with.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>True for a non-empty id of alphanumeric runs joined by single spaces, '_' or '-' (PeerJS's regex).</summary>
    public static bool IsValidId(ReadOnlySpan<char> id)
    {
        if (id.IsEmpty || id.Length > MaxIdLength || !char.IsAsciiLetterOrDigit(id[0]) || !char.IsAsciiLetterOrDigit(id[^1]))
        {
            return false;
        }

        for (var i = 1; i < id.Length; i++)
        {
            var c = id[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                continue;
            }

            // A separator stands alone between two alphanumerics: never two in a row (the ends are checked above).
            if (c is not (' ' or '_' or '-') || !char.IsAsciiLetterOrDigit(id[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A token is opaque; the server only compares it. Non-empty and bounded.</summary>
    public static bool IsValidToken(ReadOnlySpan<char> token) => token.Length is > 0 and <= MaxTokenLength;

    /// <summary>The key of <c>PeerJs:Key</c>: URL-safe as the client writes it unescaped.</summary>
    public static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>Compares a client's key or token with the expected one in constant time (a token guards an id).</summary>
    public static bool SecretEquals(string expected, string? given) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(given));

    /// <summary>A new id no one can guess: a random (version 4) UUID, as peerjs-server's <c>randomUUID</c>.</summary>
    public static string NewId() => Guid.NewGuid().ToString("D");
}
