using System.Text;
using Parley.Signaling.Transports.Http;

namespace Parley.Signaling.Tests;

/// <summary>The client's POSTs put back in order by their numbers: each applied once, early ones held within bounds.</summary>
public sealed class InboundSequencerTests
{
    private static byte[] Body(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Drain(InboundSequencer sequencer)
    {
        var released = new List<string>();
        while (sequencer.TryTakeNext(out var message))
        {
            released.Add(Encoding.UTF8.GetString(message));
        }

        return released;
    }

    [Fact]
    public void In_order_each_is_ready_at_once()
    {
        var sequencer = new InboundSequencer(4, 1000);
        Assert.Equal(SequenceResult.Ready, sequencer.Accept(1, Body("a")));
        Assert.Equal(SequenceResult.Ready, sequencer.Accept(2, Body("b")));
        Assert.Empty(Drain(sequencer));
        Assert.Equal(3, sequencer.Expected);
    }

    [Fact]
    public void Early_ones_are_held_and_released_in_order_when_the_missing_one_arrives()
    {
        var sequencer = new InboundSequencer(4, 1000);
        Assert.Equal(SequenceResult.Held, sequencer.Accept(3, Body("c")));
        Assert.Equal(SequenceResult.Held, sequencer.Accept(2, Body("b")));
        Assert.Equal(SequenceResult.Held, sequencer.Accept(4, Body("d")));
        Assert.Empty(Drain(sequencer));
        Assert.Equal(SequenceResult.Ready, sequencer.Accept(1, Body("a")));
        Assert.Equal(["b", "c", "d"], Drain(sequencer));
        Assert.Equal(5, sequencer.Expected);
    }

    [Fact]
    public void A_held_copy_does_not_change_when_the_request_buffer_is_reused()
    {
        var sequencer = new InboundSequencer(4, 1000);
        var buffer = Body("held");
        sequencer.Accept(2, buffer);
        buffer[0] = (byte)'X'; // the endpoint's pooled buffer, handed to the next request
        sequencer.Accept(1, Body("a"));
        Assert.Equal(["held"], Drain(sequencer));
    }

    [Fact]
    public void Duplicates_of_applied_or_held_ones_are_ignored()
    {
        var sequencer = new InboundSequencer(4, 1000);
        sequencer.Accept(1, Body("a"));
        Assert.Equal(SequenceResult.Duplicate, sequencer.Accept(1, Body("a again")));
        Assert.Equal(SequenceResult.Held, sequencer.Accept(3, Body("c")));
        Assert.Equal(SequenceResult.Duplicate, sequencer.Accept(3, Body("c again")));
        sequencer.Accept(2, Body("b"));
        Assert.Equal(["c"], Drain(sequencer));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(5)] // 1 + 4: past the window
    [InlineData(long.MaxValue)]
    public void Numbers_outside_the_window_are_refused(long sequence)
    {
        var sequencer = new InboundSequencer(4, 1000);
        Assert.Equal(SequenceResult.OutOfWindow, sequencer.Accept(sequence, Body("x")));
        Assert.Equal(SequenceResult.Held, sequencer.Accept(4, Body("edge")));
        Assert.Equal(1, sequencer.Expected);
    }

    [Fact]
    public void Held_bytes_are_bounded_and_freed_when_released()
    {
        var sequencer = new InboundSequencer(10, 10);
        Assert.Equal(SequenceResult.Held, sequencer.Accept(2, new byte[6]));
        Assert.Equal(SequenceResult.OutOfWindow, sequencer.Accept(3, new byte[6])); // 12 bytes held: refused, may come again
        Assert.Equal(SequenceResult.Held, sequencer.Accept(3, new byte[4]));
        Assert.Equal(SequenceResult.Ready, sequencer.Accept(1, new byte[100])); // the next one is never held: no bound applies
        Assert.Equal(2, Drain(sequencer).Count);
        Assert.Equal(SequenceResult.Held, sequencer.Accept(5, new byte[10]));
    }
}
