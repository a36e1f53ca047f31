namespace Parley.Turn.Relay;

/// <summary>A byte-rate limiter with a one-second burst; callers serialise access.</summary>
internal struct TokenBucket
{
    private readonly double _ratePerTick;
    private readonly double _capacity;
    private double _tokens;
    private long _last;

    public TokenBucket(double perSecond, double burst, long frequency, long now)
    {
        _ratePerTick = perSecond / frequency;
        _capacity = burst;
        _tokens = burst;
        _last = now;
    }

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
