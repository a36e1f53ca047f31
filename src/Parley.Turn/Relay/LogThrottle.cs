namespace Parley.Turn.Relay;

/// <summary>
/// Lets a log line through at most once per interval, so that a client which keeps hitting a limit cannot flood
/// the log, while an operator still learns that the limit is being hit.
/// </summary>
internal sealed class LogThrottle(TimeSpan interval, long frequency)
{
    private readonly long _interval = (long)(interval.TotalSeconds * frequency);
    private long _next = long.MinValue;

    /// <summary>True for the first call, then for the first call at least one interval after the last true.</summary>
    public bool TryEnter(long now)
    {
        long next = Volatile.Read(ref _next);
        return now >= next && Interlocked.CompareExchange(ref _next, now + _interval, next) == next;
    }
}
