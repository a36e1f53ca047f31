using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

public sealed partial class Room
{
    /// <summary>
    /// Marks a participant away when <paramref name="connection"/>, its connection, dropped abruptly: it keeps
    /// its place, and the others hear nothing, until it resumes or <paramref name="startGraceTimer"/>'s timer
    /// ends the grace period. False if the participant is no longer here on that connection.
    /// </summary>
    internal bool TryMarkAway(Participant participant, IParticipantConnection connection, Func<Participant, ITimer> startGraceTimer)
    {
        lock (gate)
        {
            if (!ReferenceEquals(participant.Connection, connection) || !participants.ContainsKey(participant.Id))
            {
                return false;
            }

            participant.Connection = null;
            participant.GraceTimer = startGraceTimer(participant);
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
