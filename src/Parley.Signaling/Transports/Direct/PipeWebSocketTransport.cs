using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text.Unicode;
using Microsoft.Extensions.Logging;

namespace Parley.Signaling.Transports.Direct;

/// <summary>
/// A signaling session's WebSocket (RFC 6455) read and written straight on the connection's pipes, for the direct
/// path (<see cref="DirectWebSocketMiddleware"/>), instead of a <see cref="System.Net.WebSockets.WebSocket"/> over a
/// stream over the pipes. Each time the pipe has data, every whole frame in it is parsed and handed on before the
/// next read (one pipe read per burst instead of a zero-byte read, a head read and a payload read per message); a
/// frame that arrived whole in one segment is unmasked in place and handed on without a copy. An idle connection
/// holds no receive buffer and one waiting read. Same limits and close codes as the WebSocket it replaces: messages
/// over <c>maxMessageBytes</c> are refused (1009 from the session), a text message must be UTF-8 (1007), any other
/// framing error closes with 1002. RFC 6455 pings are answered; the server sends none (the middleware keeps the
/// runtime's WebSocket when <see cref="SignalingOptions.KeepAliveSeconds"/> asks for them).
/// </summary>
[SuppressMessage("Reliability", "CA1001", Justification = "Its SemaphoreSlim never makes a wait handle (AvailableWaitHandle is not used), so there is nothing to dispose.")]
internal sealed partial class PipeWebSocketTransport(IDuplexPipe pipe, int maxMessageBytes, ILogger logger, string connectionId) : ISignalingTransport
{
    // What a message in pieces has so far; touched by the receive loop only.
    private byte[]? message;
    private int messageLength;
    private bool messageIsText;
    private bool inMessage;

    // The data frame whose payload is still arriving.
    private FrameHeader frame;
    private long frameRemaining;
    private int maskOffset;
    private bool inFrame;

    /// <summary>A message was too large: everything up to the client's close is read and dropped.</summary>
    private bool discarding;

    private WebSocketCloseStatus? closeStatus;
    private WebSocketCloseStatus failure;
    private byte[]? pingPayload;

    public string Name => "websocket";

