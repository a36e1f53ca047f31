using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

public sealed partial class Room
{
    /// <summary>
    /// Applies a participant's own state change and tells the others if anything changed. One that may not publish
    /// (a listener, or muted by a moderator) cannot unmute: false, and nothing changes.
    /// </summary>
    public bool UpdateState(Participant participant, bool? muted, bool? speaking)
    {
        lock (gate)
        {
            if (muted == false && !participant.MayPublish)
            {
                return false;
            }

            var newMuted = muted ?? participant.Muted;
            var newSpeaking = (speaking ?? participant.Speaking) && participant.MayPublish;
            if (!participants.ContainsKey(participant.Id) || (newMuted == participant.Muted && newSpeaking == participant.Speaking))
            {
                return true;
            }

            participant.Muted = newMuted;
            participant.Speaking = newSpeaking;
            if (!participant.Permissions.Hidden)
            {
                BroadcastLocked(participant, ProtocolJson.Serialize(new ParticipantStateMessage(participant.Id, newMuted, newSpeaking), SignalingJsonContext.Default.ParticipantStateMessage));
            }

            return true;
        }
    }

    /// <summary>
    /// Delivers a message to another participant of this room. False if <paramref name="toId"/> is not
    /// one: a participant of another room is indistinguishable from one that does not exist. A participant
    /// that is away misses the message: its client renegotiates what it needs when it resumes.
    /// </summary>
    public bool TrySendTo(Participant sender, string toId, byte[] utf8Json)
    {
        lock (gate)
        {
            // A hidden participant neither reaches nor is reached: nobody knows it is there.
            if (toId == sender.Id || sender.Permissions.Hidden || !participants.ContainsKey(sender.Id)
                || !participants.TryGetValue(toId, out var recipient) || recipient.Permissions.Hidden)
            {
                return false;
            }

            recipient.Deliver(utf8Json);
            return true;
        }
    }

    /// <summary>
    /// <paramref name="reporter"/> lost its peer connection to <paramref name="id"/>: asks that participant's connection
    /// to check that its client is alive. A participant whose socket already dropped without a close frame is gone by
    /// both accounts (a crashed or killed browser): it leaves at once, announced, and true is returned. Nothing happens
    /// if <paramref name="id"/> is not another participant of this room; one away for another reason (it closed to
    /// reconnect, or went silent) is already being waited for.
    /// </summary>
    public bool CheckAlive(Participant reporter, string id)
    {
        lock (gate)
        {
            if (id == reporter.Id || !participants.ContainsKey(reporter.Id) || !participants.TryGetValue(id, out var suspect))
            {
                return false;
            }

            if (suspect.Connection is { } connection)
            {
                connection.CheckAlive();
                return false;
            }

            if (!suspect.Dropped)
            {
                return false;
            }

            // The reporter is still here, so the room does not empty: nothing for the registry to close.
            RemoveLocked(suspect, ParticipantLeftMessage.ReasonDisconnected, announce: true);
            return true;
        }
    }

    /// <summary>Delivers a message to every connected participant, the sender included, if the sender is still here.</summary>
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
                participant.Deliver(utf8Json);
            }

            return true;
        }
    }
}
