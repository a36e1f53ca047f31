using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    /// <inheritdoc />
    public bool TrySend(byte[] utf8Json)
    {
        if (outbox.Writer.TryWrite(utf8Json))
        {
            return true;
        }

        // The queue is full only when the client stopped reading: drop it rather than hold the room up.
        if (Volatile.Read(ref closing) == 0)
        {
            SignalingLog.SlowConsumer(logger, ConnectionId, server.Options.MaxQueuedMessages);
            closeStatus = WebSocketCloseStatus.PolicyViolation;
            closeReason = ErrorCode.SlowConsumer;
            Interlocked.Exchange(ref closing, 1);
            outbox.Writer.TryComplete();

            // Callers hold a room's lock: abort the socket off this thread.
            ThreadPool.UnsafeQueueUserWorkItem(static session => session.Abort(), this, preferLocal: false);
        }

        return false;
    }

    private async Task SendLoopAsync()
    {
        try
        {
            var reader = outbox.Reader;
            while (await reader.WaitToReadAsync(lifetime.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, lifetime.Token).ConfigureAwait(false);
                }
            }

            // The queue completes when the client went away or the server decided to close: say goodbye
            // after the last queued message, and give the client a bounded time to answer.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                AbortAfterCloseTimeout();
                await socket.CloseOutputAsync(closeStatus, closeReason, lifetime.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            SignalingLog.SendFailed(logger, ConnectionId, ex.WebSocketErrorCode);
        }
        finally
        {
            // The receive loop may be waiting on a client that never answers the close.
            AbortAfterCloseTimeout();
        }
    }

    private void AbortAfterCloseTimeout()
    {
        closeTimer ??= server.Time.CreateTimer(static session => ((SignalingSession)session!).Abort(), this,
            CloseHandshakeTimeout, Timeout.InfiniteTimeSpan);
    }
}