    public async Task<TransportEnd> ReceiveAsync(IInboundMessages inbound, CancellationToken cancellationToken)
    {
        var input = pipe.Input;

        // One registration for the session's life rather than one per read: a waiting read costs an idle connection
        // nothing more than the read itself.
        using var registration = cancellationToken.UnsafeRegister(static state => ((PipeReader)state!).CancelPendingRead(), input);
        try
        {
            // As the WebSocket transport: a session that is ending reads no further, except to find the close
            // frame after a message too large.
            while (discarding || !inbound.IsClosing)
            {
                var result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    return TransportEnd.Vanished;
                }

                var buffer = result.Buffer;
                var step = Consume(ref buffer, inbound);
                input.AdvanceTo(buffer.Start, buffer.End);
                switch (step)
                {
                    case Step.NeedMore when result.IsCompleted:
                        return TransportEnd.Vanished;
                    case Step.Closed:
                        return TransportEnd.Closed(closeStatus);
                    case Step.Failed:
                        SignalingLog.FramingRefused(logger, connectionId, failure);
                        await CloseAsync(failure, "", cancellationToken).ConfigureAwait(false);
                        return TransportEnd.Vanished;
                    case Step.Ping:
                        await SendPongAsync(pingPayload!, cancellationToken).ConfigureAwait(false);
                        pingPayload = null;
                        break;
                }
            }

            return TransportEnd.Vanished;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // Cancelled by the session, or the connection was reset under the read (Kestrel completes the pipe with
            // a ConnectionResetException): the client is gone. Anything else is a bug and is not hidden.
            return TransportEnd.Vanished;
        }
        finally
        {
            ReleaseMessage();
        }
    }

    /// <summary>Handles every whole frame at the start of <paramref name="buffer"/>, slicing off what it used.</summary>
    private Step Consume(ref ReadOnlySequence<byte> buffer, IInboundMessages inbound)
    {
        Span<byte> head = stackalloc byte[FrameHeader.MaxHeadLength];
        Span<byte> control = stackalloc byte[FrameHeader.MaxControlPayload];
        while (true)
        {
            if (inFrame)
            {
                if (!ContinueFrame(ref buffer, inbound))
                {
                    return frameRemaining > 0 ? Step.NeedMore : Step.Failed;
                }

                continue;
            }

            var headLength = (int)Math.Min(buffer.Length, FrameHeader.MaxHeadLength);
            buffer.Slice(0, headLength).CopyTo(head);
            switch (FrameHeader.TryRead(head[..headLength], out var header, out var error))
            {
                case FrameRead.NeedMore:
                    return Step.NeedMore;
                case FrameRead.Invalid:
                    return Fail(error);
            }

            if (header.IsControl)
            {
                if (buffer.Length < header.HeadLength + header.PayloadLength)
                {
                    return Step.NeedMore;
                }

                var payload = control[..(int)header.PayloadLength];
                buffer.Slice(header.HeadLength, payload.Length).CopyTo(payload);
                FrameMask.Apply(payload, header.Mask, 0);
                buffer = buffer.Slice(header.HeadLength + payload.Length);
                switch (header.Opcode)
                {
                    case FrameOpcode.Ping:
                        // §5.5.2: answered with a pong carrying the same data, "as soon as is practical".
                        pingPayload = payload.ToArray();
                        return Step.Ping;
                    case FrameOpcode.Close:
                        return CloseFrame.TryRead(payload, out closeStatus) ? Step.Closed : Fail(WebSocketCloseStatus.ProtocolError);
                    default:
                        continue; // §5.5.3: an unsolicited pong is ignored.
                }
            }

            // §5.4: a message is one first frame (text or binary) and then only continuations until FIN.
            if ((header.Opcode == FrameOpcode.Continuation) != inMessage)
            {
                return Fail(WebSocketCloseStatus.ProtocolError);
            }

            if (header.Opcode != FrameOpcode.Continuation)
            {
                messageIsText = header.Opcode == FrameOpcode.Text;
                messageLength = 0;
            }

            inMessage = !header.Fin;
            if (!discarding && messageLength + header.PayloadLength > maxMessageBytes)
            {
                // Reading the rest would let one client make the server buffer without bound: the session refuses
                // it (1009) and the rest is dropped until the client's close.
                discarding = true;
                ReleaseMessage();
                inbound.OnTooLarge();
            }

            var whole = header.HeadLength + header.PayloadLength;
            if (!discarding && header.Fin && header.Opcode != FrameOpcode.Continuation && buffer.FirstSpan.Length >= whole)
            {
                // The usual case: a whole message in one frame in one segment, unmasked where it lies.
                var payload = MemoryMarshal.AsMemory(buffer.First).Span.Slice(header.HeadLength, (int)header.PayloadLength);
                FrameMask.Apply(payload, header.Mask, 0);
                buffer = buffer.Slice(whole);
                if (!Deliver(payload, inbound))
                {
                    return Fail(WebSocketCloseStatus.InvalidPayloadData);
                }

                continue;
            }

            buffer = buffer.Slice(header.HeadLength);
            frame = header;
            frameRemaining = header.PayloadLength;
            maskOffset = 0;
            inFrame = true;
            if (!discarding)
            {
                message ??= ArrayPool<byte>.Shared.Rent(maxMessageBytes);
            }
        }
    }

    /// <summary>
    /// Takes what has arrived of the current data frame's payload; true when the frame is done (and its message handed
    /// on if it was the last), false when more must arrive (or, with nothing remaining, the message was not UTF-8).
    /// </summary>
    private bool ContinueFrame(ref ReadOnlySequence<byte> buffer, IInboundMessages inbound)
    {
        if (frameRemaining > 0)
        {
            if (buffer.IsEmpty)
            {
                return false;
            }

            var take = (int)Math.Min(buffer.Length, frameRemaining);
            if (!discarding)
            {
                var piece = message.AsSpan(messageLength, take);
                buffer.Slice(0, take).CopyTo(piece);
                FrameMask.Apply(piece, frame.Mask, maskOffset);
                messageLength += take;
            }

            maskOffset = (maskOffset + take) & 3;
            frameRemaining -= take;
            buffer = buffer.Slice(take);
            if (frameRemaining > 0)
            {
                return false;
            }
        }

        inFrame = false;
        if (!frame.Fin || discarding)
        {
            return true;
        }

        var delivered = Deliver(message.AsSpan(0, messageLength), inbound);
        ReleaseMessage();
        if (!delivered)
        {
            failure = WebSocketCloseStatus.InvalidPayloadData;
        }

        return delivered;
    }

    /// <summary>Hands on one whole message; false for a text message that is not UTF-8 (RFC 6455 §8.1).</summary>
    private bool Deliver(ReadOnlySpan<byte> payload, IInboundMessages inbound)
    {
        if (messageIsText && !Utf8.IsValid(payload))
        {
            return false;
        }

        inbound.OnMessage(payload, messageIsText);
        return true;
    }

    private Step Fail(WebSocketCloseStatus status)
    {
        failure = status;
        return Step.Failed;
    }

    private void ReleaseMessage()
    {
        if (message is { } rented)
        {
            message = null;
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private enum Step
    {
        NeedMore,
        Closed,
        Failed,
        Ping,
    }
}
