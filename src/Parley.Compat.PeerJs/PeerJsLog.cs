using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Parley.Compat.PeerJs;

/// <summary>The PeerJS endpoint's log events, with stable ids (4600s). Tokens and message contents are never logged.</summary>
internal static partial class PeerJsLog
{
    [LoggerMessage(4601, LogLevel.Debug, "PeerJS id {Id} opened ({Count} connected)")]
    public static partial void Opened(ILogger logger, string id, int count);

    [LoggerMessage(4602, LogLevel.Information, "PeerJS id {Id} reclaimed by a new connection with its token; the old one is closed")]
    public static partial void Reclaimed(ILogger logger, string id);

    [LoggerMessage(4603, LogLevel.Debug, "PeerJS id {Id} refused: another token holds it")]
    public static partial void Taken(ILogger logger, string id);

    [LoggerMessage(4604, LogLevel.Debug, "PeerJS id {Id} closed")]
    public static partial void Closed(ILogger logger, string id);

    [LoggerMessage(4605, LogLevel.Debug, "PeerJS connection refused: {Reason}")]
    public static partial void Refused(ILogger logger, string reason);

    [LoggerMessage(4606, LogLevel.Warning, "Closing PeerJS id {Id}: {Reason}")]
    public static partial void Closing(ILogger logger, string id, string reason);

    [LoggerMessage(4607, LogLevel.Warning, "PeerJS refused a connection: the server holds its limit of {Max} PeerJS connections")]
    public static partial void ServerBusy(ILogger logger, int max);

    [LoggerMessage(4608, LogLevel.Debug, "PeerJS messages for absent id {Id} are at their limit: the sender gets EXPIRE")]
    public static partial void QueueFull(ILogger logger, string id);

    [LoggerMessage(4609, LogLevel.Debug, "PeerJS id {Id} sent a message that is not a PeerJS message; ignored")]
    public static partial void Unreadable(ILogger logger, string id);

    [LoggerMessage(4610, LogLevel.Debug, "PeerJS id {Id}: send failed ({Error})")]
    public static partial void SendFailed(ILogger logger, string id, WebSocketError error);

    [LoggerMessage(4611, LogLevel.Information, "PeerJS compatibility serves {Path} (key {Key}, discovery {Discovery})")]
    public static partial void Serving(ILogger logger, string path, string key, bool discovery);

    [LoggerMessage(4612, LogLevel.Information, "PeerJS compatibility is off{Why}")]
    public static partial void Off(ILogger logger, string why);
}
