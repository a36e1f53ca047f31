namespace Parley.Access;

/// <summary>
/// The payload claims of an access token that Parley reads (RFC 7519 §4.1 registered claims and LiveKit's own);
/// any other claim (<c>iat</c>, <c>attributes</c>, <c>kind</c>, <c>sha256</c>, ...) is ignored. A claim of the wrong
/// JSON type makes the payload unreadable, and the token malformed.
/// </summary>
internal sealed class TokenClaims
{
    /// <summary>RFC 7519 §4.1.1: the API key, which selects the secret.</summary>
    public string? Iss { get; set; }

    /// <summary>RFC 7519 §4.1.2: the identity.</summary>
    public string? Sub { get; set; }

    /// <summary>RFC 7519 §4.1.7: the identity when <c>sub</c> is empty (LiveKit's fallback).</summary>
    public string? Jti { get; set; }

    /// <summary>RFC 7519 §4.1.4: NumericDate, seconds since the epoch, which may have a fraction (RFC 7519 §2).</summary>
    public double? Exp { get; set; }

    /// <summary>RFC 7519 §4.1.5.</summary>
    public double? Nbf { get; set; }

    public string? Name { get; set; }

    public string? Metadata { get; set; }

    public VideoClaim? Video { get; set; }

    /// <summary>Parley's own claim (<c>{"channel": {...}}</c>); not LiveKit's.</summary>
    public ParleyClaim? Parley { get; set; }
}
