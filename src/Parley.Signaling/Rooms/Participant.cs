using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// One person in one room. Mutable state changes only under the room's lock. While its connection is lost
/// and it may still resume, <see cref="Connection"/> is null and <see cref="GraceTimer"/> runs.
/// </summary>
public sealed class Participant
{
    /// <param name="resumeSecret">The random secret its id derives from (<see cref="Rooms.ResumeToken"/>).</param>
    /// <param name="access">In token mode, what its token (or resume ticket) grants; null in open mode.</param>
    public Participant(string resumeSecret, string name, bool muted, IParticipantConnection connection, ParticipantAccess? access = null)
    {
        Id = ParticipantId.FromResumeToken(resumeSecret);
        ResumeSecret = resumeSecret;
        ResumeToken = resumeSecret;
        Name = name;
        Muted = muted || access is { Permissions.CanPublish: false };
        Connection = connection;
        Access = access;
        Identity = access?.Identity ?? Id;
        Metadata = access?.Metadata ?? "";
        Permissions = access?.Permissions ?? ParticipantPermissions.Open;
    }

    /// <summary>Derived from <see cref="ResumeSecret"/>, so the same secret always means the same participant.</summary>
    public string Id { get; }

    /// <summary>The random secret behind <see cref="Id"/>.</summary>
    public string ResumeSecret { get; }

    /// <summary>
    /// What its client resumes with, sent only to its own connection: the secret, or in token mode the secret with a
    /// sealed ticket (docs/access.md), issued afresh with every <c>joined</c>.
    /// </summary>
    public string ResumeToken { get; internal set; }

    public string Name { get; internal set; }

    /// <summary>The app's id for the user (token mode), unique within the room; the participant id in open mode.</summary>
    public string Identity { get; }

    public string Metadata { get; internal set; }

    public ParticipantPermissions Permissions { get; internal set; }

    /// <summary>Muted by a moderator: it may not unmute itself, and nobody plays its audio, until that is lifted.</summary>
    public bool ServerMuted { get; internal set; }

    public bool Muted { get; internal set; }

    public bool Speaking { get; internal set; }

    /// <summary>When it entered its room on this server.</summary>
    public DateTimeOffset JoinedAt { get; internal set; }

    /// <summary>The voice channel it asked for (null: non-positional); the room takes it only from its first participant.</summary>
    public VoiceChannel? RequestedChannel { get; init; }

    /// <summary>
    /// The offer its <c>join</c> carried (the SDP, escaped as in JSON), for the first room mate the join finds; the
    /// room delivers it with the join and forgets it (docs/protocol.md, "An offer with the join").
    /// </summary>
    internal byte[]? JoinOfferSdp { get; set; }

    /// <summary>In token mode, what admitted it; null in open mode.</summary>
    public ParticipantAccess? Access { get; }

    /// <summary>Whether it may send its microphone now.</summary>
    public bool MayPublish => Permissions.CanPublish && !ServerMuted;

    /// <summary>Where its messages go; null while it is away (docs/protocol.md, "Leaving, losing the connection, and resuming").</summary>
    public IParticipantConnection? Connection { get; internal set; }

    /// <summary>Ends the grace period of an away participant.</summary>
    internal ITimer? GraceTimer { get; set; }

    /// <summary>
    /// Away because its socket dropped without a close frame (a crash, a killed browser), not because its client
    /// closed it to reconnect or went silent: a room mate's <c>peer-lost</c> then confirms it is gone.
    /// </summary>
    internal bool Dropped { get; set; }

    public ParticipantInfo ToInfo() => new(
        Id,
        Name,
        Muted,
        Speaking,
        Identity,
        Metadata.Length == 0 ? null : Metadata,
        new PermissionsInfo(Permissions.CanPublish, Permissions.CanSubscribe, Permissions.CanPublishData, Permissions.Admin),
        ServerMuted ? true : null);

    public ParticipantSnapshot ToSnapshot() =>
        new(Id, Identity, Name, Metadata, JoinedAt, Permissions, Muted, ServerMuted, Away: Connection is null);

    /// <summary>Queues a message if the participant is connected; one that is away misses it.</summary>
    internal void Deliver(byte[] utf8Json) => Connection?.TrySend(utf8Json);
}

/// <summary>What a token-mode participant was admitted with.</summary>
/// <param name="ApiKey">The key that signed its token, which also signs its resume tickets.</param>
/// <param name="TokenHash">Its access token's hash, refused after a removal until <paramref name="TokenExpiresAt"/>.</param>
public sealed record ParticipantAccess(
    string ApiKey,
    string Identity,
    string Metadata,
    ParticipantPermissions Permissions,
    string TokenHash,
    DateTimeOffset TokenExpiresAt);
