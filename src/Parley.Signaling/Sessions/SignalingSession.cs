using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Transports;

namespace Parley.Signaling.Sessions;

/// <summary>
/// One client's signaling session over any <see cref="ISignalingTransport"/>: what the client sends is dispatched to
/// handlers in order, and what it is sent drains from a bounded queue, so a client that stops reading never blocks a
/// room. Close codes are RFC 6455's, whatever the transport (HTTP carries them in its <c>close</c> event).
/// </summary>
public sealed partial class SignalingSession : IParticipantConnection, IInboundMessages, IDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary><see cref="closing"/>: not closing.</summary>
    private const int Open = 0;

    /// <summary>
    /// <see cref="closing"/>: the receive loop ended, or a send failed or the client stopped reading (slow consumer): when
    /// the receive loop ends it decides whether the participant left or is away (<see cref="EndMembership"/>).
    /// </summary>
    private const int Closing = 1;

    /// <summary>
    /// <see cref="closing"/>: <see cref="Fail"/> or <see cref="BeginShutdown"/> closes with a last message and
    /// settles the participant's membership itself; the receive loop ending meanwhile must not decide it first.
    /// </summary>
    private const int ClosingWithMessage = 2;

    private readonly ISignalingTransport transport;
    private readonly SignalingServer server;
    private readonly ILogger logger;
    private readonly Outbox outbox;
    private readonly bool releasesConnection;
    private readonly TokenBucket rateLimit;
    private readonly CancellationTokenSource lifetime = new();
    private TokenBucket? chatRateLimit;
    private int errorCount;

    /// <summary>
    /// How the connection ends, claimed once with a compare-exchange from <see cref="Open"/>. Whoever claims it
    /// completes the outbox (after queueing its last message, so nothing can close the transport before that message
    /// is queued); the receive loop only stops reading.
    /// </summary>
    private int closing;
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;
    private string closeReason = "";
    private ITimer? closeTimer;
    private Membership? membership;
    private long lastReceivedTimestamp;
    private bool leftCleanly;
    private bool closeReceived;

    /// <summary>1 once the receive loop has ended: an entry decided after that finds no one to settle its membership.</summary>
    private int receiveEnded;

    /// <summary>
    /// The client's transport went away under us: the receive loop ended without a close, or a send failed. A crashed
    /// or killed browser looks like this (the kernel closes its sockets); a client that reconnects on purpose closes
    /// first (4000).
    /// </summary>
    private bool dropped;

    /// <summary>Completed once nothing more is sent; made when the session ends (<see cref="SendingDone"/>).</summary>
    private TaskCompletionSource? sendingDone;

    internal SignalingSession(Func<SignalingSession, ISignalingTransport> transportFor, SessionOrigin origin, SignalingServer server, ILogger logger,
        bool releasesConnection = false)
    {
        this.releasesConnection = releasesConnection;
        RequestHost = origin.RequestHost;
        RemoteAddress = origin.RemoteAddress;
        AccessToken = origin.AccessToken;
        this.server = server;
        this.logger = logger;
        ConnectionId = ParticipantId.New()[2..];
        outbox = new Outbox(server.Options.MaxQueuedMessages, server.Options.MaxQueuedBytes);
        rateLimit = new TokenBucket(server.Time, server.Options.MessagesPerSecond, server.Options.MessageBurst);
        lastReceivedTimestamp = server.Time.GetTimestamp();
        transport = transportFor(this);
    }

    /// <summary>What carries this session (several nodes: a bridge from another node tells where its client is).</summary>
    public ISignalingTransport Transport => transport;

    /// <summary>The transport's name (<c>websocket</c>, <c>sse</c>, <c>long-poll</c>), as the client sees it.</summary>
    public string TransportName => transport.Name;

    /// <summary>An id for logs; unrelated to the participant id.</summary>
    public string ConnectionId { get; }

    /// <summary>The host name the client used to reach this server, from its HTTP request.</summary>
    public string? RequestHost { get; }

    /// <summary>The client's address, for open mode's join limit.</summary>
    public System.Net.IPAddress? RemoteAddress { get; }

    /// <summary>The access token given when connecting (<c>?access_token=</c>), used if <c>join</c> carries none. Never logged.</summary>
    internal string? AccessToken { get; }

    /// <summary>Where the client came from, as its HTTP request said; handed to the owner node with the session.</summary>
    public SessionOrigin Origin => new(RequestHost, RemoteAddress, AccessToken);

    /// <summary>This connection's participant while it is in a room.</summary>
    public Participant? Participant => Volatile.Read(ref membership)?.Participant;

    /// <summary>The room this connection is in, if any.</summary>
    public Room? Room => Volatile.Read(ref membership)?.Room;

    /// <summary>
    /// The chat limit, tighter than the limit on all messages; used by the receive loop only. Made at the first chat
    /// message: a bucket starts full and fills no further, so it is the same bucket as one made at connect, and most
    /// connections never chat (one object less each).
    /// </summary>
    internal TokenBucket ChatRateLimit => chatRateLimit ??=
        new TokenBucket(server.Time, server.Options.ChatMessagesPerMinute / 60.0, server.Options.ChatBurst);

    internal SignalingServer Server => server;

    /// <summary>When the last message arrived (<see cref="TimeProvider.GetTimestamp"/>), for the heartbeat timeout.</summary>
    internal long LastReceivedTimestamp => Volatile.Read(ref lastReceivedTimestamp);

    /// <param name="greet">False for a session another node handed over: its client has had its <c>hello</c>.</param>
    /// <remarks>Ends the session itself (unlisted, disposed, its connection slot given back), so no caller waits in an async frame of its own.</remarks>
    internal async Task RunAsync(CancellationToken requestAborted, bool greet = true)
    {
        try
        {
            using var linked = requestAborted.Register(static state => ((CancellationTokenSource)state!).Cancel(), lifetime);
            StartJoinTimeout();

            if (greet)
            {
                TrySend(server.HelloFrame);
            }

            server.Track(this);
            var end = TransportEnd.Vanished;
            try
            {
                end = await transport.ReceiveAsync(this, lifetime.Token).ConfigureAwait(false);
                closeReceived = end.CloseReceived;
                leftCleanly = end.LeftCleanly;
            }
            finally
            {
                // A handed-over session holds no membership: the owner's session settles it from how the client ended.
                Volatile.Read(ref bridge)?.ClientEnded(end);
                Interlocked.Exchange(ref receiveEnded, 1);

                switch (Interlocked.CompareExchange(ref closing, Closing, Open))
                {
                    case Open: // The client closed or vanished: nothing else is ending this connection.
                        if (!closeReceived)
                        {
                            dropped = true;
                        }

                        EndMembership();
                        CompleteOutbox();
                        break;
                    case Closing: // A failed send or a slow consumer: the outbox is completed, the membership is ours.
                        EndMembership();
                        break;
                    default: // Fail or shutdown, perhaps still queueing its last message: it does both.
                        break;
                }

                await SendingDone.Task.ConfigureAwait(false);
            }
        }
        finally
        {
            server.Ended(this);
            Dispose();
            if (releasesConnection)
            {
                server.Connections.Release();
            }
        }
    }

    /// <summary>
    /// Completed once nothing more will be sent (the close went out, or sending stopped). Made at the end, by whichever
    /// of the receive loop and the drain gets there first: an idle session holds no task for it.
    /// </summary>
    private TaskCompletionSource SendingDone =>
        Volatile.Read(ref sendingDone)
        ?? Interlocked.CompareExchange(ref sendingDone, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), null)
        ?? sendingDone;

    public void Dispose()
    {
        joinTimer?.Dispose();
        closeTimer?.Dispose();
        Interlocked.Exchange(ref aliveCheck, null)?.Dispose();
        lifetime.Dispose();
    }

    /// <summary>Aborts the transport's pending reads and writes; safe from timers that fire late.</summary>
    private void Abort()
    {
        try
        {
            lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Records that this connection is now in a room.</summary>
    internal void OnJoined(Room room, Participant participant)
    {
        StopJoinTimeout();

        // A full fence between this write and the read of closing, as Fail and BeginShutdown claim closing before they
        // take the membership: either a close claimed on another thread meanwhile (a heartbeat timeout, shutdown)
        // finds this membership and settles it, or this finds the close; never a participant behind a closed connection.
        Interlocked.Exchange(ref membership, new Membership(room, participant));
        SignalingLog.Joined(logger, ConnectionId, participant.Id);
        if (Volatile.Read(ref closing) == ClosingWithMessage || Volatile.Read(ref receiveEnded) == 1)
        {
            // Its client never got joined, nor the token to resume with: there is no place to keep. (An entry that
            // waited for the shared store can be decided after the client vanished: the receive loop has ended, and its
            // end may have settled the membership before this one existed.)
            LeaveRoom(ParticipantLeftMessage.ReasonDisconnected);
        }
    }

    /// <summary>Leaves the current room, if any, telling the others why.</summary>
    internal void LeaveRoom(string reason)
    {
        // Interlocked: the receive loop and a closing path may both get here; only one leaves.
        if (Interlocked.Exchange(ref membership, null) is var (room, participant))
        {
            server.Rooms.Leave(room, participant, this, reason);
            SignalingLog.Left(logger, ConnectionId, participant.Id, reason);
        }
    }

    /// <summary>
    /// The connection is over: how it ended decides what the room hears (docs/protocol.md, "Leaving, losing the
    /// connection, and resuming"). A client that closed on purpose has left; one that vanished is away and may
    /// resume; during shutdown everyone goes quietly.
    /// </summary>
    private void EndMembership()
    {
        if (server.IsShuttingDown)
        {
            if (Interlocked.Exchange(ref membership, null) is var (room, participant))
            {
                server.Rooms.Leave(room, participant, this, ParticipantLeftMessage.ReasonDisconnected, announce: false);
            }
        }
        else if (leftCleanly)
        {
            LeaveRoom(ParticipantLeftMessage.ReasonDisconnected);
        }
        else if (dropped && Volatile.Read(ref aliveCheck) is not null)
        {
            // A room mate reported it lost and the socket has now dropped too: gone by both accounts (peer-lost).
            LeaveRoom(ParticipantLeftMessage.ReasonDisconnected);
        }
        else
        {
            KeepPlace();
        }
    }

    /// <summary>
    /// Leaves the room's membership to the grace period: the participant is away and may resume. The room mates hear
    /// of it when the socket <see cref="dropped"/>, so they can say whether their peer connections to it are gone too.
    /// </summary>
    private void KeepPlace()
    {
        if (Interlocked.Exchange(ref membership, null) is var (room, participant))
        {
            server.Rooms.MarkAway(room, participant, this, dropped);
            SignalingLog.Away(logger, ConnectionId, participant.Id);
        }
    }

    /// <summary>This connection's <c>peer-lost</c> report confirmed that participant <paramref name="id"/>, whose socket had dropped, is gone.</summary>
    internal void OnDroppedPeerConfirmedLost(string id) => SignalingLog.DroppedPeerLeft(logger, ConnectionId, id);

    /// <inheritdoc />
    public void OnReplaced()
    {
        if (Interlocked.Exchange(ref membership, null) is var (_, participant))
        {
            SignalingLog.Replaced(logger, ConnectionId, participant.Id);
        }

        Fail(new ProtocolError(ErrorCode.SessionReplaced, "This participant resumed on another connection."), WebSocketCloseStatus.PolicyViolation);
    }

    /// <inheritdoc />
    public void OnRemoved(ProtocolError reason)
    {
        if (Interlocked.Exchange(ref membership, null) is var (_, participant))
        {
            SignalingLog.RemovedFromRoom(logger, ConnectionId, participant.Id, reason.Code);
        }

        Fail(reason, WebSocketCloseStatus.PolicyViolation);
    }

    /// <summary>The server is stopping: stop reading, send what is queued, then <paramref name="goAwayFrame"/>, and close with 1012.</summary>
    internal void BeginShutdown(byte[] goAwayFrame)
    {
        if (Interlocked.CompareExchange(ref closing, ClosingWithMessage, Open) != Open)
        {
            return;
        }

        // RFC 6455 §7.4.1 has no 1012; it is IANA's "Service Restart": come back later.
        closeStatus = (WebSocketCloseStatus)1012;
        closeReason = GoAwayMessage.ReasonShutdown;
        TrySend(goAwayFrame);
        CompleteOutbox();
        EndMembership();
    }

    /// <summary>
    /// Sends an error for a refused message. Each counts toward the connection's error budget; the one that
    /// exhausts it is followed by too-many-errors and the close.
    /// </summary>
    internal void SendError(ProtocolError error, string? refType)
    {
        SignalingLog.ProtocolError(logger, ConnectionId, error.Code, refType);
        server.Metrics.Error(error.Code, refType);
        TrySend(ProtocolJson.Serialize(new ErrorMessage(error.Code, error.Message, refType), SignalingJsonContext.Default.ErrorMessage));
        // Interlocked: an entry decided on another thread sends its refusal while the receive loop may send one too.
        if (Interlocked.Increment(ref errorCount) >= server.Options.MaxErrorsPerConnection)
        {
            Fail(new ProtocolError(ErrorCode.TooManyErrors, $"Closing after {errorCount} errors."), WebSocketCloseStatus.PolicyViolation);
        }
    }

    /// <summary>
    /// Sends a final error, then closes the transport once everything queued before it is sent. The participant
    /// leaves at once, or with <paramref name="keepPlace"/> is away for the grace period (a dead network, not
    /// misbehaviour).
    /// </summary>
    internal void Fail(ProtocolError error, WebSocketCloseStatus status, bool keepPlace = false)
    {
        if (Interlocked.CompareExchange(ref closing, ClosingWithMessage, Open) != Open)
        {
            return;
        }

        SignalingLog.Closing(logger, ConnectionId, error.Code);
        server.Metrics.Error(error.Code, null);
        closeStatus = status;
        closeReason = error.Code;
        TrySend(ProtocolJson.Serialize(new ErrorMessage(error.Code, error.Message, null), SignalingJsonContext.Default.ErrorMessage));
        CompleteOutbox();

        // The room hears of it now, not after the close handshake, which a client can drag out.
        if (keepPlace)
        {
            KeepPlace();
        }
        else
        {
            LeaveRoom(ParticipantLeftMessage.ReasonDisconnected);
        }
    }

    private sealed record Membership(Room Room, Participant Participant);
}
