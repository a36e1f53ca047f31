namespace Parley.Shared;

/// <summary>
/// A token bucket on raw timestamps: <c>perSecond</c> sustained, bursts up to <c>burst</c>, full at the start.
/// A struct that allocates nothing, for the TURN relay's hot path (a byte budget per allocation, taken per packet);
/// signaling's per-message <c>TokenBucket</c> wraps it with a <see cref="TimeProvider"/>. Not thread-safe: callers
/// serialise access. Compiled into Parley.Turn and Parley.Signaling (linked), which share no project.
/// </summary>
internal struct RateBucket
{
    private readonly double _ratePerTick;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    /// <param name="perSecond">Tokens added per second.</param>
    /// <param name="burst">The most tokens held, and the tokens at the start.</param>
    /// <param name="frequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="now">The timestamp of the start.</param>
    public RateBucket(double perSecond, double burst, long frequency, long now)
    {
        _ratePerTick = perSecond / frequency;
        _capacity = burst;
        _tokens = burst;
        _last = now;
    }

    /// <summary>Takes <paramref name="amount"/> tokens at timestamp <paramref name="now"/>; false (none taken) when fewer are left.</summary>
    public bool TryTake(int amount, long now)
    {
        if (now > _last)
        {
            _tokens = Math.Min(_capacity, _tokens + ((now - _last) * _ratePerTick));
            _last = now;
        }

        if (_tokens < amount)
        {
            return false;
        }

        _tokens -= amount;
        return true;
    }
}
