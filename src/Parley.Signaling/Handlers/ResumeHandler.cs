using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>resume</c>: comes back as the participant the token belongs to, in its room if the server still holds
/// it, or re-created in a room rebuilt from its returning members (docs/protocol.md, "Leaving, losing the
/// connection, and resuming"). In token mode the resume token carries the server's ticket, so no access token is
/// needed; a removed participant's is refused.
/// </summary>
public sealed class ResumeHandler(Admission admission, IIceServerProvider iceServers) : IMessageHandler
{
    public string Type => "resume";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not null)
        {
            return EntryRules.AlreadyJoined;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ResumeRequest, out var request, out var error)
            || !admission.TryAdmitResume(request, out var secret, out var entry, out error))
        {
            return error;
        }

        var candidate = new Participant(secret, entry.DisplayName, request.Muted ?? false, session, entry.Access) { RequestedChannel = entry.Channel };

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

        var remoteAddress = session.RemoteAddress;
        if (!session.Server.Rooms.TryResume(entry.Room, candidate, request.Muted, session, iceServers.GetIceServers(candidate.Id, session.RequestHost),
                () => admission.MayCreate(remoteAddress), out var room, out var participant, out error))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        return null;
    }
}
