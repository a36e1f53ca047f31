using StackExchange.Redis;

namespace Parley.Scale.Store;

/// <summary>Which node serves a room: the owner key in Redis, taken by the first node a join reaches (<see cref="Scripts.Place"/>).</summary>
internal sealed class RoomPlacement(RedisLink link)
{
    /// <summary>
    /// The room's owner: this node if nobody serves it, or if <paramref name="deadOwner"/> does (a node that stopped
    /// beating, or did not receive our open frame). Throws <see cref="RedisException"/> or <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<string> LocateAsync(string room, string? deadOwner = null) =>
        (string?)await link.Database.ScriptEvaluateAsync(Scripts.Place, [link.Keys.RoomOwner(room)],
            [link.NodeId, LeaseMilliseconds, deadOwner ?? ""]).ConfigureAwait(false)
        ?? link.NodeId;

    /// <summary>The node that serves the room, or null if none does. Throws as <see cref="LocateAsync"/> does.</summary>
    public async Task<string?> OwnerAsync(string room) => await link.Database.StringGetAsync(link.Keys.RoomOwner(room)).ConfigureAwait(false);

    /// <summary>The nodes whose heartbeat is current, this one included.</summary>
    public async Task<IReadOnlyList<string>> LiveNodesAsync() =>
        [.. (await link.Database.SortedSetRangeByScoreAsync(link.Keys.Nodes, link.NowMilliseconds, double.PositiveInfinity).ConfigureAwait(false))
            .Select(node => node.ToString())];

    /// <summary>A room's lease lasts as long as a node outlives its last heartbeat.</summary>
    public long LeaseMilliseconds => link.Options.NodeTimeoutSeconds * 1000L;
}
