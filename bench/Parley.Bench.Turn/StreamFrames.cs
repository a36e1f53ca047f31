using System.Buffers.Binary;
using System.Net.Sockets;

namespace Parley.Bench.Turn;

/// <summary>
/// Splits a TURN-over-TCP byte stream into its messages (RFC 8656 §12.5): a STUN message is 20 bytes plus its
/// length field; ChannelData is 4 bytes plus its length, padded to a multiple of 4 over TCP.
/// </summary>
internal sealed class StreamFrames(Socket socket)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>The next whole message (valid until the next call), or empty when the connection closed.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> NextAsync(CancellationToken cancel)
    {
        while (true)
        {
            if (TryFrame(out int length))
            {
                var frame = new ReadOnlyMemory<byte>(_buffer, _start, length);
                _start += length;
                return frame;
            }

            if (_start > 0)
            {
                _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                _end -= _start;
                _start = 0;
            }

            int read = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancel).ConfigureAwait(false);
            if (read == 0)
            {
                return ReadOnlyMemory<byte>.Empty;
            }

            _end += read;
        }
    }

    /// <summary>Like <see cref="NextAsync"/>, blocking for at most <paramref name="timeout"/>, for the setup's exchanges.</summary>
    public ReadOnlyMemory<byte> Next(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            return NextAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new SocketException((int)SocketError.TimedOut);
        }
    }

    private bool TryFrame(out int length)
    {
        length = 0;
        ReadOnlySpan<byte> available = _buffer.AsSpan(_start, _end - _start);
        if (available.Length < 4)
        {
            return false;
        }

        int declared = BinaryPrimitives.ReadUInt16BigEndian(available[2..]);
        length = (available[0] & 0xC0) == 0 ? 20 + declared : 4 + ((declared + 3) & ~3);
        return available.Length >= length;
    }
}
