using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// A named room and its participants. Every change and every message it sends happens under one lock,
/// so all participants see joins, leaves and state changes in the same order.
/// </summary>
/// <remarks>
/// A participant whose connection dropped abruptly stays, away (no connection), for the grace period, so it
/// can resume; see docs/protocol.md, "Leaving, losing the connection, and resuming". Hidden participants (token mode)
/// are in nobody's list and never announced.
/// </remarks>
public sealed partial class Room
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Participant> participants = new(StringComparer.Ordinal);
    private readonly RoomServices services;
    private bool closed;
    private bool started;
    private bool locked;
    private string metadata = "";

    internal Room(string name, int capacity, int emptyTimeoutSeconds, RoomServices services)
    {
        Name = name;
        Capacity = capacity;
        EmptyTimeoutSeconds = emptyTimeoutSeconds;
        this.services = services;
        Sid = "RM_" + ParticipantId.New()[2..];
        CreationTime = services.Time.GetUtcNow();
    }

    /// <summary>The room's name as its first participant spelled it.</summary>
    public string Name { get; }

    /// <summary>"RM_" and 12 random characters: tells this room from a later one of the same name.</summary>
    public string Sid { get; }

    public DateTimeOffset CreationTime { get; }

    /// <summary>Participants it holds at most.</summary>
    public int Capacity { get; internal set; }

    /// <summary>Seconds the room stays open while empty: 0 (closes at once) unless the admin API created it.</summary>
    public int EmptyTimeoutSeconds { get; internal set; }

    /// <summary>Closes a room kept open while empty (<see cref="EmptyTimeoutSeconds"/>).</summary>
    internal ITimer? EmptyTimer { get; set; }

    /// <summary>Participants, the away ones included.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return participants.Count;
            }
        }
    }

    /// <summary>
    /// Adds a participant, sends it <c>joined</c> and tells everyone else. Fails with room-full or room-locked, or
    /// returns <see cref="JoinOutcome.Closed"/> when the registry removed this room meanwhile (the caller retries).
    /// </summary>
    internal JoinOutcome TryAdd(Participant joiner, IReadOnlyList<IceServer> iceServers, out ProtocolError error)
    {
        lock (gate)
        {
            var namesake = FindByIdentityLocked(joiner.Identity);

            // A locked room still lets someone back in as the identity it already holds (a page reloaded).
            if (locked && !closed && namesake is null)
            {
                error = new ProtocolError(ErrorCode.RoomLocked, $"Room '{Name}' is locked: nobody new may join.");
                return JoinOutcome.Refused;
            }

            if (!TryMakeRoomLocked(namesake, out var outcome, out error))
            {
                return outcome;
            }

            AddLocked(joiner, iceServers, resumed: false, announceAsResumed: false);
            return JoinOutcome.Joined;
        }
    }

    /// <summary>
    /// Puts a resuming participant back on <paramref name="connection"/>: the one this room still holds with
    /// <paramref name="candidate"/>'s id (away, or on an old connection, which is told it was replaced), or, when the
    /// room no longer knows the id (a restarted server, an expired grace period) and <paramref name="mayCreate"/> agrees,
    /// <paramref name="candidate"/> itself. Sends <c>joined</c> and tells the others with <c>participant-joined</c>
    /// <c>resumed: true</c>.
    /// </summary>
    internal JoinOutcome TryResume(Participant candidate, bool? muted, IParticipantConnection connection, IReadOnlyList<IceServer> iceServers,
        Func<bool> mayCreate, out Participant participant, out ProtocolError error)
    {
        lock (gate)
        {
            if (participants.TryGetValue(candidate.Id, out participant!))
            {
                error = default;
                if (closed)
                {
                    return JoinOutcome.Closed;
                }

                var previous = participant.Connection;
                participant.Connection = connection;
                participant.GraceTimer?.Dispose();
                participant.GraceTimer = null;
                participant.Dropped = false;
                participant.Muted = participant.MayPublish ? muted ?? participant.Muted : true;
                if (previous is not null && !ReferenceEquals(previous, connection))
                {
                    previous.OnReplaced();
                }

                participants.Remove(participant.Id);
                AddLocked(participant, iceServers, resumed: true, announceAsResumed: true);
                return JoinOutcome.Joined;
            }

            if (!TryMakeRoomLocked(FindByIdentityLocked(candidate.Identity), out var outcome, out error))
            {
                return outcome;
            }

            if (!mayCreate())
            {
                error = new ProtocolError(ErrorCode.RateExceeded, "Too many joins from your address; wait a minute.");
                return JoinOutcome.Refused;
            }

            participant = candidate;
            participant.Muted = !participant.MayPublish || (muted ?? participant.Muted);
            AddLocked(participant, iceServers, resumed: false, announceAsResumed: true);
            return JoinOutcome.Joined;
        }
    }

    /// <summary>
    /// Removes a participant if <paramref name="connection"/> is still its connection, telling the others
    /// why unless <paramref name="announce"/> is false. Returns the number left in the room.
    /// </summary>
    internal int Remove(Participant leaver, IParticipantConnection connection, string reason, bool announce)
    {
        lock (gate)
        {
            if (ReferenceEquals(leaver.Connection, connection))
            {
                RemoveLocked(leaver, reason, announce);
            }

            return participants.Count;
        }
    }

    /// <summary>
    /// Closes the room if it is still empty (and, when it is kept open empty, its time is up, or
    /// <paramref name="force"/>); a closed room takes no more participants.
    /// </summary>
    internal bool TryClose(bool emptyTimeUp)
    {
        lock (gate)
        {
            closed = participants.Count == 0 && (EmptyTimeoutSeconds == 0 || emptyTimeUp);
            return closed;
        }
    }

    /// <summary>Whether it is closed; a registry that still lists it must replace it.</summary>
    internal bool IsClosed
    {
        get
        {
            lock (gate)
            {
                return closed;
            }
        }
    }

    /// <summary>Whether <paramref name="participantId"/> is here (connected or away).</summary>
    internal bool Contains(string participantId)
    {
        lock (gate)
        {
            return participants.ContainsKey(participantId);
        }
    }

    private RoomSnapshot SnapshotLocked() =>
        new(Sid, Name, participants.Count, CreationTime, metadata, Capacity, EmptyTimeoutSeconds, locked);

    /// <summary>
    /// Makes a place for one more: an older participant with the same identity (token mode) gives up its place to the
    /// newcomer (its connection gets <c>duplicate-identity</c>); otherwise the room must not be full.
    /// </summary>
    private bool TryMakeRoomLocked(Participant? namesake, out JoinOutcome outcome, out ProtocolError error)
    {
        error = default;
        if (closed)
        {
            outcome = JoinOutcome.Closed;
            return false;
        }

        if (namesake is null && participants.Count >= Capacity)
        {
            error = new ProtocolError(ErrorCode.RoomFull, $"Room '{Name}' is full ({Capacity} participants).");
            outcome = JoinOutcome.Refused;
            return false;
        }

        if (namesake is not null)
        {
            namesake.Connection?.OnRemoved(new ProtocolError(ErrorCode.DuplicateIdentity, "You joined this room again on another connection."));
            RemoveLocked(namesake, ParticipantLeftMessage.ReasonReplaced, announce: true);
        }

        outcome = JoinOutcome.Joined;
        return true;
    }

    private Participant? FindByIdentityLocked(string identity)
    {
        foreach (var participant in participants.Values)
        {
            if (string.Equals(participant.Identity, identity, StringComparison.Ordinal))
            {
                return participant;
            }
        }

        return null;
    }

    private void AddLocked(Participant joiner, IReadOnlyList<IceServer> iceServers, bool resumed, bool announceAsResumed)
    {
        var others = new List<ParticipantInfo>(participants.Count);
        foreach (var other in participants.Values)
        {
            if (!other.Permissions.Hidden)
            {
                others.Add(other.ToInfo());
            }
        }

        participants.Add(joiner.Id, joiner);
        EmptyTimer?.Dispose();
        EmptyTimer = null;
        if (!resumed)
        {
            joiner.JoinedAt = services.Time.GetUtcNow();
        }

        joiner.ResumeToken = services.ResumeTokens.IssueFor(joiner, Name);
        var (offerTo, offer) = JoinOfferLocked(joiner, others);
        var joined = new JoinedMessage(ProtocolVersion.Current, Name, joiner.ResumeToken, resumed, joiner.ToInfo(), others, iceServers,
            locked, metadata.Length == 0 ? null : metadata, DecideChannelLocked(joiner), offerTo?.Id);
        joiner.Deliver(ProtocolJson.Serialize(joined, SignalingJsonContext.Default.JoinedMessage));
        if (!joiner.Permissions.Hidden)
        {
            var announcement = new ParticipantJoinedMessage(joiner.ToInfo(), announceAsResumed ? true : null);
            BroadcastLocked(joiner, ProtocolJson.Serialize(announcement, SignalingJsonContext.Default.ParticipantJoinedMessage));
        }

        // After its participant-joined, as if the newcomer had sent it on receiving `joined`: one relay less on the
        // way to hearing each other (docs/benchmarks.md, "Join to hearing").
        offerTo?.Deliver(offer);

        StartLocked();
        if (!resumed)
        {
            services.Events.ParticipantJoined(SnapshotLocked(), joiner.ToSnapshot());
        }
    }

    /// <summary>The room is in use from now on (its first join, or the admin API created it): <c>room_started</c>, once.</summary>
    internal void Start()
    {
        lock (gate)
        {
            StartLocked();
        }
    }

    private void StartLocked()
    {
        if (!started && !closed)
        {
            started = true;
            services.Events.RoomStarted(SnapshotLocked());
        }
    }

    private void RemoveLocked(Participant leaver, string reason, bool announce)
    {
        if (!participants.Remove(leaver.Id))
        {
            return;
        }

        leaver.GraceTimer?.Dispose();
        leaver.GraceTimer = null;
        services.Seats.Release(Name, leaver.Id);
        if (announce && !leaver.Permissions.Hidden)
        {
            BroadcastLocked(leaver, ProtocolJson.Serialize(new ParticipantLeftMessage(leaver.Id, reason), SignalingJsonContext.Default.ParticipantLeftMessage));
        }

        services.Events.ParticipantLeft(SnapshotLocked(), leaver.ToSnapshot(), reason);
    }

    private void BroadcastLocked(Participant except, byte[] utf8Json)
    {
        foreach (var participant in participants.Values)
        {
            if (!ReferenceEquals(participant, except))
            {
                participant.Deliver(utf8Json);
            }
        }
    }

    private void BroadcastLocked(byte[] utf8Json)
    {
        foreach (var participant in participants.Values)
        {
            participant.Deliver(utf8Json);
        }
    }
}

internal enum JoinOutcome
{
    Joined,
    Refused,
    Closed,
}
