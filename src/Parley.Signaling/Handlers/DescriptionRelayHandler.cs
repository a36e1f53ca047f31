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

        if (!DescriptionRelayFrame.TryRead(utf8Json, out var to, out var sdp, out var error))
        {
            return error;
        }

        if (string.IsNullOrEmpty(to) || utf8Json[sdp].IsEmpty)
        {
            return ProtocolError.Invalid($"{Type} needs 'to' and a non-empty 'sdp'.");
        }

        // The server never sees audio, but it sees the offers and answers that set it up: one from a participant who
        // may not publish must not offer to send audio (docs/access.md, "What the server enforces").
        if (!sender.MayPublish && SdpAudioDirection.SendsAudio(utf8Json[sdp]))
        {
            return new ProtocolError(ErrorCode.Forbidden, $"You may not send audio now: negotiate audio recvonly ({Type} not relayed).");
        }

        var relayed = DescriptionRelayFrame.Write(Type, sender.Id, utf8Json[sdp]);
        return room.TrySendTo(sender, to, relayed) ? null : UnknownParticipant.Error(to);
    }
}

internal static class UnknownParticipant
{
    public static ProtocolError Error(string id) => new(ErrorCode.UnknownParticipant,
        $"No other participant '{(id.Length <= 32 ? id : id[..32])}' in your room.");
}
