using Parley.Turn.Sockets;

namespace Parley.Turn.Tests;

/// <summary>The event loop's interrupt moderation: when a round is followed by a wait, on a clock in microseconds.</summary>
public class BatchPacerTests
{
    private const long Frequency = 1_000_000;

    /// <summary>Feeds rounds of <paramref name="datagrams"/> every <paramref name="everyMicroseconds"/>; returns the last wait.</summary>
    private static uint Run(BatchPacer pacer, ref long now, int rounds, int datagrams, long everyMicroseconds)
    {
        uint wait = 0;
        for (int i = 0; i < rounds; i++)
        {
            now += everyMicroseconds;
            wait = pacer.AfterRound(datagrams, backlog: false, now);
        }

        return wait;
    }

    [Fact]
    public void Light_traffic_is_never_delayed()
    {
        long now = 0;
        var pacer = new BatchPacer(1000, Frequency, now);
        // 3 datagrams every 1 ms = 3,000 a second: 3 in the longest window, under the batch of 4.
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(0u, Run(pacer, ref now, 1, 3, 1000));
        }

        Assert.False(pacer.Busy);
    }

    [Fact]
    public void Busy_loop_waits_long_enough_to_gather_the_target_batch_after_each_round_that_read_something()
    {
        long now = 0;
        var pacer = new BatchPacer(1000, Frequency, now);
        // 10 datagrams every 250 µs = 40,000 a second: 32 arrive in 800 µs. Busy once the first 10 ms sample is measured.
        Assert.Equal(0u, Run(pacer, ref now, 39, 10, 250));
        Assert.Equal(800u, Run(pacer, ref now, 1, 10, 250));
        Assert.True(pacer.Busy);
        Assert.Equal(800u, Run(pacer, ref now, 20, 10, 250));
        Assert.Equal(0u, pacer.AfterRound(0, backlog: false, now + 1)); // Nothing read: block in epoll instead.

        // 80,000 a second: half the wait.
        Assert.Equal(400u, Run(pacer, ref now, 160, 10, 125)); // Two samples: the first may still hold slower rounds.
    }

    [Fact]
    public void The_wait_never_exceeds_the_configured_window()
    {
        long now = 0;
        var pacer = new BatchPacer(1000, Frequency, now);
        // 10,000 a second would take 3.2 ms to gather 32; the window caps it. 6 a window still pays for the wait.
        Assert.Equal(1000u, Run(pacer, ref now, 100, 10, 1000));
        Assert.Equal(1000u, Run(pacer, ref now, 100, 6, 1000));
        Assert.True(pacer.Busy);
    }

    [Fact]
    public void A_backlog_is_read_at_once()
    {
        long now = 0;
        var pacer = new BatchPacer(1000, Frequency, now);
        Run(pacer, ref now, 40, 10, 250);
        Assert.True(pacer.Busy);
        Assert.Equal(800u, pacer.AfterRound(BatchPacer.BacklogBatch, backlog: false, now += 250));
        Assert.Equal(0u, pacer.AfterRound(BatchPacer.BacklogBatch + 1, backlog: false, now += 250));
        Assert.Equal(0u, pacer.AfterRound(10, backlog: true, now += 250)); // A socket left with more than its turn.
        Assert.Equal(800u, pacer.AfterRound(10, backlog: false, now += 250));
    }

    [Fact]
    public void Waiting_stops_when_traffic_falls()
    {
        long now = 0;
        var pacer = new BatchPacer(1000, Frequency, now);
        Run(pacer, ref now, 40, 10, 250);
        Assert.True(pacer.Busy);
        // 1 datagram every 1 ms: the next 10 ms sample still holds the busy rounds, the one after does not.
        Run(pacer, ref now, 20, 1, 1000);
        Assert.False(pacer.Busy);
        Assert.Equal(0u, Run(pacer, ref now, 1, 1, 1000));

        // An idle loop wakes from epoll's timeout with nothing read: the long gap counts as a slow sample.
        Run(pacer, ref now, 40, 10, 250);
        Assert.True(pacer.Busy);
        Assert.Equal(0u, pacer.AfterRound(0, backlog: false, now += 250_000));
        Assert.False(pacer.Busy);
    }

    [Fact]
    public void Window_zero_turns_pacing_off()
    {
        long now = 0;
        var pacer = new BatchPacer(0, Frequency, now);
        Assert.Equal(0u, Run(pacer, ref now, 1000, 30, 100));
        Assert.False(pacer.Busy);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(8, 4)]
    [InlineData(200, 64)]
    public void Default_udp_threads_is_one_per_two_processors(int processors, int threads) =>
        Assert.Equal(threads, TurnServer.DefaultUdpThreads(processors));
}
