using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>join</c>: admits the client (<see cref="Admission"/>: its access token in token mode, the names in open mode),
/// then enters the room as a new participant.
/// </summary>
public sealed class JoinHandler(Admission admission, IIceServerProvider iceServers) : IMessageHandler
{
    public string Type => "join";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not null)
        {
            return EntryRules.AlreadyJoined;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.JoinRequest, out var request, out var error)
            || !admission.TryAdmitJoin(request, session.AccessToken, session.RemoteAddress, out var entry, out error))
        {
            return error;
        }

        switch (session.Server.Router.Route(session, entry.Room, utf8Json, out error))
        {
            case RoomRoute.HandedOver:
                return null; // The room's owner node answers.
            case RoomRoute.Refused:
                return error;
        }

        if (!session.TryBeginJoinAttempt())
        {
            return null; // The join timeout has just closed the connection: its error is on the way.
        }

        var participant = new Participant(ResumeToken.New(), entry.DisplayName, request.Muted ?? false, session, entry.Access) { RequestedChannel = entry.Channel };
        if (!session.Server.Rooms.TryJoin(entry.Room, participant, iceServers.GetIceServers(participant.Id, session.RequestHost), out var room, out error))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        session.Server.Metrics.Joined();
        return null;
    }
}
