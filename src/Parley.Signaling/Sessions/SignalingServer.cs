using System.Collections.Concurrent;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Signaling.Handlers;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Transports;

namespace Parley.Signaling.Sessions;

/// <summary>
/// What every session shares: options, rooms, handlers, the clock; the connection limit; and the open
/// sessions, for heartbeats and shutdown.
/// </summary>
public sealed partial class SignalingServer : IDisposable
{
    private readonly ILogger<SignalingSession> sessionLogger;
    private readonly ConcurrentDictionary<SignalingSession, byte> sessions = new();

    public SignalingServer(
        IOptions<SignalingOptions> options,
        RoomRegistry rooms,
        MessageHandlerRegistry handlers,
        ConnectionCounter connections,
        IRoomRouter router,
        TimeProvider time,
        ILogger<SignalingSession> sessionLogger,
        SignalingMetrics metrics)
    {
        Metrics = metrics;
        Options = options.Value;
        Rooms = rooms;
        Handlers = handlers;
        Connections = connections;
        Router = router;
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
                Options.ChatMessagesPerMinute,
                Options.HeartbeatSeconds,
                Options.HeartbeatTimeoutSeconds,
                Options.ResumeGraceSeconds)),
            SignalingJsonContext.Default.HelloMessage);
        GoAwayFrame = ProtocolJson.Serialize(
            new GoAwayMessage(GoAwayMessage.ReasonShutdown, Options.ShutdownRetryAfterMilliseconds), SignalingJsonContext.Default.GoAwayMessage);
        heartbeat = time.CreateTimer(static state => ((SignalingServer)state!).OnHeartbeat(), this,
            TimeSpan.FromSeconds(Options.HeartbeatSeconds), TimeSpan.FromSeconds(Options.HeartbeatSeconds));
    }

    public SignalingOptions Options { get; }

    public RoomRegistry Rooms { get; }

    public MessageHandlerRegistry Handlers { get; }

    public ConnectionCounter Connections { get; }

    public TimeProvider Time { get; }

    /// <summary>Where each room lives: here, or (several nodes) on the node that owns it.</summary>
    public IRoomRouter Router { get; }

    /// <summary>The <c>goaway</c> sent before closing with 1012: the client resumes after <c>retryAfterMs</c>.</summary>
    public byte[] GoAway => GoAwayFrame;

    public SignalingMetrics Metrics { get; }

    /// <summary>The <c>hello</c> every connection receives first; the same bytes for all.</summary>
    internal byte[] HelloFrame { get; }

    /// <summary>Runs one accepted WebSocket until it closes.</summary>
    public Task RunSessionAsync(WebSocket socket, SessionOrigin origin, CancellationToken requestAborted) =>
        RunSessionAsync(session => new WebSocketTransport(socket, Options.MaxMessageBytes, sessionLogger, session.ConnectionId), origin, requestAborted);

    /// <summary>Runs one session over the transport <paramref name="transportFor"/> makes for it, until it closes.</summary>
    /// <param name="greet">False for a session another node handed over (<see cref="IRoomRouter"/>): its client has had <c>hello</c>.</param>
    public Task RunSessionAsync(Func<SignalingSession, ISignalingTransport> transportFor, SessionOrigin origin, CancellationToken requestAborted, bool greet = true) =>
        RunSessionAsync(transportFor, origin, greet, releasesConnection: false, requestAborted);

    /// <param name="releasesConnection">The session gives back the caller's <see cref="Connections"/> slot as it ends.</param>
    /// <remarks>
    /// Not an async method, and <paramref name="transportFor"/> and <paramref name="origin"/> are not kept: the
    /// session's own run is the only frame an idle connection holds for it here (each awaiting method is an object per
    /// connection; docs/benchmarks.md, "Issue 19, third round"). The session ends itself (<see cref="Ended"/>).
    /// </remarks>
    internal Task RunSessionAsync(Func<SignalingSession, ISignalingTransport> transportFor, SessionOrigin origin, bool greet, bool releasesConnection, CancellationToken requestAborted)
    {
        var session = new SignalingSession(transportFor, origin, this, sessionLogger, releasesConnection);
        SignalingLog.Connected(sessionLogger, session.ConnectionId, Connections.Count);
        return session.RunAsync(requestAborted, greet);
    }

    /// <summary>A session's run ended: it is no longer listed, and shutdown may find every session gone.</summary>
    internal void Ended(SignalingSession session)
    {
        sessions.TryRemove(session, out _);
        SignalDrainedIfEmpty();
        SignalingLog.Disconnected(sessionLogger, session.ConnectionId);
    }

    public void Dispose() => heartbeat.Dispose();

    /// <summary>Lists a session for heartbeats and shutdown, once its <c>hello</c> is queued.</summary>
    internal void Track(SignalingSession session)
    {
        sessions.TryAdd(session, 0);
        if (IsShuttingDown)
        {
            // Stopping began before this session was listed, so it was missed: it goes at once.
            session.BeginShutdown(GoAwayFrame);
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
