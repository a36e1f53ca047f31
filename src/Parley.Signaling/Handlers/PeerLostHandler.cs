using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>peer-lost</c>: the sender's peer connection to another participant stopped working. A power cut or a lost
/// network sends no close, and the heartbeat alone would take up to a minute to notice; this makes the server
/// check that participant at once (<see cref="Rooms.IParticipantConnection.CheckAlive"/>), or, if its socket already
/// dropped without a close frame (a crashed browser), announce it left at once. An id that is not (or no longer) in
/// the room is ignored: it may have just left.
/// </summary>
public sealed class PeerLostHandler : IMessageHandler
{
    public string Type => "peer-lost";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } sender)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.PeerLostRequest, out var request, out var error))
        {
            return error;
        }

        if (string.IsNullOrEmpty(request.Id))
        {
            return ProtocolError.Invalid("peer-lost needs 'id'.");
        }

        if (room.CheckAlive(sender, request.Id))
        {
            session.OnDroppedPeerConfirmedLost(request.Id);
        }

        return null;
    }
}
