using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Access;

/// <summary>
/// Validates LiveKit-format access tokens (RFC 7519 JWTs, HS256 per RFC 7518 §3.2) against <see cref="AuthOptions.Keys"/>.
/// The steps, each with its refusal code (docs/access.md): the text is a compact JWS of at most
/// <see cref="MaxTokenLength"/> characters with a JSON object payload (<c>token-malformed</c>); its header's
/// <c>alg</c> is exactly HS256 (<c>token-algorithm</c>: <c>none</c> and every other algorithm are refused, RFC 8725
/// §3.1); <c>iss</c> names a configured key (<c>token-unknown-key</c>); the HMAC matches (<c>token-signature</c>);
/// <c>exp</c> is present (<c>token-malformed</c>) and not passed, and <c>nbf</c> not ahead, each within
/// <see cref="ClockLeeway"/> (<c>token-expired</c>, <c>token-not-yet-valid</c>); <c>sub</c>, else <c>jti</c>, names
/// someone (<c>token-no-identity</c>). Claims are read only once the signature holds.
/// Neither <c>typ</c> in the header nor <c>iat</c> in the payload is required: LiveKit's Node SDK writes neither.
/// Never throws on hostile input, and never logs: IdentityModel's PII and artifact logging stay off.
/// </summary>
public sealed class AccessTokenValidator : IAccessTokenValidator
{
    /// <summary>Longer texts are refused unread. A LiveKit token with a grant and some metadata is well under 2 KiB.</summary>
    public const int MaxTokenLength = 8 * 1024;

    /// <summary>Clock difference tolerated between the app's backend and this server, as LiveKit's server allows.</summary>
    public static readonly TimeSpan ClockLeeway = TimeSpan.FromSeconds(60);

    private readonly JsonWebTokenHandler handler = new() { MaximumTokenSizeInBytes = MaxTokenLength };
    private readonly Dictionary<string, TokenValidationParameters> keys = new(StringComparer.Ordinal);
    private readonly TimeProvider time;

