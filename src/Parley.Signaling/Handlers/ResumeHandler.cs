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
        return session.AwaitEntry(EnterAsync(session, entry.Room, candidate, request.Muted, utf8Json.ToArray()), Type);
    }

    private async ValueTask<ProtocolError?> EnterAsync(SignalingSession session, string roomName, Participant candidate, bool? muted, byte[] message)
    {
        var (outcome, error, seatTaken) = await RoomEntry.PrepareAsync(session, roomName, candidate.Id, message, resuming: true).ConfigureAwait(false);
        if (outcome != RoomEntry.Outcome.EnterHere)
        {
            return outcome == RoomEntry.Outcome.Refused ? error : null;
        }

        var remoteAddress = session.RemoteAddress;
        if (!session.Server.Rooms.TryResume(roomName, candidate, muted, session, iceServers.GetIceServers(candidate.Id, session.RequestHost),
                () => admission.MayCreate(remoteAddress), out var room, out var participant, out error, seatTaken))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        return null;
    }
}
