using System.Buffers;

namespace Parley.Turn.Sockets;

/// <summary>
/// What a non-blocking stream socket could not take yet, bounded (Turn:StreamSendBacklogBytes): whole messages are
/// queued or dropped, never cut, so the stream's framing stays intact (RFC 8656 §12.5). The buffer is rented only
/// while something waits, so an idle connection holds none. No I/O; one owner serialises the calls.
/// </summary>
internal sealed class SendBacklog(int capacity)
{
    private byte[]? _buffer;
    private int _start;
    private int _length;

    public bool IsEmpty => _length == 0;

    /// <summary>Bytes waiting.</summary>
    public int Length => _length;

    /// <summary>Whole messages refused because they did not fit.</summary>
    public long Dropped { get; private set; }

    /// <summary>The bytes to send next.</summary>
    public ReadOnlySpan<byte> Pending => _buffer is null ? default : _buffer.AsSpan(_start, _length);

    /// <summary>Queues a whole message if it fits within the capacity; else drops it (counted) and returns false.</summary>
    public bool TryAppend(ReadOnlySpan<byte> message)
    {
        if (_length + message.Length > capacity)
        {
            Dropped++;
            return false;
        }

        Append(message);
        return true;
    }

    /// <summary>
    /// Queues the unsent rest of a message whose start already left (the backlog was empty): it must follow, whatever
    /// the capacity, or the stream would lose its framing. At most one message, so the bound still holds up to that.
    /// </summary>
    public void AppendRest(ReadOnlySpan<byte> rest) => Append(rest);

    /// <summary>Marks <paramref name="count"/> bytes as sent.</summary>
    public void Consume(int count)
    {
        count = Math.Clamp(count, 0, _length);
        _start += count;
        _length -= count;
        if (_length == 0)
        {
            Release();
        }
    }

    /// <summary>Forgets what waits and returns the buffer to the pool.</summary>
    public void Release()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _start = _length = 0;
    }

    private void Append(ReadOnlySpan<byte> message)
    {
        if (message.IsEmpty)
        {
            return;
        }

        int needed = _length + message.Length;
        if (_buffer is null || needed > _buffer.Length)
        {
            byte[] grown = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Min(capacity, 4096)));
            Pending.CopyTo(grown);
            if (_buffer is { } old)
            {
                ArrayPool<byte>.Shared.Return(old);
            }

            _buffer = grown;
            _start = 0;
        }
        else if (_start + needed > _buffer.Length)
        {
            _buffer.AsSpan(_start, _length).CopyTo(_buffer); // Compact: the sent bytes at the front make room.
            _start = 0;
        }

        message.CopyTo(_buffer.AsSpan(_start + _length));
        _length = needed;
    }
}
