using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    /// <inheritdoc />
    public bool TrySend(byte[] utf8Json)
    {
        switch (outbox.TryAdd(utf8Json, out var mustDrain))
        {
            case OutboxAdd.Added:
                if (mustDrain)
                {
                    _ = DrainAsync();
                }

                return true;
            case OutboxAdd.Full:
                // The queue is full only when the client stopped reading: drop it rather than hold the room up.
                if (Interlocked.CompareExchange(ref closing, Closing, Open) == Open)
                {
                    SignalingLog.SlowConsumer(logger, ConnectionId, server.Options.MaxQueuedMessages);
                    server.Metrics.SendQueueDropped();
                    closeStatus = WebSocketCloseStatus.PolicyViolation;
                    closeReason = ErrorCode.SlowConsumer;
                    CompleteOutbox();

                    // Callers hold a room's lock: abort the transport off this thread.
                    ThreadPool.UnsafeQueueUserWorkItem(static session => session.Abort(), this, preferLocal: false);
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Queues nothing more; once what is queued has gone out, the transport is closed with <see cref="closeStatus"/>.</summary>
    private void CompleteOutbox()
    {
        outbox.Complete(out var mustDrain);
        if (mustDrain)
        {
            _ = DrainAsync();
        }
    }

    /// <summary>
    /// Sends what is queued, on the calling thread for as long as sends complete at once (the usual case: the
    /// transport has room), so relaying a message costs no thread hop. Once the outbox is completed and
    /// empty, says goodbye after the last message and gives the client a bounded time to answer.
    /// </summary>
    private async Task DrainAsync()
    {
        try
        {
            OutboxTake next;
            while ((next = outbox.Take(out var frame)) == OutboxTake.Frame)
            {
                server.Metrics.MessageSent(frame.Length);
                if (!await transport.SendAsync(frame, lifetime.Token).ConfigureAwait(false))
                {
                    OnSendFailed();
                    return;
                }
            }

            if (next == OutboxTake.Close)
            {
                try
                {
                    AbortAfterCloseTimeout();
                    await transport.CloseAsync(closeStatus, closeReason, lifetime.Token).ConfigureAwait(false);
                }
                finally
                {
                    // The receive loop may be waiting on a client that never answers the close.
                    AbortAfterCloseTimeout();
                    SendingDone.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            StopSending();
        }
    }

    /// <summary>The client cannot be reached any more: it dropped, as if its receive side had vanished.</summary>
    private void OnSendFailed()
    {
        dropped = true; // Read by the receive loop's end, after StopSending's Abort wakes it.
        StopSending();
    }

    /// <summary>Nothing queued can be sent any more. A Fail or shutdown in progress keeps its claim.</summary>
    private void StopSending()
    {
        Interlocked.CompareExchange(ref closing, Closing, Open);
        Abort();
        SendingDone.TrySetResult();
    }

    /// <summary>Only the drain calls this, and one drain runs at a time.</summary>
    private void AbortAfterCloseTimeout()
    {
        closeTimer ??= server.Time.CreateTimer(static session => ((SignalingSession)session!).Abort(), this,
            CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
    }
}
