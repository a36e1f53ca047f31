using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using StackExchange.Redis;

namespace Parley.Scale.Store;

/// <summary>
/// Seats decided in Redis (<see cref="Scripts.TakeSeat"/>), so the room limit holds however many nodes take joins; each
/// seat lapses unless the serving node's heartbeat renews it, so a dead node's seats free themselves.
/// </summary>
internal sealed class RedisRoomSeats(RedisLink link) : IRoomSeats
{
    public bool TryTake(string roomName, string participantId, int capacity, out ProtocolError refusal)
    {
        refusal = default;
        try
        {
            var now = link.NowMilliseconds;
            var lapse = link.Options.NodeTimeoutSeconds * 1000L;
            var taken = (long)link.Database.ScriptEvaluate(Scripts.TakeSeat, [link.Keys.RoomSeats(roomName)],
                [participantId, capacity, now + lapse, now, lapse * 2]);
            if (taken == 1)
            {
                return true;
            }

            refusal = new ProtocolError(ErrorCode.RoomFull, $"Room '{roomName}' is full ({capacity} participants).");
            return false;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The script may have run and only its answer been lost: the seat is given back (or lapses unrenewed), so
            // the "nothing changed" of unavailable holds and a retry does not count twice.
            Release(roomName, participantId);
            link.MarkUnreachable(ex.Message);
            refusal = Unavailable.Error;
            return false;
        }
    }

    public void Release(string roomName, string participantId)
    {
        try
        {
            _ = link.Database.ScriptEvaluateAsync(Scripts.ReleaseSeat, [link.Keys.RoomOwner(roomName), link.Keys.RoomSeats(roomName)],
                [link.NodeId, participantId], CommandFlags.FireAndForget);
        }
        catch (RedisException)
        {
            // Redis is away: the seat lapses by itself, or the heartbeat's re-assertion leaves it out.
        }
    }
}

internal static class Unavailable
{
    public static readonly ProtocolError Error = new(ErrorCode.Unavailable,
        "The server cannot reach its shared store to decide this now; nothing changed. Try again in a moment.");
}
