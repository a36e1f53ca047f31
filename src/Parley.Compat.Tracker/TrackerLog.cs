using Microsoft.Extensions.Logging;

namespace Parley.Compat.Tracker;

/// <summary>The tracker's log events, with stable ids (47xx). Ids, offers and answers are never logged.</summary>
internal static partial class TrackerLog
{
    [LoggerMessage(4700, LogLevel.Information, "WebTorrent tracker on at {Path} (interval {Interval} s, peers leave after {PeerTimeout} s without announcing)")]
    public static partial void Enabled(ILogger logger, string path, int interval, int peerTimeout);

    [LoggerMessage(4701, LogLevel.Information, "WebTorrent tracker off ({Why})")]
    public static partial void Disabled(ILogger logger, string why);

    [LoggerMessage(4702, LogLevel.Debug, "Tracker connection {ConnectionId} opened")]
    public static partial void Connected(ILogger logger, string connectionId);

    [LoggerMessage(4703, LogLevel.Debug, "Tracker connection {ConnectionId} closed")]
    public static partial void Disconnected(ILogger logger, string connectionId);

    [LoggerMessage(4704, LogLevel.Debug, "Tracker connection {ConnectionId} sent a refused message: {Reason}")]
    public static partial void Refused(ILogger logger, string connectionId, string reason);

    [LoggerMessage(4705, LogLevel.Warning, "Closing tracker connection {ConnectionId}: {Reason}")]
    public static partial void Closing(ILogger logger, string connectionId, string reason);

    [LoggerMessage(4706, LogLevel.Warning, "Refused a tracker connection: the tracker holds its limit of {Max} connections (Tracker:MaxConnections)")]
    public static partial void Busy(ILogger logger, int max);

    [LoggerMessage(4707, LogLevel.Debug, "Tracker sweep: {Count} peers left without announcing")]
    public static partial void Swept(ILogger logger, int count);
}
