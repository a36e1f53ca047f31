using System.Net.WebSockets;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports;

namespace Parley.Scale.Bridges;

/// <summary>
/// On the client's node: carries a handed-over session's client messages to the room's owner, and what the owner
/// sends back to the client (<see cref="SignalingSession.HandOver"/>).
/// </summary>
internal sealed class ClientBridge(string id, string ownerNode, SignalingSession session, NodeInbox inbox)
    : BridgeEnd(id, ownerNode, inbox), ISessionBridge
{
    /// <summary>Opens the owner's session with the client's first message; false if the owner did not receive it.</summary>
    public bool TryOpen(OpenPayload open, ReadOnlySpan<byte> firstMessage) =>
        SendAndWait(BridgeFrameKind.Open, BridgeFrame.TextFlag, open.Write(firstMessage)) > 0;

    public void Forward(ReadOnlySpan<byte> message, bool isText)
    {
        if (!IsReset)
        {
            Send(BridgeFrameKind.Message, isText ? BridgeFrame.TextFlag : (byte)0, message);
        }
    }

    public void ClientEnded(TransportEnd how)
    {
        if (TryEnd())
        {
            var flags = (byte)((how.CloseReceived ? BridgeFrame.CloseReceivedFlag : 0) | (how.LeftCleanly ? BridgeFrame.LeftCleanlyFlag : 0));
            Send(BridgeFrameKind.Ended, flags, default);
        }
    }

    public override void OnFrame(in BridgeFrame frame)
    {
        if (!Accept(frame))
        {
            return;
        }

        switch (frame.Kind)
        {
            case BridgeFrameKind.Deliver:
                session.TrySend(frame.Payload.ToArray());
                break;
            case BridgeFrameKind.Close when BridgeFrame.TryReadClose(frame.Payload, out var status, out var reason):
                if (TryEnd())
                {
                    session.CloseForOwner((WebSocketCloseStatus)status, reason);
                }

                break;
        }
    }

    /// <summary>The owner cannot be reached in order: the client gets <c>goaway</c> and resumes, and the owner hears it vanished.</summary>
    protected override void OnReset()
    {
        session.LoseOwner(Inbox.GoAwayFrame);
        Send(BridgeFrameKind.Ended, 0, default);
    }
}
