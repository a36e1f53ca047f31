using Parley.Turn.Sockets;

namespace Parley.Turn.Tests;

/// <summary>The bounded send backlog of a TCP client served by an event loop: whole messages or none, in order.</summary>
public class SendBacklogTests
{
    private static byte[] Message(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    [Fact]
    public void Whole_messages_are_queued_up_to_the_capacity_and_the_next_is_dropped_whole()
    {
        var backlog = new SendBacklog(100);
        Assert.True(backlog.TryAppend(Message(60, 1)));
        Assert.True(backlog.TryAppend(Message(40, 2)));
        Assert.False(backlog.TryAppend(Message(1, 3)));
        Assert.Equal(1, backlog.Dropped);
        Assert.Equal(100, backlog.Length);
        Assert.Equal([.. Message(60, 1), .. Message(40, 2)], backlog.Pending.ToArray());
    }

    [Fact]
    public void The_rest_of_a_message_already_started_is_always_queued()
    {
        var backlog = new SendBacklog(100);
        Assert.True(backlog.TryAppend(Message(90, 1)));
        backlog.Consume(90);
        backlog.AppendRest(Message(150, 2)); // Larger than the capacity: the stream's framing needs it all.
        Assert.Equal(150, backlog.Length);
        Assert.False(backlog.TryAppend(Message(1, 3)));
    }

    [Fact]
    public void Sent_bytes_make_room_and_the_order_is_kept()
    {
        var backlog = new SendBacklog(16448);
        for (int i = 0; i < 100; i++)
        {
            Assert.True(backlog.TryAppend(Message(100, (byte)i)));
            if (i % 2 == 1)
            {
                backlog.Consume(150); // Partial sends: one and a half messages.
            }
        }

        byte[] pending = backlog.Pending.ToArray();
        Assert.Equal(100 * 100 - (50 * 150), pending.Length);
        Assert.Equal(Enumerable.Range(0, 100).SelectMany(i => Message(100, (byte)i)).Skip(50 * 150).ToArray(), pending);
        backlog.Consume(pending.Length);
        Assert.True(backlog.IsEmpty);
        Assert.True(backlog.Pending.IsEmpty); // The buffer went back to the pool: an idle connection holds none.
    }
}
