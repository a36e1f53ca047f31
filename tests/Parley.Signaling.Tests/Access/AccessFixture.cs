using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;
using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests.Access;

/// <summary>
/// A token-mode signaling core without sockets: a registry, admission with a validator that accepts the grants a test
/// hands it, removals and the events the rooms raise.
/// </summary>
internal sealed class AccessFixture
{
    public const string Key = "test-key";
    public static readonly IceServer[] Ice = [new(["stun:127.0.0.1:3478"])];

    public AccessFixture(int perRoom = 4)
    {
        var auth = Options.Create(new AuthOptions());
        auth.Value.Keys[Key] = new string('s', 40);
        var signaling = Options.Create(new SignalingOptions { MaxParticipantsPerRoom = perRoom });
        Tickets = new ResumeTicketCodec(auth, Time);
        Revocations = new AccessRevocations(Time);
        Registry = new RoomRegistry(signaling, new RoomServices(Time, new ResumeTokens(Tickets), Events));
        Admission = new Admission(auth, signaling, Validator, Tickets, Revocations, new JoinRateLimiter(signaling, Time));
        Moderation = new Moderation(Registry, Revocations, Evictions, Time, NullLogger<Moderation>.Instance);
        Administration = new RoomAdministration(Registry, Moderation, signaling);
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-12-06T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public GrantValidator Validator { get; } = new();

    public RecordedEvents Events { get; } = new();

    public RecordedEvictions Evictions { get; } = new();

    public ResumeTicketCodec Tickets { get; }

    public AccessRevocations Revocations { get; }

    public RoomRegistry Registry { get; }

    public Admission Admission { get; }

    public Moderation Moderation { get; }

    public RoomAdministration Administration { get; }

    /// <summary>A token (its text is its identity) that the validator will accept with this grant.</summary>
    public string Token(string identity, string room = "lobby", bool admin = false, bool? canPublish = null, bool hidden = false, string? name = null,
        bool canUpdateOwnMetadata = false)
    {
        var token = "token-of-" + identity + "-" + Guid.NewGuid().ToString("N");
        Validator.Grants[token] = new AccessGrant(Key, identity, name ?? identity, null,
            new VideoGrant { RoomJoin = true, Room = room, RoomAdmin = admin, CanPublish = canPublish, Hidden = hidden, CanUpdateOwnMetadata = canUpdateOwnMetadata },
            Time.GetUtcNow().AddHours(1), "hash-" + token);
        return token;
    }

    /// <summary>Admits and joins with <paramref name="token"/>; the join's error code, or null when it joined.</summary>
    public string? Join(string token, out Participant participant, out RecordingConnection connection, string? room = null)
    {
        connection = new RecordingConnection();
        participant = null!;
        if (!Admission.TryAdmitJoin(new JoinRequest(1, room, "ignored", false, token), null, null, out var entry, out var error))
        {
            return error.Code;
        }

        participant = new Participant(ResumeToken.New(), entry.DisplayName, false, connection, entry.Access);
        return Registry.TryJoin(entry.Room, participant, Ice, out _, out error) ? null : error.Code;
    }

    public (Participant Participant, RecordingConnection Connection) Joined(string identity, bool admin = false, bool? canPublish = null, bool hidden = false)
    {
        Assert.Null(Join(Token(identity, admin: admin, canPublish: canPublish, hidden: hidden), out var participant, out var connection));
        return (participant, connection);
    }

    /// <summary>Resumes with a resume token; the error code, or null when it resumed.</summary>
    public string? Resume(string resumeToken, out RecordingConnection connection)
    {
        connection = new RecordingConnection();
        if (!Admission.TryAdmitResume(new ResumeRequest(1, null, resumeToken, "ignored", null), out var secret, out var entry, out var error))
        {
            return error.Code;
        }

        var candidate = new Participant(secret, entry.DisplayName, false, connection, entry.Access);

        return Registry.TryResume(entry.Room, candidate, null, connection, Ice, static () => true, out _, out _, out error) ? null : error.Code;
    }

    public Room Lobby => Registry.Find("lobby")!;

    internal sealed class GrantValidator : IAccessTokenValidator
    {
        public Dictionary<string, AccessGrant> Grants { get; } = [];

        public bool TryValidate(string? token, out AccessGrant grant, out AccessRefusal refusal)
        {
            refusal = new AccessRefusal(AccessRefusal.Signature, "not a test token");
            return Grants.TryGetValue(token ?? "", out grant!);
        }
    }

    internal sealed class RecordedEvents : IRoomEvents
    {
        public List<string> Names { get; } = [];

        public void RoomStarted(RoomSnapshot room) => Names.Add("room_started");

        public void RoomFinished(RoomSnapshot room) => Names.Add("room_finished");

        public void ParticipantJoined(RoomSnapshot room, ParticipantSnapshot participant) => Names.Add("participant_joined " + participant.Identity);

        public void ParticipantLeft(RoomSnapshot room, ParticipantSnapshot participant, string reason) => Names.Add($"participant_left {participant.Identity} {reason}");

        public void ParticipantMuted(RoomSnapshot room, ParticipantSnapshot participant) => Names.Add("participant_muted " + participant.Identity);

        public void ParticipantRemoved(RoomSnapshot room, ParticipantSnapshot participant) => Names.Add("participant_removed " + participant.Identity);
    }

    internal sealed class RecordedEvictions : IParticipantEviction
    {
        public List<string> Evicted { get; } = [];

        public void Evict(string participantId) => Evicted.Add(participantId);
    }
}
