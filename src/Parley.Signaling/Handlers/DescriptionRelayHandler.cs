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

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.DescriptionRelayRequest, out var request, out var error))
        {
            return error;
        }

        if (string.IsNullOrEmpty(request.To) || string.IsNullOrEmpty(request.Sdp))
        {
            return ProtocolError.Invalid($"{Type} needs 'to' and a non-empty 'sdp'.");
        }

        var relayed = ProtocolJson.Serialize(new RelayedDescriptionMessage(Type, sender.Id, request.Sdp), SignalingJsonContext.Default.RelayedDescriptionMessage);
        return room.TrySendTo(sender, request.To, relayed) ? null : UnknownParticipant.Error(request.To);
    }
}

internal static class UnknownParticipant
{
    public static ProtocolError Error(string id) => new(ErrorCode.UnknownParticipant,
        $"No other participant '{(id.Length <= 32 ? id : id[..32])}' in your room.");
}
