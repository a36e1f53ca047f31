namespace Parley.Access;

/// <summary>
/// Who was removed and stays out: the access token they came with (until it expires), their participant's resume
/// tickets (until those expire), and, with a ban, their identity in that room (until the ban ends). Kept in memory
/// and bounded: at <see cref="MaxEntries"/> the entry that ends soonest makes way.
/// </summary>
public sealed class AccessRevocations(TimeProvider time)
{
    /// <summary>Most removals remembered at once.</summary>
    public const int MaxEntries = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, DateTimeOffset> until = new(StringComparer.Ordinal);

    /// <summary>Records a removal. A ban of zero keeps out only the token and the participant, not the identity.</summary>
    public void Remove(string? tokenHash, DateTimeOffset tokenExpiry, string participantId, string room, string identity, TimeSpan ban)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (tokenHash is not null)
            {
                AddLocked(TokenKey(tokenHash), tokenExpiry, now);
            }

            AddLocked(ParticipantKey(participantId), now + ResumeTicket.Lifetime, now);
            if (ban > TimeSpan.Zero)
            {
                AddLocked(BanKey(room, identity), now + ban, now);
            }
        }
    }

    public bool IsTokenRevoked(string tokenHash) => IsActive(TokenKey(tokenHash));

    public bool IsParticipantRevoked(string participantId) => IsActive(ParticipantKey(participantId));

    public bool IsBanned(string room, string identity) => IsActive(BanKey(room, identity));

    private bool IsActive(string key)
    {
        lock (gate)
        {
            return until.TryGetValue(key, out var end) && end > time.GetUtcNow();
        }
    }

    private void AddLocked(string key, DateTimeOffset end, DateTimeOffset now)
    {
        if (until.TryGetValue(key, out var existing) && existing >= end)
        {
            return;
        }

        if (until.Count >= MaxEntries && !until.ContainsKey(key))
        {
            foreach (var expired in until.Where(pair => pair.Value <= now).Select(pair => pair.Key).ToList())
            {
                until.Remove(expired);
            }

            if (until.Count >= MaxEntries)
            {
                until.Remove(until.MinBy(pair => pair.Value).Key);
            }
        }

        until[key] = end;
    }

    private static string TokenKey(string tokenHash) => "t:" + tokenHash;

    private static string ParticipantKey(string participantId) => "p:" + participantId;

    // Room names compare case-insensitively (docs/protocol.md, "Names"); identities are the app's, exact.
    private static string BanKey(string room, string identity) => "b:" + room.ToUpperInvariant() + "\n" + identity;
}
