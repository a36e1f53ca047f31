using Microsoft.Extensions.Logging;
using Parley.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>
/// Removals, whoever asks (a moderator's <c>remove-participant</c> or the admin API): the room lets the participant go,
/// then it is kept out (its token until it expires, its resume tickets, its identity for the ban) and its TURN use ends.
/// </summary>
public sealed class Moderation(RoomRegistry rooms, AccessRevocations revocations, IParticipantEviction eviction, TimeProvider time, ILogger<Moderation> logger)
{
    /// <summary>The longest ban a moderator may give: a day. The admin API may give longer ones.</summary>
    public const int MaxModeratorBanSeconds = 86_400;

    internal ProtocolError? Remove(Room room, Participant? actor, ParticipantKey target, TimeSpan ban)
    {
        if (room.TryRemove(actor, target, removed => KeepOut(room, removed, ban), out var removed) is { } error)
        {
            return error;
        }

        rooms.AfterRemoval(room);
        SignalingLog.ParticipantRemoved(logger, room.Name, removed.Id, actor is null ? "the admin API" : actor.Id);
        return null;
    }

    /// <summary>Everyone of a deleted room: their TURN use ends (they may join the name again: it is a new room).</summary>
    internal void EndAll(IReadOnlyList<Participant> participants)
    {
        foreach (var participant in participants)
        {
            eviction.Evict(participant.Id);
        }
    }

    private void KeepOut(Room room, Participant removed, TimeSpan ban)
    {
        revocations.Remove(removed.Access?.TokenHash, removed.Access?.TokenExpiresAt ?? time.GetUtcNow(), removed.Id, room.Name, removed.Identity, ban);
        eviction.Evict(removed.Id);
    }
}
