namespace Parley.Bench.Signaling;

/// <summary>One serialized relay message with a placeholder for the send time; each send stamps a copy.</summary>
internal sealed class MessageTemplate
{
    private readonly byte[] bytes;
    private readonly int ticksOffset;

    public MessageTemplate(byte[] bytes)
    {
        this.bytes = bytes;
        ticksOffset = BenchMarker.TicksOffset(bytes);
        if (ticksOffset < 0)
        {
            throw new ArgumentException("The message has no bench marker.", nameof(bytes));
        }
    }

    public int Length => bytes.Length;

    public byte[] Stamp(long ticks)
    {
        byte[] copy = (byte[])bytes.Clone();
        BenchMarker.WriteTicks(copy.AsSpan(ticksOffset), ticks);
        return copy;
    }
}
