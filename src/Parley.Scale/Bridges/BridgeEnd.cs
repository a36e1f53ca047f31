namespace Parley.Scale.Bridges;

/// <summary>
/// One end of a session carried between two nodes: the client's node (<see cref="ClientBridge"/>) or the room's owner
/// (<see cref="OwnerTransport"/>). Frames each way are numbered; a missing or stale one resets the bridge rather than
/// deliver out of order or late, and the client resumes (docs/deployment.md, "Several nodes").
/// </summary>
internal abstract class BridgeEnd(string id, string peerNode, NodeInbox inbox)
{
    /// <summary>
    /// How often a frame's delivery is checked: checking costs a thread hop when Redis completes the publish, so most
    /// frames are sent without a reply; one checked every so often still finds a peer that stopped listening at once.
    /// </summary>
    private const long DeliveryCheckMilliseconds = 250;

    private uint sent;
    private uint received;
    private int reset;
    private long deliveryCheckedAt;

    public string Id { get; } = id;

    /// <summary>The node at the other end.</summary>
    public string PeerNode { get; } = peerNode;

    protected NodeInbox Inbox { get; } = inbox;

    protected bool IsReset => Volatile.Read(ref reset) == 1;

    public abstract void OnFrame(in BridgeFrame frame);

    /// <summary>Ends the bridge because it can no longer carry the session in order: the client is told to resume.</summary>
    public void Reset(string reason)
    {
        if (Interlocked.Exchange(ref reset, 1) == 0)
        {
            Inbox.Remove(this);
            Inbox.LogReset(Id, reason);
            OnReset();
        }
    }

    protected abstract void OnReset();

    /// <summary>Marks the bridge ended without a reset (a normal close): later frames for it are ignored.</summary>
    protected bool TryEnd()
    {
        if (Interlocked.Exchange(ref reset, 1) == 0)
        {
            Inbox.Remove(this);
            return true;
        }

        return false;
    }

    /// <summary>Checks a frame's number and age; a gap or a stale frame resets the bridge.</summary>
    protected bool Accept(in BridgeFrame frame)
    {
        if (frame.Sequence != received + 1)
        {
            Reset($"frame {received + 1} was lost (got {frame.Sequence})");
            return false;
        }

        received = frame.Sequence;
        var age = Inbox.Link.NowMilliseconds - frame.SentAtMilliseconds;
        if (age > Inbox.Link.Options.MessageMaxAgeMilliseconds)
        {
            Reset($"a frame arrived {age} ms old");
            return false;
        }

        return true;
    }

    protected void Send(BridgeFrameKind kind, byte flags, ReadOnlySpan<byte> payload)
    {
        var now = Inbox.Link.NowMilliseconds;
        var frame = BridgeFrame.Write(kind, flags, Id, Interlocked.Increment(ref sent), now, payload);
        var check = kind is not (BridgeFrameKind.Message or BridgeFrameKind.Deliver or BridgeFrameKind.DeliverIntroducing)
            || now - Volatile.Read(ref deliveryCheckedAt) >= DeliveryCheckMilliseconds;
        if (check)
        {
            Volatile.Write(ref deliveryCheckedAt, now);
        }

        Inbox.Publish(this, frame, check);
    }

    /// <summary>Like <see cref="Send"/>, but returns how many nodes received it (0: the peer is gone) or -1 when Redis failed.</summary>
    protected Task<long> SendAndWaitAsync(BridgeFrameKind kind, byte flags, ReadOnlySpan<byte> payload) =>
        Inbox.PublishAndWaitAsync(PeerNode, BridgeFrame.Write(kind, flags, Id, Interlocked.Increment(ref sent), Inbox.Link.NowMilliseconds, payload));
}
