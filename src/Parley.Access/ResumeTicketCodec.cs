using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Parley.Access;

/// <summary>
/// Seals a <see cref="ResumeTicket"/> to the random resume secret it belongs to, and opens it again:
/// <c>&lt;secret&gt;.&lt;base64url(JSON)&gt;.&lt;base64url(HMAC-SHA256)&gt;</c>. The MAC covers the secret and the JSON, with a key
/// derived from the ticket's API key's secret, so nobody without that secret can make or alter one, and a ticket
/// cannot be moved to another resume secret (another participant id).
/// </summary>
public sealed class ResumeTicketCodec(IOptions<AuthOptions> options, TimeProvider time)
{
    /// <summary>Longest sealed ticket accepted: a bound on the work a stranger's resume can cause.</summary>
    public const int MaxLength = 16 * 1024;

    private static readonly byte[] Purpose = "parley resume ticket v1"u8.ToArray();
    private readonly AuthOptions auth = options.Value;

    /// <summary>Seals <paramref name="ticket"/> to <paramref name="secret"/> (the 43-character resume secret).</summary>
    public string Seal(string secret, ResumeTicket ticket)
    {
        var key = KeyFor(ticket.ApiKey) ?? throw new InvalidOperationException("The ticket's API key is not configured.");
        var json = JsonSerializer.SerializeToUtf8Bytes(ticket, AccessJsonContext.Default.ResumeTicket);
        var signed = secret + "." + Base64Url.EncodeToString(json);
        return signed + "." + Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
    }

    /// <summary>
    /// Splits a resume token into its secret and ticket; false unless the ticket is well formed, signed by a configured
    /// key and unexpired. Never throws on hostile input.
    /// </summary>
    public bool TryOpen(string? token, out string secret, out ResumeTicket ticket)
    {
        secret = "";
        ticket = null!;
        if (token is null || token.Length > MaxLength)
        {
            return false;
        }

        var lastDot = token.LastIndexOf('.');
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        if (firstDot <= 0 || lastDot <= firstDot)
        {
            return false;
        }

        var signed = token[..lastDot];
        var json = DecodeOrNull(token.AsSpan(firstDot + 1, lastDot - firstDot - 1));
        var mac = DecodeOrNull(token.AsSpan(lastDot + 1));
        if (json is null || mac is not { Length: HMACSHA256.HashSizeInBytes })
        {
            return false;
        }

        ResumeTicket? read;
        try
        {
            read = JsonSerializer.Deserialize(json, AccessJsonContext.Default.ResumeTicket);
        }
        catch (JsonException)
        {
            return false;
        }

        if (read is not { ApiKey: not null, Room: not null, Identity: not null, Video: not null, TokenHash: not null }
            || KeyFor(read.ApiKey) is not { } key
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)), mac)
            || read.ExpiresAt <= time.GetUtcNow())
        {
            return false;
        }

        secret = token[..firstDot];
        ticket = read;
        return true;
    }

    /// <summary>A fresh ticket's expiry.</summary>
    public DateTimeOffset NewExpiry() => time.GetUtcNow() + ResumeTicket.Lifetime;

    private byte[]? KeyFor(string apiKey) =>
        auth.Keys.TryGetValue(apiKey, out var secret) ? HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Purpose) : null;

    private static byte[]? DecodeOrNull(ReadOnlySpan<char> text)
    {
        if (!Base64Url.IsValid(text, out var length))
        {
            return null;
        }

        var bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(text, bytes, out var written) && written == length ? bytes : null;
    }
}
