using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Scale.Bridges;

/// <summary>
/// On the room's owner, for one bridged session: reads the messages that tell its client who is in the room
/// (<c>joined</c>, <c>participant-joined</c>, <c>participant-left</c>, and its own <c>participant-updated</c>) and says
/// where each room mate is connected (<see cref="Introductions"/>), so the client's node can relay to it directly. The
/// entries name exactly the participants the message names, so the client node's <see cref="PeerDirectory"/> never knows
/// of anyone before its client does. Every server message has its type first (JsonPropertyOrder), so the others are
/// told apart by their first bytes without parsing them.
/// </summary>
internal sealed class Introducer(RoomRegistry rooms, string ownerNode)
{
    private string? roomName;
    private string? selfId;

    /// <summary>The entries to send with <paramref name="message"/>, or null for a message that introduces nobody.</summary>
    public List<Introduction>? For(ReadOnlySpan<byte> message)
    {
        if (!message.StartsWith("{\"type\":\"participant-"u8) && !message.StartsWith("{\"type\":\"joined\""u8))
        {
            return null;
        }

        if (message.StartsWith("{\"type\":\"joined\""u8))
        {
            return Joined(message);
        }

        if (roomName is null || selfId is null)
        {
            return null;
        }

        if (message.StartsWith("{\"type\":\"participant-joined\""u8)
            && ServerMessageReader.TryRead(message, out ParticipantJoinedMessage? joined))
        {
            return [Locate(rooms.Find(roomName), joined.Participant.Id)];
        }

        if (message.StartsWith("{\"type\":\"participant-left\""u8)
            && ServerMessageReader.TryRead(message, out ParticipantLeftMessage? left))
        {
            return [new Introduction(IntroductionKind.Gone, left.Id)];
        }

        if (message.StartsWith("{\"type\":\"participant-updated\""u8)
            && ServerMessageReader.TryRead(message, out ParticipantUpdatedMessage? updated)
            && updated.Participant.Id == selfId)
        {
            return [new Introduction(IntroductionKind.Self, selfId, MayPublish: MayPublish(updated.Participant))];
        }

        return null;
    }

    private List<Introduction>? Joined(ReadOnlySpan<byte> message)
    {
        if (!ServerMessageReader.TryRead(message, out JoinedMessage? joined))
        {
            return null;
        }

        roomName = joined.Room;
        selfId = joined.Self.Id;
        var room = rooms.Find(joined.Room);
        var entries = new List<Introduction>(1 + joined.Participants.Count)
        {
            new(IntroductionKind.Fresh, selfId, MayPublish: MayPublish(joined.Self), Hidden: room?.IsHidden(selfId) == true),
        };
        foreach (var participant in joined.Participants)
        {
            entries.Add(Locate(room, participant.Id));
        }

        return entries;
    }

    /// <summary>A room mate connected through another node's bridge is reached there; any other through this owner.</summary>
    private Introduction Locate(Room? room, string id) =>
        room?.ConnectionOf(id) is SignalingSession { Transport: OwnerTransport bridge }
            ? new Introduction(IntroductionKind.Present, id, bridge.PeerNode, bridge.Id)
            : new Introduction(IntroductionKind.Present, id, ownerNode);

    private static bool MayPublish(ParticipantInfo participant) =>
        (participant.Permissions?.CanPublish ?? true) && participant.ServerMuted != true;
}
