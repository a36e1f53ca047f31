using System.Net.WebSockets;
using System.Threading.Channels;
using Parley.Signaling.Transports;

namespace Parley.Scale.Bridges;

/// <summary>
/// On the room's owner: the transport of a session whose client is connected to another node. What the client sends
/// arrives as frames from that node; what the session sends goes back as frames. The session sees a transport like any
/// other (docs/protocol.md, "Transports").
/// </summary>
internal sealed class OwnerTransport : BridgeEnd, ISignalingTransport
{
    private readonly Channel<Inbound> inbound;
    private readonly Introducer introducer;
    private readonly Lock gate = new();
    private readonly TaskCompletionSource<TransportEnd> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set once the session reads: from then on the inbox's reader hands it each message itself, no queue between.</summary>
    private IInboundMessages? reader;

    public OwnerTransport(string id, string clientNode, NodeInbox inbox, int maxQueuedMessages, Introducer introducer)
        : base(id, clientNode, inbox)
    {
        inbound = Channel.CreateBounded<Inbound>(new BoundedChannelOptions(maxQueuedMessages) { SingleReader = true });
        this.introducer = introducer;
    }

    public string Name => "bridge";

    /// <summary>The client's first message, which came with the open frame (<paramref name="open"/> checked its number).</summary>
    public void Start(in BridgeFrame open, ReadOnlySpan<byte> firstMessage)
    {
        if (Accept(open))
        {
            inbound.Writer.TryWrite(new Inbound(firstMessage.ToArray(), true, null));
        }
    }

    /// <summary>
    /// Hands the session what came before it started reading, then lets the inbox's reader (one thread, in Redis's
    /// order) hand it every later message directly: no queue and no thread hop per message. Returns once the client's
    /// node says the client ended, or the bridge ends.
    /// </summary>
    public async Task<TransportEnd> ReceiveAsync(IInboundMessages messages, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (inbound.Reader.TryRead(out var next))
            {
                if (next.End is { } end)
                {
                    return end;
                }

                messages.OnMessage(next.Message, next.IsText);
            }

            lock (gate)
            {
                if (!inbound.Reader.TryPeek(out _))
                {
                    if (inbound.Reader.Completion.IsCompleted)
                    {
                        return TransportEnd.Vanished;
                    }

                    reader = messages;
                    break;
                }
            }
        }

        using (cancellationToken.Register(static state => ((TaskCompletionSource<TransportEnd>)state!).TrySetResult(TransportEnd.Vanished), ended))
        {
            return await ended.Task.ConfigureAwait(false);
        }
    }

    public ValueTask<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        if (IsReset)
        {
            return ValueTask.FromResult(false);
        }

        // Called by the session's one sender, in order: the introducer's state needs no lock.
        if (introducer.For(message) is { } introductions)
        {
            Send(BridgeFrameKind.DeliverIntroducing, 0, Introductions.Write(message, introductions));
        }
        else
        {
            Send(BridgeFrameKind.Deliver, 0, message);
        }

        return ValueTask.FromResult(true);
    }

    public ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (TryEnd())
        {
            Send(BridgeFrameKind.Close, 0, BridgeFrame.ClosePayload((int)status, reason));
        }

        Finish(TransportEnd.Vanished);
        return ValueTask.CompletedTask;
    }

    public override void OnFrame(in BridgeFrame frame)
    {
        if (!Accept(frame))
        {
            return;
        }

        switch (frame.Kind)
        {
            case BridgeFrameKind.Message:
                IInboundMessages? session;
                lock (gate)
                {
                    session = reader;
                    if (session is null && !inbound.Writer.TryWrite(new Inbound(frame.Payload.ToArray(), (frame.Flags & BridgeFrame.TextFlag) != 0, null)))
                    {
                        Reset("the client's node sent more than the session's queue holds");
                        return;
                    }
                }

                session?.OnMessage(frame.Payload, (frame.Flags & BridgeFrame.TextFlag) != 0);
                break;
            case BridgeFrameKind.Ended:
                Finish((frame.Flags & BridgeFrame.CloseReceivedFlag) == 0
                    ? TransportEnd.Vanished
                    : new TransportEnd(true, (frame.Flags & BridgeFrame.LeftCleanlyFlag) != 0));
                TryEnd();
                break;
        }
    }

    /// <summary>Ends the session's reading with <paramref name="end"/>, whether it reads from the queue or not yet.</summary>
    private void Finish(TransportEnd end)
    {
        lock (gate)
        {
            inbound.Writer.TryWrite(new Inbound([], true, end));
            inbound.Writer.TryComplete();
        }

        ended.TrySetResult(end);
    }

    /// <summary>
    /// The client's node cannot be reached in order: the session ends as if the client vanished (its participant keeps
    /// its place to resume), and the client's node, if it still listens, closes the client with <c>goaway</c>.
    /// </summary>
    protected override void OnReset()
    {
        Send(BridgeFrameKind.Deliver, 0, Inbox.GoAwayFrame);
        Send(BridgeFrameKind.Close, 0, BridgeFrame.ClosePayload(1012, "goaway"));
        Finish(TransportEnd.Vanished);
    }

    private readonly record struct Inbound(byte[] Message, bool IsText, TransportEnd? End);
}
