using System.Diagnostics;

namespace Parley.Bench.Signaling;

/// <summary>
/// Counters of one measured window, shared by all participants: messages scheduled and delivered whose send time
/// falls in [start, end), their latencies, overheard broadcast copies and server errors.
/// </summary>
internal sealed class TrafficStats
{
    private long windowStart = long.MaxValue;
    private long windowEnd = long.MaxValue;
    private long sent;
    private long clientDropped;
    private long delivered;
    private long overheard;
    private long serverErrors;

    public LatencyHistogram Latency { get; } = new();

    public long Sent => Interlocked.Read(ref sent);

    public long ClientDropped => Interlocked.Read(ref clientDropped);

    public long Delivered => Interlocked.Read(ref delivered);

    public long Overheard => Interlocked.Read(ref overheard);

    public long ServerErrors => Interlocked.Read(ref serverErrors);

    public string? LastServerError { get; private set; }

    public void SetWindow(long start, long end)
    {
        Volatile.Write(ref windowStart, start);
        Volatile.Write(ref windowEnd, end);
    }

    private bool InWindow(long ticks) => ticks >= Volatile.Read(ref windowStart) && ticks < Volatile.Read(ref windowEnd);

    public void OnScheduled(long ticks, bool queued)
    {
        if (InWindow(ticks))
        {
            Interlocked.Increment(ref sent);
            if (!queued)
            {
                Interlocked.Increment(ref clientDropped);
            }
        }
    }

    public void OnDelivered(long sentTicks)
    {
        if (InWindow(sentTicks))
        {
            Latency.Record(Stopwatch.GetTimestamp() - sentTicks);
            Interlocked.Increment(ref delivered);
        }
    }

    public void OnOverheard() => Interlocked.Increment(ref overheard);

    public void OnServerError(string code)
    {
        Interlocked.Increment(ref serverErrors);
        LastServerError = code;
    }
}
