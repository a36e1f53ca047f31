namespace Parley.Signaling.Transports.Http;

/// <summary>
/// Puts an HTTP session's POSTs back in the client's order by their sequence numbers (1, 2, 3...): each message is
/// applied once, in order, whatever order the requests arrive in and however often a lost one is retried. Holds a
/// bounded number of early arrivals while one before them is missing. No I/O and no locking:
/// <see cref="HttpTransport"/> holds its lock around every call.
/// </summary>
internal sealed class InboundSequencer(int maxPending, int maxPendingBytes)
{
    private readonly Dictionary<long, byte[]> pending = [];
    private long expected = 1;
    private long pendingBytes;

    /// <summary>The next sequence number the client owes.</summary>
    public long Expected => expected;

    /// <summary>
    /// Takes message <paramref name="sequence"/>. <see cref="SequenceResult.Ready"/>: it is next, apply it and then
    /// whatever <see cref="TryTakeNext"/> gives; <see cref="SequenceResult.Held"/>: kept (a copy) until the ones before
    /// it arrive; <see cref="SequenceResult.Duplicate"/>: applied or held already, ignore it;
    /// <see cref="SequenceResult.OutOfWindow"/>: too far ahead, or no room to hold it (or not a sequence number):
    /// refused, the client may send it again later.
    /// </summary>
    public SequenceResult Accept(long sequence, ReadOnlySpan<byte> message)
    {
        if (sequence < 1 || sequence >= expected + maxPending)
        {
            return SequenceResult.OutOfWindow;
        }

        if (sequence < expected || pending.ContainsKey(sequence))
        {
            return SequenceResult.Duplicate;
        }

        if (sequence == expected)
        {
            expected++;
            return SequenceResult.Ready;
        }

        if (pendingBytes + message.Length > maxPendingBytes)
        {
            return SequenceResult.OutOfWindow;
        }

        pending.Add(sequence, message.ToArray());
        pendingBytes += message.Length;
        return SequenceResult.Held;
    }

    /// <summary>After a <see cref="SequenceResult.Ready"/> message: the held one that now comes next, if any.</summary>
    public bool TryTakeNext(out byte[] message)
    {
        if (pending.Remove(expected, out message!))
        {
            pendingBytes -= message.Length;
            expected++;
            return true;
        }

        return false;
    }
}

internal enum SequenceResult
{
    Ready,
    Held,
    Duplicate,
    OutOfWindow,
}
