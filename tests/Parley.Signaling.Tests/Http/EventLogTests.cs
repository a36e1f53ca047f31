using Parley.Signaling.Transports.Http;

namespace Parley.Signaling.Tests;

/// <summary>An HTTP session's numbered, bounded log of what it sends: delivery, replay, acknowledgement, and both bounds.</summary>
public sealed class EventLogTests
{
    private static byte[] Message(int size = 10) => new byte[size];

    private static List<long> TakeAfter(EventLog log, long after, int max = 100)
    {
        var into = new List<(long Sequence, byte[] Message)>();
        log.TakeAfter(after, max, into);
        return [.. into.Select(taken => taken.Sequence)];
    }

    [Fact]
    public void Messages_are_numbered_from_1_and_taken_in_order_up_to_max()
    {
        var log = new EventLog(8, 1000);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(log.TryAppend(Message()));
        }

        Assert.Equal(6, log.NextSequence);
        Assert.Equal([1L, 2, 3], TakeAfter(log, 0, max: 3));
        Assert.Equal([4L, 5], TakeAfter(log, 3));
        Assert.Empty(TakeAfter(log, 5));
    }

    [Fact]
    public void A_reader_that_reattaches_acknowledges_what_it_names_and_gets_the_rest_again()
    {
        var log = new EventLog(8, 1000);
        for (var i = 0; i < 5; i++)
        {
            log.TryAppend(Message());
        }

        TakeAfter(log, 0);
        Assert.True(log.TryResumeAfter(3));
        Assert.Equal(2, log.Count); // 1..3 acknowledged and dropped
        Assert.Equal([4L, 5], TakeAfter(log, 3));
        Assert.True(log.TryResumeAfter(3)); // the same again: nothing more was acknowledged
        Assert.True(log.TryResumeAfter(5));
        Assert.Equal(0, log.Count);
        Assert.Equal(6, log.NextSequence);
    }

    [Theory]
    [InlineData(1)] // behind what was acknowledged
    [InlineData(6)] // ahead of what was sent
    [InlineData(-1)]
    public void A_reader_naming_a_message_outside_the_window_must_start_over(long lastSeen)
    {
        var log = new EventLog(8, 1000);
        for (var i = 0; i < 5; i++)
        {
            log.TryAppend(Message());
        }

        TakeAfter(log, 0);
        Assert.True(log.TryResumeAfter(2));
        Assert.False(log.TryResumeAfter(lastSeen));
    }

    [Fact]
    public void When_full_delivered_messages_make_room_first_and_the_replay_window_moves_on()
    {
        var log = new EventLog(4, 1000);
        for (var i = 0; i < 4; i++)
        {
            log.TryAppend(Message());
        }

        TakeAfter(log, 0, max: 2); // 1 and 2 delivered, 3 and 4 not
        Assert.True(log.TryAppend(Message())); // 5 drops 1
        Assert.True(log.TryAppend(Message())); // 6 drops 2
        Assert.False(log.TryAppend(Message())); // 3..6 all undelivered: the client takes nothing
        Assert.Equal(4, log.Count);
        Assert.False(log.TryResumeAfter(1)); // 2 is gone
        Assert.True(log.TryResumeAfter(2));
        Assert.Equal([3L, 4, 5, 6], TakeAfter(log, 2));
    }

    [Fact]
    public void The_byte_bound_holds_too_and_one_message_always_fits()
    {
        var log = new EventLog(100, 100);
        Assert.True(log.TryAppend(Message(60)));
        Assert.False(log.TryAppend(Message(60))); // 120 bytes, and the first is undelivered
        TakeAfter(log, 0);
        Assert.True(log.TryAppend(Message(60))); // the delivered one makes room
        Assert.Equal(1, log.Count);
        TakeAfter(log, 1);
        Assert.True(log.TryAppend(Message(500))); // larger than the bound, alone: it fits
        Assert.Equal(1, log.Count);
        Assert.Equal(4, log.NextSequence);
    }
}
