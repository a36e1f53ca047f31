using System.Buffers;
using System.Buffers.Binary;
using Parley.Stun.Attributes;

namespace Parley.Stun;

/// <summary>
/// A ChannelData message: application data on a bound channel with a 4-byte header instead of a STUN
/// message. RFC 8656 §12.4. A view over the caller's buffer; reading and writing allocate nothing.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |         Channel Number        |            Length             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// /                       Application Data                        /
/// /                                                               /
/// |                                                               |
/// |                               +-------------------------------+
/// |                               |
/// +-------------------------------+
/// </code>
/// "Over TCP and TLS-over-TCP, the ChannelData message MUST be padded to a multiple of four bytes in order to
/// ensure the alignment of subsequent messages. The padding is not reflected in the length field of the
/// ChannelData message, so the actual size of a ChannelData message (including padding) is (4 + Length)
/// rounded up to the nearest multiple of 4. Over UDP, the padding is not required but MAY be included."
/// </remarks>
public readonly ref struct ChannelData
{
    /// <summary>Size of the channel number and length fields.</summary>
    public const int HeaderLength = 4;

    private ChannelData(ushort channelNumber, ReadOnlySpan<byte> data)
    {
        ChannelNumber = channelNumber;
        Data = data;
    }

    /// <summary>The channel number (0x4000-0x7FFF, see <see cref="Attributes.ChannelNumber"/>).</summary>
    public ushort ChannelNumber { get; }

    /// <summary>The application data (padding excluded).</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Whether the first byte marks ChannelData (first two bits 0b01, RFC 8656 §12.4 / RFC 7983).</summary>
    public static bool IsChannelData(ReadOnlySpan<byte> buffer) => !buffer.IsEmpty && (buffer[0] & 0xC0) == 0x40;

    /// <summary>The frame size including padding when sent over a stream: (4 + length) rounded up to 4.</summary>
    public static int GetPaddedLength(int dataLength) => (HeaderLength + dataLength + 3) & ~3;

    /// <summary>
    /// Parses one ChannelData message. Over a datagram transport <paramref name="buffer"/> is the whole
    /// datagram and padding is optional; over a stream (<paramref name="stream"/> = true) the frame must be
    /// padded and the buffer may hold further frames after it. <paramref name="frameLength"/> is the bytes the
    /// frame occupies (padding included). Never throws.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> buffer, bool stream, out ChannelData message, out int frameLength,
        out StunError error)
    {
        message = default;
        frameLength = 0;
        if (buffer.Length < HeaderLength)
        {
            error = new StunError(StunErrorKind.Truncated);
            return false;
        }

        ushort channel = BinaryPrimitives.ReadUInt16BigEndian(buffer);
        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        if ((channel & 0xC000) != 0x4000)
        {
            error = new StunError(StunErrorKind.NotStun);
            return false;
        }

        // The first two bits 01 already mean 0x4000-0x7FFF, the channel range of RFC 5766 §11 that is accepted
        // (RFC 8656 §12 reserves 0x5000-0x7FFF, but RFC 5766 clients bind them): the check stays so that this
        // parser and CHANNEL-NUMBER can never disagree.
        if (!Attributes.ChannelNumber.IsValid(channel))
        {
            error = new StunError(StunErrorKind.ValueOutOfRange);
            return false;
        }

        // RFC 8656 §12.5: "If the ChannelData message is received in a UDP datagram, and if the UDP datagram is
        // too short to contain the claimed length of the ChannelData message (i.e., the UDP datagram is shorter
        // than 4 + length), then the message is silently discarded."
        int unpadded = HeaderLength + length;
        int padded = GetPaddedLength(length);
        if (buffer.Length < unpadded)
        {
            error = new StunError(StunErrorKind.Truncated);
            return false;
        }

        if (stream)
        {
            if (buffer.Length < padded)
            {
                error = new StunError(StunErrorKind.BadPadding);
                return false;
            }

            frameLength = padded;
        }
        else
        {
            // Padding MAY be present over UDP; anything beyond it is not part of this message.
            if (buffer.Length > padded)
            {
                error = new StunError(StunErrorKind.BadMessageLength);
                return false;
            }

            frameLength = buffer.Length;
        }

        message = new ChannelData(channel, buffer.Slice(HeaderLength, length));
        error = default;
        return true;
    }

    /// <summary>
    /// Writes a ChannelData message. With <paramref name="pad"/> (required over TCP/TLS) the frame is padded
    /// with zero bytes to a multiple of 4.
    /// </summary>
    public static bool TryWrite(Span<byte> destination, ushort channelNumber, ReadOnlySpan<byte> data, bool pad,
        out int bytesWritten, out StunError error)
    {
        bytesWritten = 0;
        if (!TryWriteHeader(destination, channelNumber, data.Length, out error))
        {
            return false;
        }

        int total = pad ? GetPaddedLength(data.Length) : HeaderLength + data.Length;
        if (destination.Length < total)
        {
            error = new StunError(StunErrorKind.BufferTooSmall);
            return false;
        }

        data.CopyTo(destination[HeaderLength..]);
        destination[(HeaderLength + data.Length)..total].Clear();
        bytesWritten = total;
        return true;
    }

    /// <summary>Writes a ChannelData message into <paramref name="output"/>.</summary>
    public static bool TryWrite(IBufferWriter<byte> output, ushort channelNumber, ReadOnlySpan<byte> data, bool pad,
        out StunError error)
    {
        ArgumentNullException.ThrowIfNull(output);
        Span<byte> destination = output.GetSpan(GetPaddedLength(data.Length));
        if (!TryWrite(destination, channelNumber, data, pad, out int written, out error))
        {
            return false;
        }

        output.Advance(written);
        return true;
    }

    /// <summary>
    /// Writes only the 4-byte header, for relaying without a copy: receive the peer's datagram at offset 4 of
    /// a buffer, then write the header in front of it (and zero any padding yourself, or use <see cref="TryWrite(Span{byte}, ushort, ReadOnlySpan{byte}, bool, out int, out StunError)"/>).
    /// </summary>
    public static bool TryWriteHeader(Span<byte> destination, ushort channelNumber, int dataLength, out StunError error)
    {
        if (!Attributes.ChannelNumber.IsValid(channelNumber) || (uint)dataLength > ushort.MaxValue)
        {
            error = new StunError(StunErrorKind.ValueOutOfRange);
            return false;
        }

        if (destination.Length < HeaderLength)
        {
            error = new StunError(StunErrorKind.BufferTooSmall);
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, channelNumber);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)dataLength);
        error = default;
        return true;
    }
}
