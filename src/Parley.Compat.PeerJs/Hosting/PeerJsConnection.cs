using System.Net.WebSockets;
using Microsoft.Extensions.Logging;
using Parley.Compat.PeerJs.Protocol;
using Parley.Compat.PeerJs.Realm;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports;

namespace Parley.Compat.PeerJs.Hosting;

/// <summary>
/// One PeerJS client's WebSocket once it holds its id: what it sends goes to the realm in order (over Parley's
/// <see cref="WebSocketTransport"/> receive loop, so messages are bounded in size), what it is sent drains from a bounded
/// <see cref="Outbox"/> on the thread pool, so the realm's lock never waits on a socket.
/// </summary>
internal sealed class PeerJsConnection : IPeerJsClient, IInboundMessages, IDisposable
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>What a client may have queued and unsent: a stalled client is dropped rather than held in memory.</summary>
    internal const int MaxQueuedFrames = 1024;

    internal const int MaxQueuedBytes = 1024 * 1024;

    private readonly string id;
    private readonly PeerJsRealm realm;
    private readonly PeerJsOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly WebSocketTransport transport;
    private readonly Outbox outbox = new(MaxQueuedFrames, MaxQueuedBytes);
    private readonly TokenBucket rateLimit;
    private readonly ConnectionLifetime lifetime = new();
    private long lastReceived;
    private WebSocketCloseStatus closeStatus = WebSocketCloseStatus.NormalClosure;
    private string closeReason = "";
    private ITimer? aliveCheck;
    private ITimer? closeTimer;

    public PeerJsConnection(WebSocket socket, string id, PeerJsRealm realm, PeerJsOptions options, TimeProvider time, ILogger logger)
    {
        this.id = id;
        this.realm = realm;
        this.options = options;
        this.time = time;
        this.logger = logger;
        transport = new WebSocketTransport(socket, options.MaxMessageBytes, logger, id);
        rateLimit = new TokenBucket(time, options.MessagesPerSecond, options.MessageBurst);
        lastReceived = time.GetTimestamp();
    }

    bool IInboundMessages.IsClosing => lifetime.IsClosing;

    /// <summary>Runs the connection once <see cref="PeerJsRealm.Attach"/> gave it the id, until it closes.</summary>
    public async Task RunAsync(CancellationToken requestAborted)
    {
        using var aborted = requestAborted.Register(static state => ((ConnectionLifetime)state!).Abort(), lifetime);
        var period = TimeSpan.FromSeconds(Math.Min(5, options.AliveTimeoutSeconds));
        aliveCheck = time.CreateTimer(static state => ((PeerJsConnection)state!).CheckAlive(), this, period, period);
        try
        {
            await transport.ReceiveAsync(this, lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            realm.Detach(id, this);
            if (lifetime.TryStartClosing())
            {
                CompleteOutbox();
            }

            await lifetime.SendingDone.ConfigureAwait(false);
            PeerJsLog.Closed(logger, id);
        }
    }

    public void OnMessage(ReadOnlySpan<byte> message, bool isText)
    {
        Volatile.Write(ref lastReceived, time.GetTimestamp());
        if (lifetime.IsClosing)
        {
            return;
        }

        if (!rateLimit.TryTake())
        {
            // Any ERROR ends a PeerJS client's connection (its _abort): closing says the same thing honestly.
            Fail(PeerJsErrors.RateExceeded, WebSocketCloseStatus.PolicyViolation);
            return;
        }

        // peerjs-server ignores what it cannot parse, and so does this: a binary frame, bad JSON, an unknown type.
        if (!isText || !PeerJsFrames.TryRead(message, out var read))
        {
            PeerJsLog.Unreadable(logger, id);
            return;
        }

        if (read.Type != PeerJsMessageType.Heartbeat)
        {
            realm.Relay(id, this, read);
        }
    }

    public void OnTooLarge() => Fail(PeerJsErrors.TooLarge, WebSocketCloseStatus.MessageTooBig);

    public bool TrySend(byte[] frame)
    {
        switch (outbox.TryAdd(frame, out var mustDrain))
        {
            case OutboxAdd.Added:
                if (mustDrain)
                {
                    ScheduleDrain();
                }

                return true;
            case OutboxAdd.Full:
                if (lifetime.TryStartClosing())
                {
                    PeerJsLog.Closing(logger, id, "it stopped reading");
                    closeStatus = WebSocketCloseStatus.PolicyViolation;
                    CompleteOutbox();
                    ThreadPool.UnsafeQueueUserWorkItem(static state => state.Abort(), lifetime, preferLocal: false);
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Closes after what is queued (a reconnect took the id over, or the client went silent).</summary>
    public void Close(string reason)
    {
        if (lifetime.TryStartClosing())
        {
            PeerJsLog.Closing(logger, id, reason);
            closeReason = reason;
            CompleteOutbox();
        }
    }

    public void Dispose()
    {
        aliveCheck?.Dispose();
        closeTimer?.Dispose();
        lifetime.Dispose();
    }

    /// <summary>Sends <c>ERROR</c> with <paramref name="message"/> and closes.</summary>
    private void Fail(string message, WebSocketCloseStatus status)
    {
        if (lifetime.TryStartClosing())
        {
            PeerJsLog.Closing(logger, id, message);
            closeStatus = status;
            closeReason = message;
            outbox.TryAdd(PeerJsFrames.Error(message), out var mustDrain);
            if (mustDrain)
            {
                ScheduleDrain();
            }

            CompleteOutbox();
        }
    }

    private void CheckAlive()
    {
        if (time.GetElapsedTime(Volatile.Read(ref lastReceived)) >= TimeSpan.FromSeconds(options.AliveTimeoutSeconds))
        {
            Close(PeerJsErrors.Silent);
        }
    }

    private void CompleteOutbox()
    {
        outbox.Complete(out var mustDrain);
        if (mustDrain)
        {
            ScheduleDrain();
        }
    }

    /// <summary>Callers may hold the realm's lock: the socket is written from the thread pool, never under it.</summary>
    private void ScheduleDrain() =>
        ThreadPool.UnsafeQueueUserWorkItem(static connection => _ = connection.DrainAsync(), this, preferLocal: false);

    /// <summary>Sends what is queued; once completed and empty, closes and gives the client a bounded time to answer.</summary>
    private async Task DrainAsync()
    {
        try
        {
            var next = await outbox.SendQueuedAsync(transport, lifetime.Token).ConfigureAwait(false);
            if (next == OutboxDrained.SendFailed)
            {
                lifetime.StopSending(); // a send failed: the client is gone
                return;
            }

            if (next == OutboxDrained.Close)
            {
                closeTimer = time.CreateTimer(static state => ((ConnectionLifetime)state!).Abort(), lifetime, CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
                try
                {
                    await transport.CloseAsync(closeStatus, closeReason.Length <= 120 ? closeReason : "", lifetime.Token).ConfigureAwait(false);
                }
                finally
                {
                    lifetime.SendingEnded();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            lifetime.StopSending();
        }
    }
}
