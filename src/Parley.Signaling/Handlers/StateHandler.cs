using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary><c>state</c>: the sender's mute and speaking flags, broadcast to the room when they change.</summary>
public sealed class StateHandler : IMessageHandler
{
    public string Type => "state";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } participant)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.StateRequest, out var request, out var error))
        {
            return error;
        }

        return room.UpdateState(participant, request.Muted, request.Speaking)
            ? null
            : new ProtocolError(ErrorCode.Forbidden, participant.ServerMuted
                ? "A moderator muted you: you may unmute once a moderator allows it."
                : "You may listen but not speak in this room.");
    }
}
