using System.Net.WebSockets;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Sessions;

public sealed partial class SignalingSession
{
    /// <inheritdoc />
    bool Transports.IInboundMessages.IsClosing => Volatile.Read(ref closing) != Open;

    /// <inheritdoc />
    void Transports.IInboundMessages.OnMessage(ReadOnlySpan<byte> message, bool isText)
    {
        Volatile.Write(ref lastReceivedTimestamp, server.Time.GetTimestamp());
        Volatile.Write(ref receivedMessages, receivedMessages + 1); // Only the transport's one reader writes it.
        if (Volatile.Read(ref closing) != Open || server.IsShuttingDown)
        {
            return;
        }

        if (!rateLimit.TryTake())
        {
            SendError(new ProtocolError(ErrorCode.RateExceeded,
                $"Slow down: at most {server.Options.MessagesPerSecond} messages a second (bursts of {server.Options.MessageBurst}). The message was dropped."), null);
            return;
        }

        // Only this loop starts holding (in a dispatch it makes), so a false read here cannot race one turning true.
        if (!holding || !TryHold(message, isText))
        {
            DispatchAdmitted(isText, message);
        }
    }

    /// <inheritdoc />
    void Transports.IInboundMessages.OnTooLarge() =>
        Fail(new ProtocolError(ErrorCode.TooLarge, $"Messages are limited to {server.Options.MaxMessageBytes} bytes."), WebSocketCloseStatus.MessageTooBig);

    /// <summary>Hands one message, already counted against the rate limit, to the owner node or to its handler.</summary>
    private void DispatchAdmitted(bool isText, ReadOnlySpan<byte> frame)
    {
        if (Volatile.Read(ref bridge) is { } owner)
        {
            owner.Forward(frame, isText);
            return;
        }

        if (!isText)
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
