using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>offer</c> and <c>answer</c>: relays a session description to one participant of the sender's room,
/// stamped with the sender's id (the client's own <c>from</c>, if any, is never read).
/// </summary>
public sealed class DescriptionRelayHandler(string type) : IMessageHandler
{
    public string Type { get; } = type;

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } sender)
        {
            return NotJoined.Error;
        }

        if (!TryPrepare(Type, utf8Json, sender.Id, sender.MayPublish, out var to, out var relayed, out var error))
        {
            return error;
        }

        return room.TrySendTo(sender, to, relayed) ? null : UnknownParticipant.Error(to);
    }

    /// <summary>
    /// Checks an <paramref name="type"/> from <paramref name="senderId"/> and makes what its recipient <paramref name="to"/>
    /// receives; the room is not consulted (<see cref="PeerRelay"/>).
    /// </summary>
    public static bool TryPrepare(string type, ReadOnlySpan<byte> utf8Json, string senderId, bool senderMayPublish,
        out string to, out byte[] relayed, out ProtocolError error)
    {
        relayed = [];
        if (!DescriptionRelayFrame.TryRead(utf8Json, out var target, out var sdp, out error))
        {
            to = "";
            return false;
        }

        to = target ?? "";
        if (to.Length == 0 || utf8Json[sdp].IsEmpty)
        {
            error = ProtocolError.Invalid($"{type} needs 'to' and a non-empty 'sdp'.");
            return false;
        }

        return DescriptionRelayFrame.TryWriteFrom(type, senderId, senderMayPublish, utf8Json[sdp], out relayed, out error);
    }
}

internal static class UnknownParticipant
{
    public static ProtocolError Error(string id) => new(ErrorCode.UnknownParticipant,
        $"No other participant '{(id.Length <= 32 ? id : id[..32])}' in your room.");
}
