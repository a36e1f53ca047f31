using Parley.Scale.Bridges;
using Parley.Scale.Store;
using Parley.Signaling.Rooms;
using Parley.Signaling.Sessions;
using StackExchange.Redis;

namespace Parley.Scale;

/// <summary>
/// Several nodes: a join or resume for a room another node serves hands the session over to it (<see cref="NodeInbox"/>);
/// a room nobody serves is taken here. Without Redis, only the rooms this node already serves can be entered.
/// </summary>
internal sealed class RedisRoomRouter(RedisLink link, RoomPlacement placement, NodeInbox inbox, RoomRegistry rooms) : IRoomRouter
{
    public async ValueTask<RoomRouting> RouteAsync(SignalingSession session, string roomName, ReadOnlyMemory<byte> message)
    {
        try
        {
            string? dead = null;
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var owner = await placement.LocateAsync(roomName, dead).ConfigureAwait(false);
                if (owner == link.NodeId)
                {
                    return RoomRouting.Here;
                }

                // The owner's answers come back through this node's inbox: once Redis is back, not before it listens
                // again, or the session would be reset as it began (its participant then kept away for the grace).
                await inbox.EnsureListeningAsync().ConfigureAwait(false);
                if (await inbox.TryOpenAsync(session, owner, roomName, message).ConfigureAwait(false))
                {
                    return RoomRouting.HandedOver;
                }

                dead = owner; // It did not receive the open frame: it is gone, whatever its lease says.
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            link.MarkUnreachable(ex.Message);
        }

        // Redis cannot say where the room is. One this node serves stays served for its own clients.
        return rooms.Find(roomName) is not null ? RoomRouting.Here : new RoomRouting(RoomRoute.Refused, Unavailable.Error);
    }
}
