using StackExchange.Redis;

namespace Parley.Scale.Store;

/// <summary>Which node serves a room: the owner key in Redis, taken by the first node a join reaches (<see cref="Scripts.Place"/>).</summary>
internal sealed class RoomPlacement(RedisLink link)
{
    /// <summary>
    /// The room's owner: this node if nobody serves it, or if <paramref name="deadOwner"/> does (a node that stopped
    /// beating, or did not receive our open frame). Throws <see cref="RedisException"/> or <see cref="TimeoutException"/>.
    /// </summary>
    public string Locate(string room, string? deadOwner = null) =>
        (string?)link.Database.ScriptEvaluate(Scripts.Place, [link.Keys.RoomOwner(room)], PlaceArguments(deadOwner)) ?? link.NodeId;

    /// <summary><see cref="Locate"/> without holding a thread while Redis answers (joins and resumes).</summary>
    public async Task<string> LocateAsync(string room, string? deadOwner = null) =>
        (string?)await link.Database.ScriptEvaluateAsync(Scripts.Place, [link.Keys.RoomOwner(room)], PlaceArguments(deadOwner)).ConfigureAwait(false)
        ?? link.NodeId;

    private RedisValue[] PlaceArguments(string? deadOwner) => [link.NodeId, LeaseMilliseconds, deadOwner ?? ""];

    /// <summary>The node that serves the room, or null if none does. Throws as <see cref="Locate"/> does.</summary>
    public string? Owner(string room) => link.Database.StringGet(link.Keys.RoomOwner(room));

    /// <summary>The nodes whose heartbeat is current, this one included.</summary>
    public IReadOnlyList<string> LiveNodes() =>
        [.. link.Database.SortedSetRangeByScore(link.Keys.Nodes, link.NowMilliseconds, double.PositiveInfinity).Select(node => node.ToString())];

    /// <summary>A room's lease lasts as long as a node outlives its last heartbeat.</summary>
    public long LeaseMilliseconds => link.Options.NodeTimeoutSeconds * 1000L;
}
