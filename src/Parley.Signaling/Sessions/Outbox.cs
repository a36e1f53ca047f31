namespace Parley.Signaling.Sessions;

/// <summary>
/// A connection's bounded send queue, drained by whichever thread finds it idle: the thread that queues a
/// message to an idle connection sends it at once, with no hand-off to another thread, and later messages
/// queue behind a send in progress. At most one drainer runs at a time.
/// </summary>
internal sealed class Outbox(int capacity)
{
    private readonly Lock gate = new();
    private readonly Queue<byte[]> frames = new();
    private bool draining;
    private bool completed;

    /// <summary>
    /// Queues a frame. <see cref="OutboxAdd.Full"/> when <c>capacity</c> frames wait (the client stopped reading);
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

            if (frames.Count >= capacity)
            {
                return OutboxAdd.Full;
            }

            frames.Enqueue(frame);
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
                return OutboxTake.Frame;
            }

            draining = completed;
            return completed ? OutboxTake.Close : OutboxTake.Idle;
        }
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

internal enum OutboxAdd
{
    Added,
    Full,
    Completed,
}

internal enum OutboxTake
{
    Frame,
    Idle,
    Close,
}
