namespace Parley.Turn.Sockets;

/// <summary>
/// Interrupt moderation for a UDP event loop (<see cref="UdpEventLoop"/>), with no I/O: decides after each round
/// whether the loop waits <see cref="WindowMicroseconds"/> (Turn:UdpBatchMicroseconds) before polling again, so
/// that the datagrams arriving meanwhile are read, handled and sent in one round. A round costs the loop one
/// wake-up and a few system calls whatever its size, and on a virtual machine those dominate the cost of a
/// relayed packet; waiting only pays off when enough datagrams arrive during the window to share it, so the
/// pacer waits only while the loop's measured rate brings at least <see cref="MinimumBatch"/> per window. Light
/// traffic is never delayed; under load each hop adds at most one window.
/// </summary>
internal sealed class BatchPacer
{
    /// <summary>Datagrams a window must be expected to gather before waiting pays for its own timer wake-up.</summary>
    public const int MinimumBatch = 4;

    /// <summary>
    /// A round that read more than this is behind (the sockets held a backlog), as is one that left a socket with
    /// more than its turn allowed: waiting would only let the receive buffers overflow, so the loop goes straight on.
    /// </summary>
    public const int BacklogBatch = 64;

    /// <summary>How often the rate is measured: long enough to smooth bursts, short enough to follow a call starting.</summary>
    private const int SampleMilliseconds = 10;

    private readonly long _timestampFrequency;
    private readonly long _sampleTicks;
    private readonly double _windowSeconds;
    private long _sampleStart;
    private long _sampleDatagrams;
    private bool _busy;

    /// <param name="windowMicroseconds">The wait after a busy round; 0 turns pacing off.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="now">The current timestamp.</param>
    public BatchPacer(int windowMicroseconds, long timestampFrequency, long now)
    {
        WindowMicroseconds = (uint)Math.Max(0, windowMicroseconds);
        _windowSeconds = WindowMicroseconds / 1e6;
        _timestampFrequency = timestampFrequency;
        _sampleTicks = Math.Max(1, timestampFrequency * SampleMilliseconds / 1000);
        _sampleStart = now;
    }

    public uint WindowMicroseconds { get; }

    /// <summary>Whether the last measured rate was high enough to wait after rounds.</summary>
    public bool Busy => _busy;

    /// <summary>
    /// Counts a finished round's datagrams; returns the microseconds to wait before the next round, 0 for none.
    /// A round that read nothing never waits (the loop then blocks in epoll until traffic comes), nor does one that
    /// found a backlog (<paramref name="backlog"/>, or more than <see cref="BacklogBatch"/> datagrams).
    /// </summary>
    public uint AfterRound(int datagrams, bool backlog, long now)
    {
        if (WindowMicroseconds == 0)
        {
            return 0;
        }

        _sampleDatagrams += datagrams;
        long elapsed = now - _sampleStart;
        if (elapsed >= _sampleTicks)
        {
            double perSecond = _sampleDatagrams * (double)_timestampFrequency / elapsed;
            _busy = perSecond * _windowSeconds >= MinimumBatch;
            _sampleStart = now;
            _sampleDatagrams = 0;
        }

        return _busy && !backlog && datagrams is > 0 and <= BacklogBatch ? WindowMicroseconds : 0;
    }
}
