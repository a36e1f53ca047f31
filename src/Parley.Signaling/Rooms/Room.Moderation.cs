using Parley.Signaling.Protocol;

namespace Parley.Signaling.Rooms;

/// <summary>
/// What moderators (participants with <see cref="ParticipantPermissions.Admin"/>) and the admin API may do to a room
/// and the people in it (docs/access.md, "Moderation"). An <c>actor</c> of null is the admin API, which may act on
/// anyone; a moderator may not act on another moderator (Jitsi's participants could kick their moderator: #16609).
/// Moderators name participants by id, the admin API by identity.
/// </summary>
public sealed partial class Room
{
    private static readonly ProtocolError NotModerator = new(ErrorCode.Forbidden, "Only a moderator of this room may do that.");
    private static readonly ProtocolError OnModerator = new(ErrorCode.Forbidden, "Moderators cannot act on moderators.");

    /// <summary>Server-mutes <paramref name="target"/> (hard: it cannot unmute itself), or lifts it; everyone hears <c>participant-updated</c>.</summary>
    internal ProtocolError? TryServerMute(Participant? actor, ParticipantKey target, bool muted, out ParticipantSnapshot? result)
    {
        lock (gate)
        {
            result = null;
            if (CheckLocked(actor, target, out var participant) is { } error)
            {
                return error;
            }

            ServerMuteLocked(participant, muted);
            result = participant.ToSnapshot();
            return null;
        }
    }

    /// <summary>Server-mutes everyone who is not a moderator.</summary>
    internal ProtocolError? TryMuteAll(Participant actor)
    {
        lock (gate)
        {
            if (!IsModeratorLocked(actor))
            {
                return NotModerator;
            }

            foreach (var participant in participants.Values.Where(participant => !participant.Permissions.Admin).ToList())
            {
                ServerMuteLocked(participant, muted: true);
            }

            return null;
        }
    }

    /// <summary>
    /// Removes <paramref name="target"/>: <paramref name="keepOut"/> runs first (revocations, TURN), so that by the time
    /// anyone hears of the removal it has taken effect; then its connection gets <c>removed</c> and closes, and the
    /// others see <c>participant-left</c> with reason <c>removed</c>. <paramref name="keepOut"/> runs under the room's
    /// lock: it must not block.
    /// </summary>
    internal ProtocolError? TryRemove(Participant? actor, ParticipantKey target, Action<Participant> keepOut, out Participant removed)
    {
        lock (gate)
        {
            if (CheckLocked(actor, target, out removed) is { } error)
            {
                return error;
            }

            keepOut(removed);
            removed.Connection?.OnRemoved(new ProtocolError(ErrorCode.Removed, "A moderator removed you from the room."));
            services.Events.ParticipantRemoved(SnapshotLocked(), removed.ToSnapshot());
            RemoveLocked(removed, ParticipantLeftMessage.ReasonRemoved, announce: true);
            return null;
        }
    }

    /// <summary>Locks the room (no new joins; resumes still pass) or unlocks it; everyone hears <c>room-updated</c>.</summary>
    internal ProtocolError? TryLock(Participant actor, bool locking)
    {
        lock (gate)
        {
            if (!IsModeratorLocked(actor))
            {
                return NotModerator;
            }

            if (locked != locking)
            {
                locked = locking;
                BroadcastRoomUpdatedLocked();
            }

            return null;
        }
    }

    /// <summary>The admin API changes a participant's name, metadata or permissions; everyone hears <c>participant-updated</c>.</summary>
    internal ProtocolError? TryUpdate(ParticipantKey target, string? name, string? newMetadata, PermissionUpdate? update, out ParticipantSnapshot? result)
    {
        lock (gate)
        {
            result = null;
            if (CheckLocked(actor: null, target, out var participant) is { } error)
            {
                return error;
            }

            var wasHidden = participant.Permissions.Hidden;
            participant.Name = name ?? participant.Name;
            participant.Metadata = newMetadata ?? participant.Metadata;
            if (update is not null)
            {
                var current = participant.Permissions;
                participant.Permissions = current with
                {
                    CanPublish = update.CanPublish ?? current.CanPublish,
                    CanSubscribe = update.CanSubscribe ?? current.CanSubscribe,
                    CanPublishData = update.CanPublishData ?? current.CanPublishData,
                    Hidden = update.Hidden ?? current.Hidden,
                    CanUpdateMetadata = update.CanUpdateMetadata ?? current.CanUpdateMetadata,
                };
                if (!participant.MayPublish)
                {
                    participant.Muted = true;
                    participant.Speaking = false;
                }
            }

            AnnounceUpdateLocked(participant, wasHidden);
            result = participant.ToSnapshot();
            return null;
        }
    }

