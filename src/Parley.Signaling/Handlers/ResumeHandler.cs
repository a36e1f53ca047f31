using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>resume</c>: comes back as the participant the token belongs to, in its room if the server still holds
/// it, or re-created in a room rebuilt from its returning members (docs/protocol.md, "Leaving, losing the
/// connection, and resuming").
/// </summary>
public sealed class ResumeHandler(SignalingOptions options, IIceServerProvider iceServers) : IMessageHandler
{
    public string Type => "resume";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not null)
        {
            return EntryRules.AlreadyJoined;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ResumeRequest, out var request, out var error)
            || !EntryRules.TryValidate(Type, request.Protocol, request.Room, request.Name, options, out var roomName, out var displayName, out error))
        {
            return error;
        }

        if (!ParticipantId.TryFromResumeToken(request.Token, out var id))
        {
            return new ProtocolError(ErrorCode.InvalidToken, $"A resume token is the {ResumeToken.Length} base64url characters of joined.resumeToken.");
        }

        if (!session.TryBeginJoinAttempt())
        {
            return null; // The join timeout has just closed the connection: its error is on the way.
        }

        if (!session.Server.Rooms.TryResume(roomName, request.Token!, displayName, request.Muted, session,
                iceServers.GetIceServers(id, session.RequestHost), out var room, out var participant, out error))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        return null;
    }
}
