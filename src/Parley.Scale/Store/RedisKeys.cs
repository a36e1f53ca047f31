using System.Text;
using StackExchange.Redis;

namespace Parley.Scale.Store;

/// <summary>
/// Every key and channel, under <see cref="RedisOptions.Prefix"/>. A room's keys share its hash tag (<c>{r:NAME}</c>)
/// and the node keys share <c>{nodes}</c>, so each script touches one hash slot and Redis Cluster works.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>The node that serves the room, with a lease its heartbeat renews.</summary>
    public RedisKey RoomOwner(string room) => $"{prefix}:{{r:{Tag(room)}}}:owner";

    /// <summary>The room's seats: a sorted set of participant ids scored by when each seat lapses unless renewed.</summary>
    public RedisKey RoomSeats(string room) => $"{prefix}:{{r:{Tag(room)}}}:seats";

    /// <summary>A node's heartbeat key, expiring <see cref="RedisOptions.NodeTimeoutSeconds"/> after its last beat.</summary>
    public RedisKey Node(string node) => $"{prefix}:{{nodes}}:node:{node}";

    /// <summary>Every node, scored by its deadline; swept of dead ones.</summary>
    public RedisKey Nodes => $"{prefix}:{{nodes}}:all";

    /// <summary>A node's inbox: what other nodes send it for the sessions it carries or serves.</summary>
    public RedisChannel Inbox(string node) => RedisChannel.Literal($"{prefix}:inbox:{node}");

    /// <summary>
    /// Room names are case-insensitive (as in <c>RoomRegistry</c>), so the key takes the upper-case form; braces and
    /// percent signs are escaped so a name can never move the hash tag.
    /// </summary>
    internal static string Tag(string room)
    {
        var upper = room.ToUpperInvariant();
        if (upper.AsSpan().IndexOfAny("{}%") < 0)
        {
            return upper;
        }

        var escaped = new StringBuilder(upper.Length + 8);
        foreach (var c in upper)
        {
            _ = c switch
            {
                '{' => escaped.Append("%7B"),
                '}' => escaped.Append("%7D"),
                '%' => escaped.Append("%25"),
                _ => escaped.Append(c),
            };
        }

        return escaped.ToString();
    }
}
