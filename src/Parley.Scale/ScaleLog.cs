using Microsoft.Extensions.Logging;

namespace Parley.Scale;

/// <summary>What several nodes log; event ids 5000-5099.</summary>
internal static partial class ScaleLog
{
    [LoggerMessage(5000, LogLevel.Information, "Node {Node} sharing rooms through Redis ({Endpoints}, prefix '{Prefix}').")]
    public static partial void Started(ILogger logger, string node, string endpoints, string prefix);

    [LoggerMessage(5001, LogLevel.Warning, "Redis unreachable: {Reason}. Sessions carried to other nodes are reset; new joins needing Redis are refused with 'unavailable'.")]
    public static partial void Unreachable(ILogger logger, string reason);

    [LoggerMessage(5002, LogLevel.Information, "Redis reachable again.")]
    public static partial void Reachable(ILogger logger);

    [LoggerMessage(5003, LogLevel.Warning, "Redis no longer had this node's heartbeat (restarted with no data?): re-asserting {Rooms} rooms and their seats.")]
    public static partial void Reasserting(ILogger logger, int rooms);

    [LoggerMessage(5004, LogLevel.Warning, "Node {Peer} is dead (no heartbeat): resetting {Bridges} sessions carried to or from it.")]
    public static partial void PeerDead(ILogger logger, string peer, int bridges);

    [LoggerMessage(5005, LogLevel.Warning, "Room '{Room}' is served by node {Owner} now: its {Count} sessions here are sent to resume there.")]
    public static partial void RoomLost(ILogger logger, string room, string owner, int count);

    [LoggerMessage(5006, LogLevel.Warning, "Session {Bridge} reset: {Reason}.")]
    public static partial void BridgeReset(ILogger logger, string bridge, string reason);

    [LoggerMessage(5007, LogLevel.Warning, "This node's inbox subscription stopped delivering: subscribing again.")]
    public static partial void Resubscribing(ILogger logger);

    [LoggerMessage(5008, LogLevel.Debug, "Session handed over to node {Owner} for room '{Room}' (bridge {Bridge}).")]
    public static partial void HandedOver(ILogger logger, string owner, string room, string bridge);

    [LoggerMessage(5009, LogLevel.Warning, "Refused a session from node {Peer}: this node carries {Limit} already.")]
    public static partial void TooManyBridges(ILogger logger, string peer, int limit);

    [LoggerMessage(5010, LogLevel.Warning, "Redis heartbeat failed: {Reason}.")]
    public static partial void HeartbeatFailed(ILogger logger, string reason);

    [LoggerMessage(5011, LogLevel.Warning, "The answer to an admin call ({Method}) from node {Node} was lost: {Reason}.")]
    public static partial void AdminReplyLost(ILogger logger, string method, string node, string reason);
}
