namespace Parley.Signaling.Rooms;

/// <summary>
/// What happens in rooms, for webhooks. Called right after each change, under the room's lock, so the calls of one
/// room come in the order the room made the changes. Implementations only queue: they must not block or throw.
/// </summary>
public interface IRoomEvents
{
    void RoomStarted(RoomSnapshot room);

    void RoomFinished(RoomSnapshot room);

    void ParticipantJoined(RoomSnapshot room, ParticipantSnapshot participant);

    /// <param name="reason">As in <c>participant-left</c>: left, disconnected, removed, replaced.</param>
    void ParticipantLeft(RoomSnapshot room, ParticipantSnapshot participant, string reason);

    /// <summary>A moderator or the admin API server-muted the participant.</summary>
    void ParticipantMuted(RoomSnapshot room, ParticipantSnapshot participant);

    /// <summary>A moderator or the admin API removed the participant (its <see cref="ParticipantLeft"/> follows).</summary>
    void ParticipantRemoved(RoomSnapshot room, ParticipantSnapshot participant);
}

/// <summary>No webhooks: nothing listens.</summary>
public sealed class NoRoomEvents : IRoomEvents
{
    public void RoomStarted(RoomSnapshot room)
    {
    }

    public void RoomFinished(RoomSnapshot room)
    {
    }

    public void ParticipantJoined(RoomSnapshot room, ParticipantSnapshot participant)
    {
    }

    public void ParticipantLeft(RoomSnapshot room, ParticipantSnapshot participant, string reason)
    {
    }

    public void ParticipantMuted(RoomSnapshot room, ParticipantSnapshot participant)
    {
    }

    public void ParticipantRemoved(RoomSnapshot room, ParticipantSnapshot participant)
    {
    }
}
