using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Parley.Signaling;

/// <summary>Signaling's log events, with stable ids. Names and message contents are never logged.</summary>
internal static partial class SignalingLog
{
    [LoggerMessage(1001, LogLevel.Debug, "Connection {ConnectionId} opened ({Count} open)")]
    public static partial void Connected(ILogger logger, string connectionId, int count);

    [LoggerMessage(1002, LogLevel.Debug, "Connection {ConnectionId} closed")]
    public static partial void Disconnected(ILogger logger, string connectionId);

    [LoggerMessage(1003, LogLevel.Information, "Connection {ConnectionId} joined as {ParticipantId}")]
    public static partial void Joined(ILogger logger, string connectionId, string participantId);

    [LoggerMessage(1004, LogLevel.Information, "Connection {ConnectionId}: participant {ParticipantId} left ({Reason})")]
    public static partial void Left(ILogger logger, string connectionId, string participantId, string reason);

    [LoggerMessage(1005, LogLevel.Debug, "Connection {ConnectionId} sent a refused message: {Code} (ref {Ref})")]
    public static partial void ProtocolError(ILogger logger, string connectionId, string code, string? @ref);

    [LoggerMessage(1006, LogLevel.Warning, "Closing connection {ConnectionId}: {Code}")]
    public static partial void Closing(ILogger logger, string connectionId, string code);

    [LoggerMessage(1007, LogLevel.Warning, "Closing connection {ConnectionId}: it stopped reading with {Queued} messages queued")]
    public static partial void SlowConsumer(ILogger logger, string connectionId, int queued);

    [LoggerMessage(1008, LogLevel.Warning, "Refused a connection: the server holds its limit of {Max} connections")]
    public static partial void ServerBusy(ILogger logger, int max);

    [LoggerMessage(1009, LogLevel.Debug, "Connection {ConnectionId}: receive failed ({Error})")]
    public static partial void ReceiveFailed(ILogger logger, string connectionId, WebSocketError error);

    [LoggerMessage(1010, LogLevel.Debug, "Connection {ConnectionId}: send failed ({Error})")]
    public static partial void SendFailed(ILogger logger, string connectionId, WebSocketError error);

    [LoggerMessage(1011, LogLevel.Information, "Shutting down: telling {Count} connections to reconnect later")]
    public static partial void ShuttingDown(ILogger logger, int count);

    [LoggerMessage(1012, LogLevel.Information, "Connection {ConnectionId}: participant {ParticipantId} is away; it may resume")]
    public static partial void Away(ILogger logger, string connectionId, string participantId);

    [LoggerMessage(1013, LogLevel.Information, "Connection {ConnectionId}: participant {ParticipantId} resumed on another connection")]
    public static partial void Replaced(ILogger logger, string connectionId, string participantId);

    [LoggerMessage(1014, LogLevel.Information, "Connection {ConnectionId} reported participant {ParticipantId} lost, whose socket had dropped: it left")]
    public static partial void DroppedPeerLeft(ILogger logger, string connectionId, string participantId);

    [LoggerMessage(1015, LogLevel.Information, "Connection {ConnectionId}: participant {ParticipantId} was taken out of its room ({Code})")]
    public static partial void RemovedFromRoom(ILogger logger, string connectionId, string participantId, string code);

    [LoggerMessage(1016, LogLevel.Information, "Room {Room}: participant {ParticipantId} was removed by {By}")]
    public static partial void ParticipantRemoved(ILogger logger, string room, string participantId, string by);

    [LoggerMessage(1017, LogLevel.Debug, "Connection {ConnectionId}: broke RFC 6455 framing, closing with {Status}")]
    public static partial void FramingRefused(ILogger logger, string connectionId, WebSocketCloseStatus status);

    [LoggerMessage(1018, LogLevel.Error, "Connection {ConnectionId}: {Type} failed while it waited for the shared store")]
    public static partial void EntryFailed(ILogger logger, Exception exception, string connectionId, string type);
}
