using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Access;

/// <summary>
/// Mints access tokens shaped like those of LiveKit's server SDKs: header <c>{"alg":"HS256","typ":"JWT"}</c>, claims
/// <c>iss</c> (API key), <c>sub</c> (identity), <c>nbf</c> (now), <c>exp</c>, <c>jti</c> (random), <c>name</c> and
/// <c>metadata</c> when given, and the <c>video</c> grant in camelCase with unset fields left out. Used by the
/// <c>token</c> command and by tests; an app's backend mints with a LiveKit server SDK instead.
/// </summary>
public sealed class AccessTokenMinter(TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <exception cref="ArgumentException">The secret is shorter than <see cref="AuthOptions.MinSecretLength"/>, the identity is empty, or <paramref name="ttl"/> is not positive.</exception>
    public string Mint(string apiKey, string secret, string identity, string? name, string? metadata, VideoGrant video, TimeSpan ttl,
        JsonElement? channel = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(apiKey);
        ArgumentException.ThrowIfNullOrEmpty(identity);
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(video);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ttl, TimeSpan.Zero);
        if (secret.Length < AuthOptions.MinSecretLength)
        {
            throw new ArgumentException($"The secret must be at least {AuthOptions.MinSecretLength} characters.", nameof(secret));
        }

        var now = time.GetUtcNow();
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = identity,
            [JwtRegisteredClaimNames.Jti] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["video"] = JsonSerializer.SerializeToElement(VideoClaim.From(video), AccessJsonContext.Default.VideoClaim),
        };
        if (!string.IsNullOrEmpty(name))
        {
            claims["name"] = name;
        }

        if (!string.IsNullOrEmpty(metadata))
        {
            claims["metadata"] = metadata;
        }

        if (channel is { } voiceChannel)
        {
            claims["parley"] = JsonSerializer.SerializeToElement(new ParleyClaim { Channel = voiceChannel }, AccessJsonContext.Default.ParleyClaim);
        }

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = apiKey,
            NotBefore = now.UtcDateTime,
            Expires = (now + ttl).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }
}
