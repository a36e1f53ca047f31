namespace Parley.Signaling.Sessions;

/// <summary>
/// A connection's bounded send queue, drained by whichever thread finds it idle: the thread that queues a
/// message to an idle connection sends it at once, with no hand-off to another thread, and later messages
/// queue behind a send in progress. At most one drainer runs at a time. Bounded both in frames and in bytes:
/// a few thousand small candidates and a few hundred 4 KB offers weigh the same on the server. Public for the
/// compatibility endpoints (the WebTorrent tracker, PeerJS), whose connections queue what they are sent the same way.
/// </summary>
public sealed class Outbox(int capacity, int capacityBytes)
{
    private readonly Lock gate = new();
    private readonly Queue<byte[]> frames = new();
    private long queuedBytes;
    private bool draining;
    private bool completed;

    /// <summary>
    /// Queues a frame. <see cref="OutboxAdd.Full"/> when <c>capacity</c> frames wait, or the frame would take the
    /// bytes waiting past <c>capacityBytes</c> (the client stopped reading; one frame always fits an empty queue);
    /// <paramref name="mustDrain"/> tells the caller to drain, because no drain is running.
    /// </summary>
    public OutboxAdd TryAdd(byte[] frame, out bool mustDrain)
    {
        lock (gate)
        {
            mustDrain = false;
            if (completed)
            {
                return OutboxAdd.Completed;
            }

            if (frames.Count >= capacity || (frames.Count > 0 && queuedBytes + frame.Length > capacityBytes))
            {
                return OutboxAdd.Full;
            }

            frames.Enqueue(frame);
            queuedBytes += frame.Length;
            mustDrain = TryStartDrainLocked();
            return OutboxAdd.Added;
        }
    }

    /// <summary>Takes no more frames; <paramref name="mustDrain"/> as for <see cref="TryAdd"/>, so the close goes out.</summary>
    public void Complete(out bool mustDrain)
    {
        lock (gate)
        {
            mustDrain = !completed && TryStartDrainLocked();
            completed = true;
        }
    }

    /// <summary>
    /// For the drainer: the next frame; or, when none is left, <see cref="OutboxTake.Idle"/> (this drain ends) or,
    /// once completed, <see cref="OutboxTake.Close"/>: this drainer closes the socket, and no other drain starts.
    /// </summary>
    public OutboxTake Take(out byte[] frame)
    {
        lock (gate)
        {
            if (frames.TryDequeue(out frame!))
            {
                queuedBytes -= frame.Length;
                return OutboxTake.Frame;
            }

            draining = completed;
            return completed ? OutboxTake.Close : OutboxTake.Idle;
        }
    }

    /// <summary>
    /// The drainer's loop, for sessions that count nothing per message (PeerJS, the tracker): sends what is queued, in
    /// order, over <paramref name="transport"/> until nothing is left, the outbox is completed and empty (close the
    /// transport now), or a send fails (the client is gone, and no later drain starts). Throws what the transport
    /// throws when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<OutboxDrained> SendQueuedAsync(Transports.ISignalingTransport transport, CancellationToken cancellationToken)
    {
        OutboxTake next;
        while ((next = Take(out var frame)) == OutboxTake.Frame)
        {
            if (!await transport.SendAsync(frame, cancellationToken).ConfigureAwait(false))
            {
                return OutboxDrained.SendFailed;
            }
        }

        return next == OutboxTake.Close ? OutboxDrained.Close : OutboxDrained.Idle;
    }

    private bool TryStartDrainLocked()
    {
        if (draining)
        {
            return false;
        }

        draining = true;
        return true;
    }
}

/// <summary>What <see cref="Outbox.TryAdd"/> did with a frame.</summary>
public enum OutboxAdd
{
    Added,
    Full,
    Completed,
}

/// <summary>What <see cref="Outbox.Take"/> tells the drainer to do next.</summary>
public enum OutboxTake
{
    Frame,
    Idle,
    Close,
}

/// <summary>How <see cref="Outbox.SendQueuedAsync"/> ended.</summary>
public enum OutboxDrained
{
    /// <summary>Nothing is left: the next add starts the next drain.</summary>
    Idle,

    /// <summary>Completed and empty: close the transport now.</summary>
    Close,

    /// <summary>A send failed: the client can no longer be reached.</summary>
    SendFailed,
}
