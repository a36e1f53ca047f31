using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;

namespace Parley.Signaling.Transports.Direct;

internal sealed partial class PipeWebSocketTransport
{
    /// <summary>
    /// The session's outbox sends one frame at a time, but a pong or a framing error's close comes from the receive
    /// loop: the pipe's writer takes one writer at a time. Uncontended, entering completes at once.
    /// </summary>
    private readonly SemaphoreSlim sendGate = new(1, 1);

    /// <summary>A close frame went out (RFC 6455 §5.5.1: nothing is sent after it). Under <see cref="sendGate"/>.</summary>
    private bool closeSent;

    public async ValueTask<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return !closeSent && await WriteAsync(FrameOpcode.Text, message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sendGate.Release();
        }
    }

    public async ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        try
        {
            if (closeSent)
            {
                return;
            }

            closeSent = true;
            var body = new byte[FrameHeader.MaxControlPayload];
            await WriteAsync(FrameOpcode.Close, body.AsMemory(0, CloseFrame.Write(body, status, reason)), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            sendGate.Release();
        }
    }

    private async ValueTask SendPongAsync(byte[] payload, CancellationToken cancellationToken)
    {
        await sendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!closeSent)
            {
                await WriteAsync(FrameOpcode.Pong, payload, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            sendGate.Release();
        }
    }

    /// <summary>One frame, head and payload, into the pipe and flushed; false when the connection is gone.</summary>
    private async ValueTask<bool> WriteAsync(FrameOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var output = pipe.Output;
        FlushResult result;
        try
        {
            output.Advance(FrameWriter.WriteHead(output.GetSpan(FrameHeader.MaxHeadLength), opcode, payload.Length));
            output.Write(payload.Span);
            result = await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
            // The connection was torn down under the write.
            SignalingLog.SendFailed(logger, connectionId, WebSocketError.ConnectionClosedPrematurely);
            return false;
        }

        if (result.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return !result.IsCompleted;
    }
}
