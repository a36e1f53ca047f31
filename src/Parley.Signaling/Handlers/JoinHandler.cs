using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary><c>join</c>: validates the names and the protocol version, then enters the room as a new participant.</summary>
public sealed class JoinHandler(SignalingOptions options, IIceServerProvider iceServers) : IMessageHandler
{
    public string Type => "join";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not null)
        {
            return EntryRules.AlreadyJoined;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.JoinRequest, out var request, out var error)
            || !EntryRules.TryValidate(Type, request.Protocol, request.Room, request.Name, options, out var roomName, out var displayName, out error))
        {
            return error;
        }

        if (!session.TryBeginJoinAttempt())
        {
            return null; // The join timeout has just closed the connection: its error is on the way.
        }

        var participant = new Participant(ResumeToken.New(), displayName, request.Muted ?? false, session);
        if (!session.Server.Rooms.TryJoin(roomName, participant, iceServers.GetIceServers(participant.Id, session.RequestHost), out var room, out error))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        return null;
    }
}
