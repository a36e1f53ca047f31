using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Signaling.Handlers;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Sessions;

/// <summary>What every session shares: options, rooms, handlers, the clock; and the connection limit.</summary>
public sealed class SignalingServer
{
    private readonly ILogger<SignalingSession> sessionLogger;

    public SignalingServer(
        IOptions<SignalingOptions> options,
        RoomRegistry rooms,
        MessageHandlerRegistry handlers,
        ConnectionCounter connections,
        TimeProvider time,
        ILogger<SignalingSession> sessionLogger)
    {
        Options = options.Value;
        Rooms = rooms;
        Handlers = handlers;
        Connections = connections;
        Time = time;
        this.sessionLogger = sessionLogger;
        HelloFrame = ProtocolJson.Serialize(
            new HelloMessage(ProtocolVersion.Current, "parley", new ProtocolLimits(
                Options.MaxMessageBytes,
                Options.MaxParticipantsPerRoom,
                Options.MessagesPerSecond,
                Options.MessageBurst,
                Options.MaxRoomNameLength,
                Options.MaxDisplayNameLength,
                Options.MaxChatLength,
                Options.ChatMessagesPerMinute)),
            SignalingJsonContext.Default.HelloMessage);
    }

    public SignalingOptions Options { get; }

    public RoomRegistry Rooms { get; }

    public MessageHandlerRegistry Handlers { get; }

    public ConnectionCounter Connections { get; }

    public TimeProvider Time { get; }

    /// <summary>The <c>hello</c> every connection receives first; the same bytes for all.</summary>
    internal byte[] HelloFrame { get; }

    /// <summary>Runs one accepted WebSocket until it closes.</summary>
    public async Task RunSessionAsync(WebSocket socket, string? requestHost, CancellationToken requestAborted)
    {
        using var session = new SignalingSession(socket, requestHost, this, sessionLogger);
        SignalingLog.Connected(sessionLogger, session.ConnectionId, Connections.Count);
        try
        {
            await session.RunAsync(requestAborted).ConfigureAwait(false);
        }
        finally
        {
            SignalingLog.Disconnected(sessionLogger, session.ConnectionId);
        }
    }

    /// <summary>Tells a client the server is at its connection limit and closes (RFC 6455 §7.4: 1013 try again later).</summary>
    public static async Task RefuseBusyAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var error = new ErrorMessage(ErrorCode.ServerBusy, "The server is at its connection limit; try again later.", null);
        await socket.SendAsync(ProtocolJson.Serialize(error, SignalingJsonContext.Default.ErrorMessage), WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
        await socket.CloseOutputAsync((WebSocketCloseStatus)1013, ErrorCode.ServerBusy, cancellationToken).ConfigureAwait(false);
    }
}
