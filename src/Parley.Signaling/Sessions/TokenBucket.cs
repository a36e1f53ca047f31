using Parley.Shared;

namespace Parley.Signaling.Sessions;

/// <summary>
/// A token bucket: <c>ratePerSecond</c> sustained, bursts up to <c>capacity</c>, one token per message. Time comes
/// from <see cref="TimeProvider"/> so tests can move it; the arithmetic is the TURN relay's <see cref="RateBucket"/>.
/// Used from one receive loop at a time; not thread-safe.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider time;
    private RateBucket bucket;

    public TokenBucket(TimeProvider time, double ratePerSecond, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratePerSecond);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        this.time = time;
        bucket = new RateBucket(ratePerSecond, capacity, time.TimestampFrequency, time.GetTimestamp());
    }

    /// <summary>Takes one token; false when the bucket is empty.</summary>
    public bool TryTake() => bucket.TryTake(1, time.GetTimestamp());
}
