using System.Buffers;
using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (Volatile.Read(ref closing) == 0)
            {
                // A zero-byte read waits for the next frame without holding a buffer: an idle connection
                // costs no receive memory, which is what lets a server hold tens of thousands of them.
                var next = await socket.ReceiveAsync(Memory<byte>.Empty, lifetime.Token).ConfigureAwait(false);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    OnCloseReceived();
                    return;
                }

                if (next.EndOfMessage)
                {
                    OnMessage(next.MessageType, []); // An empty message: the zero-byte read consumed it whole.
                }
                else if (!await ReceiveMessageAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            // A client that vanishes without a close frame, or breaks RFC 6455 framing: nothing to answer.
            SignalingLog.ReceiveFailed(logger, ConnectionId, ex.WebSocketErrorCode);
        }
    }

    /// <summary>Reads and dispatches one message into a pooled buffer; false once the connection is closing.</summary>
    private async Task<bool> ReceiveMessageAsync()
    {
        var limit = server.Options.MaxMessageBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == limit)
                {
                    // Reading the rest would let one client make the server buffer without bound.
                    Fail(new ProtocolError(ErrorCode.TooLarge, $"Messages are limited to {limit} bytes."), WebSocketCloseStatus.MessageTooBig);
                    await DrainUntilClosedAsync(buffer).ConfigureAwait(false);
                    return false;
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length, limit - length), lifetime.Token).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                OnCloseReceived();
                return false;
            }

            OnMessage(result.MessageType, buffer.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnMessage(WebSocketMessageType frameType, ReadOnlySpan<byte> frame)
    {
        Volatile.Write(ref lastReceivedTimestamp, server.Time.GetTimestamp());
        Volatile.Write(ref receivedMessages, receivedMessages + 1); // Only this receive loop writes it.
        if (Volatile.Read(ref closing) == 0 && !server.IsShuttingDown)
        {
            Dispatch(frameType, frame);
        }
    }

    /// <summary>
    /// The client closed the connection. With 1000, 1001 or no status it meant to go (a tab closing,
    /// <c>ws.close()</c>); any other status, 4000 "reconnecting" among them, keeps its place for a resume.
    /// </summary>
    private void OnCloseReceived()
    {
        closeReceived = true;
        leftCleanly = socket.CloseStatus is null or WebSocketCloseStatus.Empty or WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable;
    }

    /// <summary>
    /// After the server has decided to close, reads and discards until the client's close frame (or the
    /// close timeout), so the close handshake can finish.
    /// </summary>
    private async Task DrainUntilClosedAsync(byte[] buffer)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), lifetime.Token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }
        }
    }

    private void Dispatch(WebSocketMessageType frameType, ReadOnlySpan<byte> frame)
    {
        if (!rateLimit.TryTake())
        {
            SendError(new ProtocolError(ErrorCode.RateExceeded,
                $"Slow down: at most {server.Options.MessagesPerSecond} messages a second (bursts of {server.Options.MessageBurst}). The message was dropped."), null);
            return;
        }

        if (frameType != WebSocketMessageType.Text)
        {
            SendError(new ProtocolError(ErrorCode.UnsupportedFrame, "Send JSON in text frames; binary frames are not used."), null);
            return;
        }

        if (!ProtocolJson.TryReadType(frame, out var type, out var error))
        {
            SendError(error, null);
            return;
        }

        if (!server.Handlers.TryGet(type, out var handler))
        {
            SendError(new ProtocolError(ErrorCode.UnknownType, $"Unknown message type '{Truncate(type)}'."), null);
            return;
        }

        server.Metrics.MessageReceived(handler.Type, frame.Length);

        if (handler.Handle(this, frame) is { } refused)
        {
            SendError(refused, handler.Type);
        }
    }

    private static string Truncate(string text) => text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "…");
}
