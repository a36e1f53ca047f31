using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

public sealed partial class Room
{
    /// <summary>
    /// Marks a participant away when <paramref name="connection"/>, its connection, was lost: it keeps its place
    /// until it resumes or <paramref name="startGraceTimer"/>'s timer ends the grace period. When the socket
    /// <paramref name="dropped"/> without a close frame, the others get <c>participant-away</c>, so they check
    /// their peer connections to it and answer <c>peer-lost</c> if it is gone (<see cref="CheckAlive"/>); a client
    /// that closed to reconnect (4000) or went silent is not announced. False if the participant is no longer
    /// here on that connection.
    /// </summary>
    internal bool TryMarkAway(Participant participant, IParticipantConnection connection, bool dropped, Func<Participant, ITimer> startGraceTimer)
    {
        lock (gate)
        {
            if (!ReferenceEquals(participant.Connection, connection) || !participants.ContainsKey(participant.Id))
            {
                return false;
            }

            participant.Connection = null;
            participant.Dropped = dropped;
            participant.GraceTimer = startGraceTimer(participant);
            if (dropped && !participant.Permissions.Hidden)
            {
                BroadcastLocked(participant, ProtocolJson.Serialize(new ParticipantAwayMessage(participant.Id), SignalingJsonContext.Default.ParticipantAwayMessage));
            }

            return true;
        }
    }

    /// <summary>Ends a grace period: removes the participant if it is still away. Returns the number left.</summary>
    internal int RemoveIfAway(Participant participant)
    {
        lock (gate)
        {
            if (participant.Connection is null && participants.TryGetValue(participant.Id, out var current) && ReferenceEquals(current, participant))
            {
                RemoveLocked(participant, ParticipantLeftMessage.ReasonDisconnected, announce: true);
            }

            return participants.Count;
        }
    }
}
