using System.Net.WebSockets;
using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;
using Parley.Signaling.Transports;

namespace Parley.Scale.Bridges;

/// <summary>
/// On the client's node: carries a handed-over session's client messages to the room's owner, and what the owner
/// sends back to the client (<see cref="SignalingSession.HandOver"/>).
/// </summary>
internal sealed class ClientBridge(string id, string ownerNode, SignalingSession session, NodeInbox inbox, int maxHeldRelays)
    : BridgeEnd(id, ownerNode, inbox), ISessionBridge
{
    private readonly PeerDirectory directory = new(maxHeldRelays);
    private readonly List<Introduction> introductions = [];

    /// <summary>Opens the owner's session with the client's first message; false if the owner did not receive it.</summary>
    public async Task<bool> TryOpenAsync(OpenPayload open, ReadOnlyMemory<byte> firstMessage) =>
        await SendAndWaitAsync(BridgeFrameKind.Open, BridgeFrame.TextFlag, open.Write(firstMessage.Span)).ConfigureAwait(false) > 0;

    /// <summary>
    /// An offer, answer or candidate for a room mate whose client is on another node than the owner goes straight to
    /// that node (<see cref="PeerDirectory"/>); everything else, and anything the owner must refuse, to the owner.
    /// </summary>
    public void Forward(ReadOnlySpan<byte> message, bool isText)
    {
        if (IsReset)
        {
            return;
        }

        if (isText && directory.TryRoute(message, out var target, out var senderId, out var relayed))
        {
            Inbox.PublishRelay(target, senderId, relayed);
            return;
        }

        if (isText && ProtocolJson.TryReadType(message, out var type, out _) && type == "leave")
        {
            directory.Clear();
        }

        Send(BridgeFrameKind.Message, isText ? BridgeFrame.TextFlag : (byte)0, message);
    }

    /// <summary>A relay from a room mate's node (<see cref="BridgeFrameKind.Relay"/>), delivered only once the client knows its sender.</summary>
    public void OnRelay(in BridgeFrame frame)
    {
        if (!IsReset && RelayPayload.TryRead(frame.Payload, out var senderId, out var message)
            && directory.Admit(senderId, message, frame.SentAtMilliseconds, Inbox.Link.NowMilliseconds, Inbox.Link.Options.MessageMaxAgeMilliseconds) == RelayAdmission.Deliver)
        {
            session.TrySend(message.ToArray());
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
            case BridgeFrameKind.DeliverIntroducing when Introductions.TryRead(frame.Payload, out var message, introductions):
                session.TrySend(message.ToArray());
                if (directory.Apply(introductions, Inbox.Link.NowMilliseconds, Inbox.Link.Options.MessageMaxAgeMilliseconds) is { } released)
                {
                    foreach (var relay in released)
                    {
                        session.TrySend(relay);
                    }
                }

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
