using System.Buffers.Text;

namespace Parley.Bench.Signaling;

/// <summary>
/// The text every benchmark message carries inside its SDP or candidate string:
/// <c>bench:TTTTTTTTTTTTTTTTTTT:D:</c>, the scheduled send time in Stopwatch ticks (19 digits) and the destination
/// participant's index. Servers relay it untouched; the receiver reads both back to measure latency and, for the
/// broadcast relay, to tell messages meant for it from overheard ones.
/// </summary>
internal static class BenchMarker
{
    public const int TicksDigits = 19;
    private static readonly byte[] Prefix = "bench:"u8.ToArray();

    public static string Placeholder(int destinationIndex) => $"bench:{new string('0', TicksDigits)}:{destinationIndex}:";

    /// <summary>Offset of the ticks digits in a serialized message, or -1.</summary>
    public static int TicksOffset(ReadOnlySpan<byte> message)
    {
        int at = message.IndexOf(Prefix);
        return at < 0 ? -1 : at + Prefix.Length;
    }

    public static void WriteTicks(Span<byte> digits, long ticks) =>
        Utf8Formatter.TryFormat(ticks, digits[..TicksDigits], out _, new System.Buffers.StandardFormat('D', TicksDigits));

    public static bool TryRead(ReadOnlySpan<byte> message, out long ticks, out int destinationIndex)
    {
        ticks = 0;
        destinationIndex = -1;
        int offset = TicksOffset(message);
        if (offset < 0 || message.Length < offset + TicksDigits + 2)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = message[offset..];
        if (!Utf8Parser.TryParse(rest[..TicksDigits], out ticks, out int used) || used != TicksDigits || rest[TicksDigits] != (byte)':')
        {
            return false;
        }

        return Utf8Parser.TryParse(rest[(TicksDigits + 1)..], out destinationIndex, out _);
    }
}
