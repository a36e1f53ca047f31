using System.Text;

namespace Parley.Bench.Signaling;

/// <summary>
/// Reads a <c>text/event-stream</c> as a browser's <c>EventSource</c> does (WHATWG HTML, "Server-sent events",
/// interpreting an event stream): lines end in LF (or CR LF), <c>data:</c> lines are joined with LF, <c>event:</c>
/// names the event, a blank line dispatches it, lines starting with <c>:</c> are comments. <c>id:</c> and <c>retry:</c>
/// are read past: the benchmark never reconnects a stream. One event at a time, in a buffer reused for the next.
/// </summary>
internal sealed class EventStreamReader(Stream stream)
{
    private const int MaxLineBytes = 1 << 20;
    private byte[] buffer = new byte[16 * 1024];
    private int start;
    private int end;
    private byte[] data = new byte[8 * 1024];
    private int dataLength;
    private bool hasData;
    private bool hasField;

    /// <summary>The current event's type (<c>event:</c>), or null for a plain message.</summary>
    public string? EventType { get; private set; }

    /// <summary>The current event's data, valid until the next <see cref="ReadAsync"/>.</summary>
    public ReadOnlySpan<byte> Data => data.AsSpan(0, dataLength);

    /// <summary>Reads the next event; false when the stream ended.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        dataLength = 0;
        hasData = false;
        hasField = false;
        EventType = null;
        while (!TryTakeEvent())
        {
            if (start > 0)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                if (buffer.Length >= MaxLineBytes)
                {
                    throw new IOException($"An event stream line over {MaxLineBytes} bytes.");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return false;
            }

            end += read;
        }

        return true;
    }

    /// <summary>Takes the whole lines buffered; true when one of them (a blank line) completed an event.</summary>
    private bool TryTakeEvent()
    {
        while (buffer.AsSpan(start, end - start).IndexOf((byte)'\n') is var lineEnd and >= 0)
        {
            ReadOnlySpan<byte> line = buffer.AsSpan(start, lineEnd);
            start += lineEnd + 1;
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                if (hasField)
                {
                    return true;
                }

                continue;
            }

            if (line[0] == (byte)':')
            {
                continue;
            }

            int colon = line.IndexOf((byte)':');
            ReadOnlySpan<byte> field = colon < 0 ? line : line[..colon];
            ReadOnlySpan<byte> value = colon < 0 ? default : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == (byte)' ')
            {
                value = value[1..];
            }

            if (field.SequenceEqual("data"u8))
            {
                AppendData(value);
                hasField = true;
            }
            else if (field.SequenceEqual("event"u8))
            {
                EventType = Encoding.UTF8.GetString(value);
                hasField = true;
            }
        }

        return false;
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        int needed = dataLength + value.Length + 1;
        if (needed > data.Length)
        {
            Array.Resize(ref data, Math.Max(needed, data.Length * 2));
        }

        if (hasData)
        {
            data[dataLength++] = (byte)'\n';
        }

        value.CopyTo(data.AsSpan(dataLength));
        dataLength += value.Length;
        hasData = true;
    }
}
