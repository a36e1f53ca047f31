using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// A named room and its participants. Every change and every message it sends happens under one lock,
/// so all participants see joins, leaves and state changes in the same order.
/// </summary>
/// <remarks>
/// A participant whose connection dropped abruptly stays, away (no connection), for the grace period, so it
/// can resume; see docs/protocol.md, "Leaving, losing the connection, and resuming".
/// </remarks>
public sealed partial class Room(string name, int capacity)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Participant> participants = new(StringComparer.Ordinal);
    private bool closed;

    /// <summary>The room's name as its first participant spelled it.</summary>
    public string Name { get; } = name;

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
    /// Adds a participant, sends it <c>joined</c> and tells everyone else. Fails with room-full, or returns
    /// <see cref="JoinOutcome.Closed"/> when the registry removed this room meanwhile (the caller retries).
    /// </summary>
    internal JoinOutcome TryAdd(Participant joiner, IReadOnlyList<IceServer> iceServers, out ProtocolError error)
    {
        lock (gate)
        {
            if (!TryMakeRoomLocked(out var outcome, out error))
            {
                return outcome;
            }

            AddLocked(joiner, iceServers, resumed: false, announceAsResumed: false);
            return JoinOutcome.Joined;
        }
    }

    /// <summary>
    /// Puts a resuming participant back on <paramref name="connection"/>: the one this room still holds
    /// (away, or on an old connection, which is told it was replaced), or, when the room no longer knows the
    /// id (a restarted server, an expired grace period), a new one with that id. Sends <c>joined</c> and tells
    /// the others with <c>participant-joined</c> <c>resumed: true</c>.
    /// </summary>
    internal JoinOutcome TryResume(string resumeToken, string id, string displayName, bool? muted, IParticipantConnection connection,
        IReadOnlyList<IceServer> iceServers, out Participant participant, out ProtocolError error)
    {
        lock (gate)
        {
            if (participants.TryGetValue(id, out participant!))
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
                participant.Muted = muted ?? participant.Muted;
                if (previous is not null && !ReferenceEquals(previous, connection))
                {
                    previous.OnReplaced();
                }

                participants.Remove(id);
                AddLocked(participant, iceServers, resumed: true, announceAsResumed: true);
                return JoinOutcome.Joined;
            }

            if (!TryMakeRoomLocked(out var outcome, out error))
            {
                return outcome;
            }

            participant = new Participant(resumeToken, displayName, muted ?? false, connection);
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

    /// <summary>Closes the room if it is still empty; a closed room takes no more participants.</summary>
    internal bool TryClose()
    {
        lock (gate)
        {
            closed = participants.Count == 0;
            return closed;
        }
    }

    private bool TryMakeRoomLocked(out JoinOutcome outcome, out ProtocolError error)
    {
        error = default;
        if (closed)
        {
            outcome = JoinOutcome.Closed;
            return false;
        }

        if (participants.Count >= capacity)
        {
            error = new ProtocolError(ErrorCode.RoomFull, $"Room '{Name}' is full ({capacity} participants).");
            outcome = JoinOutcome.Refused;
            return false;
        }

        outcome = JoinOutcome.Joined;
        return true;
    }

    private void AddLocked(Participant joiner, IReadOnlyList<IceServer> iceServers, bool resumed, bool announceAsResumed)
    {
        var others = new ParticipantInfo[participants.Count];
        var i = 0;
        foreach (var other in participants.Values)
        {
            others[i++] = other.ToInfo();
        }

        participants.Add(joiner.Id, joiner);
        var joined = new JoinedMessage(ProtocolVersion.Current, Name, joiner.ResumeToken, resumed, joiner.ToInfo(), others, iceServers);
        joiner.Deliver(ProtocolJson.Serialize(joined, SignalingJsonContext.Default.JoinedMessage));
        var announcement = new ParticipantJoinedMessage(joiner.ToInfo(), announceAsResumed ? true : null);
        BroadcastLocked(joiner, ProtocolJson.Serialize(announcement, SignalingJsonContext.Default.ParticipantJoinedMessage));
    }

    private void RemoveLocked(Participant leaver, string reason, bool announce)
    {
        if (!participants.Remove(leaver.Id))
        {
            return;
        }

        leaver.GraceTimer?.Dispose();
        leaver.GraceTimer = null;
        if (announce)
        {
            BroadcastLocked(leaver, ProtocolJson.Serialize(new ParticipantLeftMessage(leaver.Id, reason), SignalingJsonContext.Default.ParticipantLeftMessage));
        }
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
}

internal enum JoinOutcome
{
    Joined,
    Refused,
    Closed,
}
