using System.Buffers;
using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Parley.Signaling.Transports;

/// <summary>
/// A signaling session over one WebSocket (RFC 6455), JSON in text frames. Public so that the compatibility
/// endpoints (the WebTorrent tracker, PeerJS) read and write their sockets through the same bounded, pooled loop.
/// </summary>
/// <param name="socket">The accepted socket.</param>
/// <param name="maxMessageBytes">Largest message read; a longer one is refused through <see cref="IInboundMessages.OnTooLarge"/>.</param>
/// <param name="logger">Where receive and send failures are logged (at debug).</param>
/// <param name="connectionId">Names the connection in those logs.</param>
public sealed class WebSocketTransport(WebSocket socket, int maxMessageBytes, ILogger logger, string connectionId) : ISignalingTransport
{
    public string Name => "websocket";

    public async Task<TransportEnd> ReceiveAsync(IInboundMessages inbound, CancellationToken cancellationToken)
    {
        try
        {
            while (!inbound.IsClosing)
            {
                // A zero-byte read waits for the next frame without holding a buffer: an idle connection
                // costs no receive memory, which is what lets a server hold tens of thousands of them.
                var next = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
                if (next.MessageType == WebSocketMessageType.Close)
                {
                    return TransportEnd.Closed(socket.CloseStatus);
                }

                if (next.EndOfMessage)
                {
                    inbound.OnMessage([], next.MessageType == WebSocketMessageType.Text); // The zero-byte read consumed it whole.
                }
                else if (await ReceiveMessageAsync(inbound, cancellationToken).ConfigureAwait(false) is { } end)
                {
                    return end;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException ex)
        {
            // A client that vanishes without a close frame, or breaks RFC 6455 framing: nothing to answer.
            SignalingLog.ReceiveFailed(logger, connectionId, ex.WebSocketErrorCode);
        }

        return TransportEnd.Vanished;
    }

    /// <summary>Reads and delivers one message into a pooled buffer; how the connection ended, if it did.</summary>
    private async Task<TransportEnd?> ReceiveMessageAsync(IInboundMessages inbound, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(maxMessageBytes);
        try
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == maxMessageBytes)
                {
                    // Reading the rest would let one client make the server buffer without bound.
                    inbound.OnTooLarge();
                    return await DrainUntilClosedAsync(buffer, cancellationToken).ConfigureAwait(false);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length, maxMessageBytes - length), cancellationToken).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportEnd.Closed(socket.CloseStatus);
            }

            inbound.OnMessage(buffer.AsSpan(0, length), result.MessageType == WebSocketMessageType.Text);
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// After the session has decided to close, reads and discards until the client's close frame (or the close
    /// timeout cancels), so the close handshake can finish.
    /// </summary>
    private async Task<TransportEnd> DrainUntilClosedAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return TransportEnd.Closed(socket.CloseStatus);
            }
        }
    }

    public async ValueTask<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (WebSocketException ex)
        {
            SignalingLog.SendFailed(logger, connectionId, ex.WebSocketErrorCode);
            return false;
        }
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }
}
