namespace Parley.Access;

/// <summary>
/// The <c>Auth</c> section. With at least one key, Parley is in token mode: every join needs an access token signed
/// with one of these secrets (docs/access.md). Without keys it is in open mode: anyone may join any room by name.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The shortest secret accepted: HS256 keys under 256 bits are guessable offline (and .NET refuses them).</summary>
    public const int MinSecretLength = 32;

    /// <summary>
    /// API key to secret (<c>Auth:Keys:&lt;apiKey&gt;=&lt;secret&gt;</c>); a token's <c>iss</c> names its key. Several keys
    /// allow rotation. Defaults to none (open mode).
    /// </summary>
    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);

    /// <summary>True when tokens are required.</summary>
    public bool TokenMode => Keys.Count > 0;
}
