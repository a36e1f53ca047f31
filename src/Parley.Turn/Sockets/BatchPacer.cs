namespace Parley.Turn.Sockets;

/// <summary>
/// Interrupt moderation for a UDP event loop (<see cref="UdpEventLoop"/>), with no I/O: decides after each round
/// whether the loop waits before polling again, so that the datagrams arriving meanwhile are read, handled and
/// sent in one round. A round costs the loop one wake-up and a few system calls whatever its size, and on a
/// virtual machine those dominate the cost of a relayed packet. The wait is sized from the loop's measured rate
/// to gather about <see cref="TargetBatch"/> datagrams, and never exceeds the longest window
/// (Turn:UdpBatchMicroseconds); waiting only pays off when enough datagrams arrive to share its own timer
/// wake-up, so the pacer waits only while the longest window would gather at least <see cref="MinimumBatch"/>.
/// Light traffic is never delayed; under load each hop adds at most one window.
/// </summary>
internal sealed class BatchPacer
{
    /// <summary>Datagrams a window must be expected to gather before waiting pays for its own timer wake-up.</summary>
    public const int MinimumBatch = 4;

    /// <summary>
    /// Datagrams a window aims to gather, over all the loop's sockets (a relayed call's are about half on the listener,
    /// half on the relay sockets). Past about this many, a round's fixed cost is a small share of each packet's, so a
    /// longer wait would add delay and save little. 32 rather than 16: 4-10 % less CPU per relayed packet at 20,000 and
    /// 40,000 a second (docs/benchmarks.md, "TURN relay"), for waits that still never exceed the configured window. A
    /// socket that alone fills its turn in a round is a backlog (<see cref="BacklogBatch"/>), and the loop goes on.
    /// </summary>
    public const int TargetBatch = 32;

    /// <summary>
    /// A round that read more than this is behind (the sockets held a backlog), as is one that left a socket with
    /// more than its turn allowed: waiting would only let the receive buffers overflow, so the loop goes straight on.
    /// </summary>
    public const int BacklogBatch = 64;

    /// <summary>How often the rate is measured: long enough to smooth bursts, short enough to follow a call starting.</summary>
    private const int SampleMilliseconds = 10;

    private readonly uint _maxWindowMicroseconds;
    private readonly long _timestampFrequency;
    private readonly long _sampleTicks;
    private long _sampleStart;
    private long _sampleDatagrams;

    /// <param name="maxWindowMicroseconds">The longest wait after a busy round; 0 turns pacing off.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    /// <param name="now">The current timestamp.</param>
    public BatchPacer(int maxWindowMicroseconds, long timestampFrequency, long now)
    {
        _maxWindowMicroseconds = (uint)Math.Max(0, maxWindowMicroseconds);
        _timestampFrequency = timestampFrequency;
        _sampleTicks = Math.Max(1, timestampFrequency * SampleMilliseconds / 1000);
        _sampleStart = now;
    }

    /// <summary>The wait after a round while busy, from the last measured rate; 0 while not busy.</summary>
    public uint WindowMicroseconds { get; private set; }

    /// <summary>Whether the last measured rate was high enough to wait after rounds.</summary>
    public bool Busy => WindowMicroseconds > 0;

    /// <summary>
    /// Counts a finished round's datagrams; returns the microseconds to wait before the next round, 0 for none.
    /// A round that read nothing never waits (the loop then blocks in epoll until traffic comes), nor does one that
    /// found a backlog (<paramref name="backlog"/>, or more than <see cref="BacklogBatch"/> datagrams).
    /// </summary>
    public uint AfterRound(int datagrams, bool backlog, long now)
    {
        if (_maxWindowMicroseconds == 0)
        {
            return 0;
        }

        _sampleDatagrams += datagrams;
        long elapsed = now - _sampleStart;
        if (elapsed >= _sampleTicks)
        {
            WindowMicroseconds = Window(_sampleDatagrams * (double)_timestampFrequency / elapsed);
            _sampleStart = now;
            _sampleDatagrams = 0;
        }

        return !backlog && datagrams is > 0 and <= BacklogBatch ? WindowMicroseconds : 0;
    }

    /// <summary>The wait that gathers <see cref="TargetBatch"/> datagrams at this rate, capped; 0 if even the cap gathers too few.</summary>
    private uint Window(double perSecond)
    {
        if (perSecond * _maxWindowMicroseconds / 1e6 < MinimumBatch)
        {
            return 0;
        }

        return (uint)Math.Clamp(TargetBatch * 1e6 / perSecond, 1, _maxWindowMicroseconds);
    }
}