    /// <exception cref="ArgumentException">A secret is shorter than <see cref="AuthOptions.MinSecretLength"/> (checked at start, too).</exception>
    public AccessTokenValidator(AuthOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        this.time = time;

        // Both are off by default; pinned here so that no other code in the process turns token text into log lines.
        IdentityModelEventSource.ShowPII = false;
        IdentityModelEventSource.LogCompleteSecurityArtifact = false;

        foreach (var (apiKey, secret) in options.Keys)
        {
            if (secret is null || secret.Length < AuthOptions.MinSecretLength)
            {
                throw new ArgumentException($"Auth:Keys:{apiKey} secret is shorter than {AuthOptions.MinSecretLength} characters.", nameof(options));
            }

            keys[apiKey] = new TokenValidationParameters
            {
                // The secret's UTF-8 bytes, as LiveKit's SDKs and server use them (new TextEncoder().encode(secret)).
                IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)),
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RequireSignedTokens = true,
                TryAllIssuerSigningKeys = true,
                ValidateIssuerSigningKey = false,
                // The issuer selected this key; the lifetime is checked below against the injected clock.
                ValidateIssuer = false,
                ValidateAudience = false,
                ValidateLifetime = false,
                RequireExpirationTime = false,
                LogValidationExceptions = false,
                LogTokenId = false,
            };
        }
    }

    /// <summary>base64url(SHA-256(token text)): names one token (to refuse it after a removal) without keeping it.</summary>
    public static string HashOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
    }

    public bool TryValidate(string? token, out AccessGrant grant, out AccessRefusal refusal) =>
        Validate(token, requireIdentity: true, out grant, out refusal);

    public bool TryValidateApiCall(string? token, out AccessGrant grant, out AccessRefusal refusal) =>
        Validate(token, requireIdentity: false, out grant, out refusal);

    private bool Validate(string? token, bool requireIdentity, out AccessGrant grant, out AccessRefusal refusal)
    {
        grant = null!;
        if (string.IsNullOrEmpty(token))
        {
            refusal = new(AccessRefusal.Missing, "An access token is required: this server is in token mode.");
            return false;
        }

        if (token.Length > MaxTokenLength || !TryRead(token, out var jwt, out var claims))
        {
            refusal = new(AccessRefusal.Malformed, "The access token is not a JWT (three base64url parts with a JSON header and payload).");
            return false;
        }

        // RFC 8725 §3.1: the algorithm is the verifier's choice, never the token's.
        if (!string.Equals(jwt.Alg, SecurityAlgorithms.HmacSha256, StringComparison.Ordinal))
        {
            refusal = new(AccessRefusal.Algorithm, "The access token must be signed with HS256.");
            return false;
        }

        if (claims.Iss is not { Length: > 0 } apiKey || !keys.TryGetValue(apiKey, out var parameters))
        {
            refusal = new(AccessRefusal.UnknownKey, "The access token's key (iss) is not one of this server's Auth:Keys.");
            return false;
        }

        if (!HasValidSignature(jwt, parameters))
        {
            refusal = new(AccessRefusal.Signature, "The access token's signature does not match its key's secret.");
            return false;
        }

        if (claims.Exp is not { } exp)
        {
            refusal = new(AccessRefusal.Malformed, "The access token has no expiry (exp); it must have one.");
            return false;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        var leeway = ClockLeeway.TotalSeconds;
        if (now > exp + leeway)
        {
            refusal = new(AccessRefusal.Expired, "The access token has expired.");
            return false;
        }

        if (claims.Nbf is { } nbf && now < nbf - leeway)
        {
            refusal = new(AccessRefusal.NotYetValid, "The access token is not valid yet (nbf); check the clocks of this server and the app's backend.");
            return false;
        }

        var identity = !string.IsNullOrEmpty(claims.Sub) ? claims.Sub : claims.Jti;
        if (string.IsNullOrEmpty(identity) && requireIdentity)
        {
            refusal = new(AccessRefusal.NoIdentity, "The access token names no identity (sub).");
            return false;
        }

        grant = new AccessGrant(
            apiKey,
            identity ?? "",
            string.IsNullOrEmpty(claims.Name) ? null : claims.Name,
            string.IsNullOrEmpty(claims.Metadata) ? null : claims.Metadata,
            claims.Video?.ToGrant() ?? new VideoGrant(),
            ToDate(exp),
            HashOf(token),
            claims.Parley?.Channel?.Clone());
        refusal = default;
        return true;
    }

    /// <summary>
    /// Parses the compact serialization (RFC 7515 §7.1) and reads the claims Parley uses from the raw payload JSON, which
    /// the handler exposes only as flat claims. False for anything unreadable, including a JWE (five parts).
    /// </summary>
    private bool TryRead(string token, out JsonWebToken jwt, out TokenClaims claims)
    {
        jwt = null!;
        claims = null!;
        try
        {
            if (!handler.CanReadToken(token))
            {
                return false;
            }

            jwt = handler.ReadJsonWebToken(token);
            if (jwt.IsEncrypted)
            {
                return false;
            }

            var payload = Base64Url.DecodeFromChars(jwt.EncodedPayload);
            claims = JsonSerializer.Deserialize(payload, AccessJsonContext.Default.TokenClaims)!;
            return claims is not null;
        }
        catch (Exception error) when (error is ArgumentException or JsonException or FormatException or SecurityTokenException)
        {
            // SecurityTokenMalformedException is an ArgumentException; a JSON "null" payload deserializes to null.
            return false;
        }
    }

    /// <summary>
    /// The HMAC check through the handler. With an in-memory key and no configuration manager the handler never waits,
    /// so its task is complete on return; lifetime, issuer and audience checks are off (done above).
    /// </summary>
    private bool HasValidSignature(JsonWebToken jwt, TokenValidationParameters parameters)
    {
        var validation = handler.ValidateTokenAsync(jwt, parameters);
        return validation.IsCompletedSuccessfully && validation.Result.IsValid;
    }

    private static DateTimeOffset ToDate(double seconds)
    {
        const double maxSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z, DateTimeOffset's last second
        return seconds >= maxSeconds ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }
}
