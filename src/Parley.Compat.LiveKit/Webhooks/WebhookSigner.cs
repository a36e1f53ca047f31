using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Parley.Compat.LiveKit.Webhooks;

/// <summary>
/// The <c>Authorization</c> of a webhook as LiveKit's <c>WebhookReceiver</c> checks it: a bare HS256 JWT (no
/// "Bearer") from the API key's secret, <c>iss</c> the key, valid <see cref="Lifetime"/>, whose <c>sha256</c> claim is
/// the standard base64 of the body's SHA-256 (livekit/protocol <c>webhook/resource_url_notifier.go</c>, <c>send</c>).
/// </summary>
internal sealed class WebhookSigner
{
    /// <summary>As LiveKit's webhook tokens.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    private readonly string apiKey;
    private readonly SigningCredentials credentials;
    private readonly TimeProvider time;

    public WebhookSigner(string apiKey, string secret, TimeProvider time)
    {
        this.apiKey = apiKey;
        this.time = time;
        credentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256);
    }

    public string Sign(ReadOnlySpan<byte> body)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = apiKey,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object> { ["sha256"] = Convert.ToBase64String(SHA256.HashData(body)) },
            SigningCredentials = credentials,
        });
    }
}
