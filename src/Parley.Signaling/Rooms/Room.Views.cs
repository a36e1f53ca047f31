namespace Parley.Signaling.Rooms;

/// <summary>What others read of a room: snapshots for the admin API and webhooks, and who is connected where (several nodes).</summary>
public sealed partial class Room
{
    public RoomSnapshot ToSnapshot()
    {
        lock (gate)
        {
            return SnapshotLocked();
        }
    }

    /// <summary>The participants, hidden ones included, for the admin API.</summary>
    public IReadOnlyList<ParticipantSnapshot> Participants()
    {
        lock (gate)
        {
            return [.. participants.Values.Select(participant => participant.ToSnapshot())];
        }
    }

    /// <summary>The connections of its connected participants (several nodes: to send them elsewhere when the room moves).</summary>
    public IReadOnlyList<IParticipantConnection> Connections()
    {
        lock (gate)
        {
            return [.. participants.Values.Select(participant => participant.Connection).OfType<IParticipantConnection>()];
        }
    }

    /// <summary>Whether participant <paramref name="participantId"/> is here and hidden (nobody knows it is there).</summary>
    public bool IsHidden(string participantId)
    {
        lock (gate)
        {
            return participants.TryGetValue(participantId, out var participant) && participant.Permissions.Hidden;
        }
    }

    /// <summary>The connection of participant <paramref name="participantId"/>: null if it is away or not here.</summary>
    public IParticipantConnection? ConnectionOf(string participantId)
    {
        lock (gate)
        {
            return participants.TryGetValue(participantId, out var participant) ? participant.Connection : null;
        }
    }
}