    /// <summary>Replaces the room's metadata; everyone hears <c>room-updated</c>.</summary>
    internal RoomSnapshot SetMetadata(string newMetadata)
    {
        lock (gate)
        {
            metadata = newMetadata;
            BroadcastRoomUpdatedLocked();
            return SnapshotLocked();
        }
    }

    /// <summary>Sends <paramref name="utf8Json"/> to everyone, or to the participants with the given identities.</summary>
    internal void SendData(byte[] utf8Json, IReadOnlyCollection<string>? identities)
    {
        lock (gate)
        {
            foreach (var participant in participants.Values)
            {
                if (identities is not { Count: > 0 } || identities.Contains(participant.Identity))
                {
                    participant.Deliver(utf8Json);
                }
            }
        }
    }

    /// <summary>
    /// Closes the room for good (the admin API's DeleteRoom): every participant gets <c>room-deleted</c> and is
    /// disconnected. Returns the participants it held, for the caller to end their TURN use.
    /// </summary>
    internal IReadOnlyList<Participant> CloseAll()
    {
        lock (gate)
        {
            var all = participants.Values.ToList();
            foreach (var participant in all)
            {
                participant.Connection?.OnRemoved(new ProtocolError(ErrorCode.RoomDeleted, $"Room '{Name}' was closed."));
                RemoveLocked(participant, ParticipantLeftMessage.ReasonRoomDeleted, announce: false);
            }

            closed = true;
            return all;
        }
    }

    /// <summary>Finds a participant by id or identity, hidden ones included.</summary>
    internal Participant? Find(ParticipantKey key)
    {
        lock (gate)
        {
            return FindLocked(key);
        }
    }

    private Participant? FindLocked(ParticipantKey key) => key.ByIdentity
        ? FindByIdentityLocked(key.Value)
        : participants.GetValueOrDefault(key.Value);

    private ProtocolError? CheckLocked(Participant? actor, ParticipantKey target, out Participant participant)
    {
        participant = null!;
        if (actor is not null && !IsModeratorLocked(actor))
        {
            return NotModerator;
        }

        if (FindLocked(target) is not { } found || (actor is not null && found.Permissions.Hidden))
        {
            return new ProtocolError(ErrorCode.UnknownParticipant, "No such participant in this room.");
        }

        if (actor is not null && found.Permissions.Admin)
        {
            return OnModerator;
        }

        participant = found;
        return null;
    }

    private bool IsModeratorLocked(Participant actor) =>
        actor.Permissions.Admin && participants.TryGetValue(actor.Id, out var current) && ReferenceEquals(current, actor);

    private void ServerMuteLocked(Participant participant, bool muted)
    {
        if (participant.ServerMuted == muted)
        {
            return;
        }

        participant.ServerMuted = muted;
        if (muted)
        {
            // Lifting the mute leaves the participant muted: only it may unmute itself (privacy, as LiveKit and Jitsi).
            participant.Muted = true;
            participant.Speaking = false;
        }

        AnnounceUpdateLocked(participant, participant.Permissions.Hidden);
        if (muted)
        {
            services.Events.ParticipantMuted(SnapshotLocked(), participant.ToSnapshot());
        }
    }

    /// <summary>
    /// Tells the room a participant changed: <c>participant-updated</c> to everyone (only to itself while hidden); one
    /// that became hidden leaves everyone's list, one that stopped being hidden joins it.
    /// </summary>
    private void AnnounceUpdateLocked(Participant participant, bool wasHidden)
    {
        var hidden = participant.Permissions.Hidden;
        var updated = ProtocolJson.Serialize(new ParticipantUpdatedMessage(participant.ToInfo()), SignalingJsonContext.Default.ParticipantUpdatedMessage);
        participant.Deliver(updated);
        if (hidden && !wasHidden)
        {
            BroadcastLocked(participant, ProtocolJson.Serialize(new ParticipantLeftMessage(participant.Id, ParticipantLeftMessage.ReasonLeft), SignalingJsonContext.Default.ParticipantLeftMessage));
        }
        else if (!hidden && wasHidden)
        {
            BroadcastLocked(participant, ProtocolJson.Serialize(new ParticipantJoinedMessage(participant.ToInfo()), SignalingJsonContext.Default.ParticipantJoinedMessage));
        }
        else if (!hidden)
        {
            BroadcastLocked(participant, updated);
        }
    }

    private void BroadcastRoomUpdatedLocked() =>
        BroadcastLocked(ProtocolJson.Serialize(new RoomUpdatedMessage(locked, metadata.Length == 0 ? null : metadata), SignalingJsonContext.Default.RoomUpdatedMessage));
}

/// <summary>A participant named by id (moderators, who see ids) or by identity (the admin API, which knows identities).</summary>
internal readonly record struct ParticipantKey(string Value, bool ByIdentity)
{
    public static ParticipantKey Id(string id) => new(id, false);

    public static ParticipantKey Identity(string identity) => new(identity, true);
}
