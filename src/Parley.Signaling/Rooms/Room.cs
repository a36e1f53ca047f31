using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// A named room and its participants. Every change and every message it sends happens under one lock,
/// so all participants see joins, leaves and state changes in the same order.
/// </summary>
public sealed class Room(string name, int capacity)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Participant> participants = new(StringComparer.Ordinal);
    private bool closed;

    /// <summary>The room's name as its first participant spelled it.</summary>
    public string Name { get; } = name;

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
            if (closed)
            {
                error = default;
                return JoinOutcome.Closed;
            }

            if (participants.Count >= capacity)
            {
                error = new ProtocolError(ErrorCode.RoomFull, $"Room '{Name}' is full ({capacity} participants).");
                return JoinOutcome.Refused;
            }

            var others = new ParticipantInfo[participants.Count];
            var i = 0;
            foreach (var other in participants.Values)
            {
                others[i++] = other.ToInfo();
            }

            participants.Add(joiner.Id, joiner);
            var joined = new JoinedMessage(ProtocolVersion.Current, Name, joiner.ToInfo(), others, iceServers);
            joiner.Connection.TrySend(ProtocolJson.Serialize(joined, SignalingJsonContext.Default.JoinedMessage));
            BroadcastLocked(joiner, ProtocolJson.Serialize(new ParticipantJoinedMessage(joiner.ToInfo()), SignalingJsonContext.Default.ParticipantJoinedMessage));
            error = default;
            return JoinOutcome.Joined;
        }
    }

    /// <summary>Removes a participant and tells the others why. Returns the number left in the room.</summary>
    internal int Remove(Participant leaver, string reason)
    {
        lock (gate)
        {
            if (participants.Remove(leaver.Id))
            {
                BroadcastLocked(leaver, ProtocolJson.Serialize(new ParticipantLeftMessage(leaver.Id, reason), SignalingJsonContext.Default.ParticipantLeftMessage));
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

    /// <summary>Applies a participant's own state change and tells the others if anything changed.</summary>
    public void UpdateState(Participant participant, bool? muted, bool? speaking)
    {
        lock (gate)
        {
            var newMuted = muted ?? participant.Muted;
            var newSpeaking = speaking ?? participant.Speaking;
            if (!participants.ContainsKey(participant.Id) || (newMuted == participant.Muted && newSpeaking == participant.Speaking))
            {
                return;
            }

            participant.Muted = newMuted;
            participant.Speaking = newSpeaking;
            BroadcastLocked(participant, ProtocolJson.Serialize(new ParticipantStateMessage(participant.Id, newMuted, newSpeaking), SignalingJsonContext.Default.ParticipantStateMessage));
        }
    }

    /// <summary>
    /// Delivers a message to another participant of this room. False if <paramref name="toId"/> is not
    /// one: a participant of another room is indistinguishable from one that does not exist.
    /// </summary>
    public bool TrySendTo(Participant sender, string toId, byte[] utf8Json)
    {
        lock (gate)
        {
            if (toId == sender.Id || !participants.ContainsKey(sender.Id) || !participants.TryGetValue(toId, out var recipient))
            {
                return false;
            }

            recipient.Connection.TrySend(utf8Json);
            return true;
        }
    }

    /// <summary>Delivers a message to every participant, the sender included, if the sender is still here.</summary>
    public bool TrySendToAll(Participant sender, byte[] utf8Json)
    {
        lock (gate)
        {
            if (!participants.ContainsKey(sender.Id))
            {
                return false;
            }

            foreach (var participant in participants.Values)
            {
                participant.Connection.TrySend(utf8Json);
            }

            return true;
        }
    }

    private void BroadcastLocked(Participant except, byte[] utf8Json)
    {
        foreach (var participant in participants.Values)
        {
            if (!ReferenceEquals(participant, except))
            {
                participant.Connection.TrySend(utf8Json);
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
