namespace Parley.Signaling.Sessions;

/// <summary>
/// A token bucket: <c>ratePerSecond</c> sustained, bursts up to <c>capacity</c>. Time comes from
/// <see cref="TimeProvider"/> so tests can move it. Used from one receive loop at a time; not thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider time;
    private readonly double ratePerTick;
    private readonly double capacity;
    private double tokens;
    private long lastRefill;

    public TokenBucket(TimeProvider time, double ratePerSecond, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.time = time;
        this.capacity = capacity;
        ratePerTick = ratePerSecond / time.TimestampFrequency;
        tokens = capacity;
        lastRefill = time.GetTimestamp();
    }

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake()
    {
        var now = time.GetTimestamp();
        tokens = Math.Min(capacity, tokens + ((now - lastRefill) * ratePerTick));
        lastRefill = now;
        if (tokens < 1)
        {
            return false;
        }

        tokens -= 1;
        return true;
    }
}
