using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>join</c>: admits the client (<see cref="Admission"/>: its access token in token mode, the names in open mode),
/// then enters the room as a new participant (<see cref="RoomEntry"/>: where the room lives, a seat).
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

        if (!TryReadOffer(request.Offer, out var offerSdp, out error))
        {
            return error;
        }

        var participant = new Participant(ResumeToken.New(), entry.DisplayName, request.Muted ?? false, session, entry.Access)
        {
            RequestedChannel = entry.Channel,
            JoinOfferSdp = offerSdp,
        };
        return session.AwaitEntry(EnterAsync(session, entry.Room, participant, utf8Json.ToArray()), Type);
    }

    /// <summary>The offer a join may carry (docs/protocol.md, "An offer with the join"): absent, or one with an SDP.</summary>
    private static bool TryReadOffer(JoinOffer? offer, out byte[]? escapedSdp, out ProtocolError error)
    {
        escapedSdp = null;
        error = default;
        if (offer is null)
        {
            return true;
        }

        if (string.IsNullOrEmpty(offer.Sdp) || !DescriptionRelayFrame.TryEscape(offer.Sdp, out var escaped))
        {
            error = ProtocolError.Invalid("join's 'offer' needs a non-empty 'sdp' string.");
            return false;
        }

        escapedSdp = escaped;
        return true;
    }

    private async ValueTask<ProtocolError?> EnterAsync(SignalingSession session, string roomName, Participant participant, byte[] message)
    {
        var (outcome, error, _) = await RoomEntry.PrepareAsync(session, roomName, participant.Id, message, resuming: false).ConfigureAwait(false);
        if (outcome != RoomEntry.Outcome.EnterHere)
        {
            return outcome == RoomEntry.Outcome.Refused ? error : null;
        }

        if (!session.Server.Rooms.TryJoin(roomName, participant, iceServers.GetIceServers(participant.Id, session.RequestHost), out var room, out error, seatTaken: true))
        {
            session.EndFailedJoinAttempt();
            return error;
        }

        session.OnJoined(room, participant);
        session.Server.Metrics.Joined();
        return null;
    }
}
