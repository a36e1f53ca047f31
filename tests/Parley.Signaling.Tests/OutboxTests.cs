using Parley.Signaling.Sessions;

namespace Parley.Signaling.Tests;

/// <summary>A connection's send queue: bounded in frames and bytes, drained by one drainer at a time.</summary>
public class OutboxTests
{
    [Fact]
    public void The_thread_that_queues_to_an_idle_outbox_drains_it_and_later_frames_queue_behind()
    {
        var outbox = new Outbox(capacity: 8, capacityBytes: 1024);
        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[10], out var first));
        Assert.True(first);
        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[20], out var second));
        Assert.False(second); // A drain is running.

        Assert.Equal(OutboxTake.Frame, outbox.Take(out var frame));
        Assert.Equal(10, frame.Length);
        Assert.Equal(OutboxTake.Frame, outbox.Take(out frame));
        Assert.Equal(20, frame.Length);
        Assert.Equal(OutboxTake.Idle, outbox.Take(out _));

        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[1], out var again));
        Assert.True(again); // Idle again: the next one to queue drains.
    }

    [Fact]
    public void Full_at_the_frame_bound()
    {
        var outbox = new Outbox(capacity: 3, capacityBytes: 1 << 20);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[1], out _));
        }

        Assert.Equal(OutboxAdd.Full, outbox.TryAdd(new byte[1], out _));
    }

    [Fact]
    public void Full_at_the_byte_bound_but_one_frame_always_fits_an_empty_queue()
    {
        var outbox = new Outbox(capacity: 100, capacityBytes: 100);
        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[300], out _)); // Larger than the bound, but alone.
        Assert.Equal(OutboxAdd.Full, outbox.TryAdd(new byte[1], out _));
        Assert.Equal(OutboxTake.Frame, outbox.Take(out _));

        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[60], out _));
        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[40], out _));
        Assert.Equal(OutboxAdd.Full, outbox.TryAdd(new byte[1], out _));
    }

    [Fact]
    public void Sent_frames_no_longer_count_so_a_reading_client_is_never_full()
    {
        // One frame always waits behind the one being sent, so the byte bound is checked at every add.
        var outbox = new Outbox(capacity: 4, capacityBytes: 1000);
        Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[400], out _));
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(OutboxAdd.Added, outbox.TryAdd(new byte[400], out _));
            Assert.Equal(OutboxTake.Frame, outbox.Take(out _));
        }

        Assert.Equal(OutboxTake.Frame, outbox.Take(out _));
        Assert.Equal(OutboxTake.Idle, outbox.Take(out _));
    }

    [Fact]
    public void A_completed_outbox_takes_nothing_more_and_closes_after_what_it_holds()
    {
        var outbox = new Outbox(capacity: 8, capacityBytes: 1024);
        outbox.TryAdd(new byte[5], out _);
        outbox.Complete(out var mustDrain);
        Assert.False(mustDrain); // The drain that started with the first frame is still running.
        Assert.Equal(OutboxAdd.Completed, outbox.TryAdd(new byte[5], out _));
        Assert.Equal(OutboxTake.Frame, outbox.Take(out _));
        Assert.Equal(OutboxTake.Close, outbox.Take(out _));
    }
}
