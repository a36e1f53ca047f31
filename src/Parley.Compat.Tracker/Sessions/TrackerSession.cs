using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Parley.Compat.Tracker.Protocol;
using Parley.Compat.Tracker.Swarms;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports;

namespace Parley.Compat.Tracker.Sessions;

/// <summary>
/// One tracker client's socket: reads requests through Parley's <see cref="WebSocketTransport"/> (bounded, pooled),
/// rate-limits them like <c>/ws</c>, hands them to <see cref="TrackerSwarms"/>, and sends what comes out through a
/// bounded <see cref="Outbox"/>, so a client that stops reading never holds up the others.
/// </summary>
internal sealed class TrackerSession : IInboundMessages, ITrackerSink, IDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly TrackerSwarms swarms;
    private readonly TrackerOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly WebSocketTransport transport;
    private readonly Outbox outbox;
    private readonly TokenBucket rateLimit;
    private readonly ConnectionLifetime lifetime = new();
    private readonly TrackerConnection connection;
    private readonly List<Outgoing> output = [];
    private int errorCount;
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;
    private string closeReason = "";
    private ITimer? closeTimer;

    public TrackerSession(WebSocket socket, TrackerSwarms swarms, TrackerOptions options, TimeProvider time, ILogger logger)
    {
        this.swarms = swarms;
        this.options = options;
        this.time = time;
        this.logger = logger;
        var id = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        connection = new TrackerConnection(id, this);
        transport = new WebSocketTransport(socket, options.MaxMessageBytes, logger, id);
        outbox = new Outbox(options.MaxQueuedMessages, options.MaxQueuedBytes);
        rateLimit = new TokenBucket(time, options.MessagesPerSecond, options.MessageBurst);
    }

    public bool IsClosing => lifetime.IsClosing;

    public async Task RunAsync(CancellationToken requestAborted)
    {
        using var linked = requestAborted.Register(static state => ((ConnectionLifetime)state!).Abort(), lifetime);
        TrackerLog.Connected(logger, connection.Id);
        try
        {
            await transport.ReceiveAsync(this, lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            // A close, a vanished client or a refused one: `stopped` in every swarm it joined.
            swarms.Disconnected(connection);
            Close(WebSocketCloseStatus.NormalClosure, "");
            await lifetime.SendingDone.ConfigureAwait(false); // the close frame goes out before the socket is disposed
            TrackerLog.Disconnected(logger, connection.Id);
        }
    }

    public void OnMessage(ReadOnlySpan<byte> message, bool isText)
    {
        if (IsClosing)
        {
            return;
        }

        if (!rateLimit.TryTake())
        {
            Refuse(new("announce", null, $"rate exceeded: at most {options.MessagesPerSecond} messages a second (bursts of {options.MessageBurst}); the message was dropped"));
            return;
        }

        if (!isText)
        {
            Refuse(new("announce", null, "binary frames are not accepted: send JSON in text frames"));
            return;
        }

        if (!TrackerRequestReader.TryRead(message, options.MaxOffersPerAnnounce, options.MaxScrapeInfoHashes, out var request, out var failure))
        {
            Refuse(failure);
            return;
        }

        // Only this receive loop uses `output`; frames go out after the swarms' lock is released.
        swarms.Handle(connection, request!, output);
        foreach (var (to, frame) in output)
        {
            to.Sink.Send(frame);
        }

        output.Clear();
    }

    public void OnTooLarge()
    {
        TrackerLog.Closing(logger, connection.Id, $"a message over {options.MaxMessageBytes} bytes");
        Close(WebSocketCloseStatus.MessageTooBig, $"messages are limited to {options.MaxMessageBytes} bytes");
    }

    /// <summary>Queues a frame; a client that stopped reading (its outbox full) is closed.</summary>
    public void Send(byte[] frame)
    {
        switch (outbox.TryAdd(frame, out var mustDrain))
        {
            case OutboxAdd.Added when mustDrain:
                _ = DrainAsync();
                break;
            case OutboxAdd.Full:
                TrackerLog.Closing(logger, connection.Id, "it stopped reading");
                Close(WebSocketCloseStatus.PolicyViolation, "slow consumer");
                // Nothing more it is sent can go out: stop reading it too. Off this thread, which is another client's.
                ThreadPool.UnsafeQueueUserWorkItem(static state => state.Abort(), lifetime, preferLocal: false);
                break;
        }
    }

    public void Dispose()
    {
        closeTimer?.Dispose();
        lifetime.Dispose();
    }

    private void Refuse(TrackerFailure failure)
    {
        TrackerLog.Refused(logger, connection.Id, failure.Reason);
        Send(TrackerFrames.Failure(failure));
        if (++errorCount >= options.MaxErrorsPerConnection)
        {
            TrackerLog.Closing(logger, connection.Id, $"{errorCount} refused messages");
            Close(WebSocketCloseStatus.PolicyViolation, "too many errors");
        }
    }

    /// <summary>Stops reading and closes once what is queued has gone out (or after a bounded wait for a client that does not read).</summary>
    private void Close(WebSocketCloseStatus status, string reason)
    {
        if (!lifetime.TryStartClosing())
        {
            return;
        }

        closeStatus = status;
        closeReason = reason;

        // A client that does not read would hold the drain (and this connection) forever: it gets a bounded time.
        closeTimer = time.CreateTimer(static state => ((ConnectionLifetime)state!).Abort(), lifetime, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
        outbox.Complete(out var mustDrain);
        if (mustDrain)
        {
            _ = DrainAsync();
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            var next = await outbox.SendQueuedAsync(transport, lifetime.Token).ConfigureAwait(false);
            if (next == OutboxDrained.SendFailed)
            {
                lifetime.StopSending(); // the client is gone; no later drain starts (the outbox still counts this one)
                return;
            }

            if (next == OutboxDrained.Close)
            {
                await transport.CloseAsync(closeStatus, closeReason, lifetime.Token).ConfigureAwait(false);
                lifetime.SendingEnded();
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            lifetime.StopSending();
        }
    }
}
