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
    /// <summary>
    /// Never waits for Redis, so no thread (with inline scheduling, a socket engine thread) is held: joins and resumes
    /// take their seat with <see cref="TakeAsync"/> before they enter the registry. A resume that finds its room no
    /// longer holds it after all (it left in the moment between) is answered <c>unavailable</c>, and the client resumes
    /// again, this time with a seat taken first.
    /// </summary>
    public bool TryTake(string roomName, string participantId, int capacity, out ProtocolError refusal)
    {
        refusal = Unavailable.Error;
        return false;
    }

    public async ValueTask<ProtocolError?> TakeAsync(string roomName, string participantId, int capacity)
    {
        try
        {
            var taken = (long)await link.Database.ScriptEvaluateAsync(Scripts.TakeSeat, [link.Keys.RoomSeats(roomName)],
                SeatArguments(participantId, capacity)).ConfigureAwait(false);
            return Decide(roomName, capacity, taken, out var refusal) ? null : refusal;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return Lost(roomName, participantId, ex);
        }
    }

    private RedisValue[] SeatArguments(string participantId, int capacity)
    {
        var now = link.NowMilliseconds;
        var lapse = link.Options.NodeTimeoutSeconds * 1000L;
        return [participantId, capacity, now + lapse, now, lapse * 2];
    }

    private static bool Decide(string roomName, int capacity, long taken, out ProtocolError refusal)
    {
        refusal = taken == 1 ? default : new ProtocolError(ErrorCode.RoomFull, $"Room '{roomName}' is full ({capacity} participants).");
        return taken == 1;
    }

    /// <summary>
    /// The script may have run and only its answer been lost: the seat is given back (or lapses unrenewed), so the
    /// "nothing changed" of unavailable holds and a retry does not count twice.
    /// </summary>
    private ProtocolError Lost(string roomName, string participantId, Exception ex)
    {
        Release(roomName, participantId);
        link.MarkUnreachable(ex.Message);
        return Unavailable.Error;
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
