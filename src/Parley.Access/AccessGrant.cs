namespace Parley.Access;

/// <summary>A validated access token: who its holder is and what it may do.</summary>
/// <param name="ApiKey">The key (<c>iss</c>) that signed it.</param>
/// <param name="Identity">The app's id for the user (<c>sub</c>, else <c>jti</c>): unique within a room.</param>
/// <param name="TokenHash">base64url(SHA-256) of the token's text, to refuse this very token after a removal.</param>
/// <param name="Channel">The <c>parley.channel</c> claim as raw JSON (checked when joining), or null.</param>
public sealed record AccessGrant(
    string ApiKey,
    string Identity,
    string? Name,
    string? Metadata,
    VideoGrant Video,
    DateTimeOffset ExpiresAt,
    string TokenHash,
    System.Text.Json.JsonElement? Channel = null);
