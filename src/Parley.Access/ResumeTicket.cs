namespace Parley.Access;

/// <summary>
/// What the server signs into a token-mode resume token, so that a participant can come back (to this server or,
/// after a restart, to its successor) without the app's access token, which may have expired meanwhile.
/// </summary>
/// <param name="ApiKey">The key whose secret signs the ticket; a ticket of a key no longer configured is refused.</param>
/// <param name="TokenHash">The hash of the access token it was first admitted with (<see cref="AccessGrant.TokenHash"/>).</param>
public sealed record ResumeTicket(
    string ApiKey,
    string Room,
    string Identity,
    string? Name,
    string? Metadata,
    VideoGrant Video,
    string TokenHash,
    DateTimeOffset ExpiresAt)
{
    /// <summary>How long a ticket stays valid; every <c>joined</c> issues a fresh one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
}
