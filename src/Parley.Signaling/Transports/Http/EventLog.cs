namespace Parley.Signaling.Transports.Http;

/// <summary>
/// What an HTTP session sends its client, numbered from 1 (the event stream's <c>id</c>): messages not yet delivered,
/// and, for a reconnecting client's <c>Last-Event-ID</c>, the latest ones delivered but not yet acknowledged. Bounded
/// in messages and bytes together: delivered messages make room first, and a client that takes nothing fills it and
/// is dropped. No I/O and no locking: <see cref="HttpTransport"/> holds its lock around every call.
/// </summary>
internal sealed class EventLog(int capacity, int capacityBytes)
{
    private readonly Queue<byte[]> messages = new();
    private long firstSequence = 1;
    private long deliveredThrough;
    private long bytes;

    /// <summary>The number the next message gets.</summary>
    public long NextSequence => firstSequence + messages.Count;

    /// <summary>Messages kept, delivered or not; for tests.</summary>
    public int Count => messages.Count;

    /// <summary>
    /// Adds a message; false when the messages not yet delivered already fill the log (the client stopped taking them;
    /// one message always fits).
    /// </summary>
    public bool TryAppend(byte[] message)
    {
        while (messages.Count > 0 && (messages.Count >= capacity || bytes + message.Length > capacityBytes))
        {
            if (firstSequence > deliveredThrough)
            {
                return false; // Nothing delivered left to drop: all of it still waits for the client.
            }

            bytes -= messages.Dequeue().Length;
            firstSequence++;
        }

        messages.Enqueue(message);
        bytes += message.Length;
        return true;
    }

    /// <summary>
    /// A reader that has seen every message through <paramref name="lastSeen"/> (0: none) attaches: those are
    /// acknowledged and dropped, and delivery restarts after them. False when some it missed are gone (the replay
    /// window is bounded, or <paramref name="lastSeen"/> lies ahead of what was sent): it must start over.
    /// </summary>
    public bool TryResumeAfter(long lastSeen)
    {
        if (lastSeen < firstSequence - 1 || lastSeen >= NextSequence)
        {
            return false;
        }

        while (firstSequence <= lastSeen)
        {
            bytes -= messages.Dequeue().Length;
            firstSequence++;
        }

        deliveredThrough = lastSeen;
        return true;
    }

    /// <summary>
    /// The messages after <paramref name="after"/>, in order, at most <paramref name="max"/>, marked delivered:
    /// appended to <paramref name="into"/> with their numbers.
    /// </summary>
    public void TakeAfter(long after, int max, List<(long Sequence, byte[] Message)> into)
    {
        var sequence = firstSequence;
        foreach (var message in messages)
        {
            if (into.Count >= max)
            {
                break;
            }

            if (sequence > after)
            {
                into.Add((sequence, message));
                deliveredThrough = Math.Max(deliveredThrough, sequence);
            }

            sequence++;
        }
    }
}
