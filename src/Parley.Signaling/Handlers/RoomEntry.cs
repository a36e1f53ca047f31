using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// What <c>join</c> and <c>resume</c> do once admitted, before they enter the room: ask the router where the room
/// lives, hold the join timeout off, and take a seat. With several nodes the first and the last wait for the shared
/// store; they are awaited, never blocked on, so a burst of joins holds no threads (the session holds the client's
/// later messages meanwhile: <see cref="SignalingSession.AwaitEntry"/>). In one process both complete at once.
/// </summary>
internal static class RoomEntry
{
    /// <summary>Where the entry goes on.</summary>
    public enum Outcome
    {
        /// <summary>Enter the room here: the join attempt has begun (and the seat is taken, if one was needed).</summary>
        EnterHere,

        /// <summary>The room's owner node has the session now, or the join timeout has closed the connection: nothing to send.</summary>
        Done,

        /// <summary>Refused with the error given.</summary>
        Refused,
    }

    /// <param name="resuming">
    /// A resume: a participant the room here still holds keeps the seat it has; one it no longer holds (a restarted
    /// node) needs one, as a new participant does.
    /// </param>
    /// <returns>With <see cref="Outcome.EnterHere"/>, whether a seat was taken for it (<c>seatTaken</c> of the registry).</returns>
    public static async ValueTask<(Outcome Outcome, ProtocolError Error, bool SeatTaken)> PrepareAsync(
        SignalingSession session, string roomName, string participantId, byte[] message, bool resuming)
    {
        var routing = await session.Server.Router.RouteAsync(session, roomName, message).ConfigureAwait(false);
        switch (routing.Route)
        {
            case RoomRoute.HandedOver:
                return (Outcome.Done, default, false); // The room's owner node answers.
            case RoomRoute.Refused:
                return (Outcome.Refused, routing.Refusal, false);
        }

        if (!session.TryBeginJoinAttempt())
        {
            return (Outcome.Done, default, false); // The join timeout has just closed the connection: its error is on the way.
        }

        var needsSeat = !resuming || session.Server.Rooms.Find(roomName)?.Contains(participantId) != true;
        if (needsSeat && await session.Server.Rooms.TakeSeatAsync(roomName, participantId).ConfigureAwait(false) is { } refusal)
        {
            session.EndFailedJoinAttempt();
            return (Outcome.Refused, refusal, false);
        }

        return (Outcome.EnterHere, default, needsSeat);
    }
}
