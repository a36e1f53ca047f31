using System.Buffers.Binary;
using System.Net.WebSockets;

namespace Parley.Signaling.Transports.Direct;

/// <summary>
/// The head of one WebSocket frame a client sent (RFC 6455 §5.2), read with no I/O. A parser that never throws:
/// hostile bytes are <see cref="FrameRead.Invalid"/> with the close code RFC 6455 asks for.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-------+-+-------------+-------------------------------+
/// |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
/// |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
/// |N|V|V|V|       |S|             |   (if payload len==126/127)   |
/// | |1|2|3|       |K|             |                               |
/// +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
/// |     Extended payload length continued, if payload len == 127  |
/// + - - - - - - - - - - - - - - - +-------------------------------+
/// |                               |Masking-key, if MASK set to 1  |
/// +-------------------------------+-------------------------------+
/// | Masking-key (continued)       |          Payload Data         |
/// +-------------------------------- - - - - - - - - - - - - - - - +
/// </code>
/// </summary>
/// <param name="Fin">The final fragment of a message.</param>
/// <param name="Opcode">What the frame carries.</param>
/// <param name="PayloadLength">Bytes of payload after the head.</param>
/// <param name="Mask">The masking key, as the 4 bytes appear on the wire (read little-endian, XORed the same way).</param>
/// <param name="HeadLength">Bytes of the head: 6, 8 or 14.</param>
internal readonly record struct FrameHeader(bool Fin, FrameOpcode Opcode, long PayloadLength, uint Mask, int HeadLength)
{
    /// <summary>The longest head: 2 + 8 bytes of length + 4 of mask.</summary>
    public const int MaxHeadLength = 14;

    /// <summary>RFC 6455 §5.5: control frames carry at most 125 bytes.</summary>
    public const int MaxControlPayload = 125;

    /// <summary>A data frame (text, binary or a continuation), not a control frame (close, ping, pong).</summary>
    public bool IsControl => ((int)Opcode & 0x8) != 0;

    /// <summary>
    /// Reads a head from the start of <paramref name="bytes"/>: <see cref="FrameRead.NeedMore"/> until it is all
    /// there, <see cref="FrameRead.Invalid"/> (with the close code in <paramref name="error"/>) for a frame this server
    /// must fail the connection for.
    /// </summary>
    public static FrameRead TryRead(ReadOnlySpan<byte> bytes, out FrameHeader header, out WebSocketCloseStatus error)
    {
        header = default;
        error = WebSocketCloseStatus.ProtocolError;
        if (bytes.Length < 2)
        {
            return FrameRead.NeedMore;
        }

        var first = bytes[0];
        var second = bytes[1];

        // §5.2: RSV1-3 MUST be 0 unless an extension was negotiated; Parley negotiates none.
        if ((first & 0x70) != 0)
        {
            return FrameRead.Invalid;
        }

        var opcode = (FrameOpcode)(first & 0x0F);
        if (opcode is not (FrameOpcode.Continuation or FrameOpcode.Text or FrameOpcode.Binary or FrameOpcode.Close or FrameOpcode.Ping or FrameOpcode.Pong))
        {
            return FrameRead.Invalid; // §5.2: reserved opcodes fail the connection.
        }

        // §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
        if ((second & 0x80) == 0)
        {
            return FrameRead.Invalid;
        }

        var fin = (first & 0x80) != 0;
        long length = second & 0x7F;
        var offset = 2;
        if (length == 126)
        {
            if (bytes.Length < 4)
            {
                return FrameRead.NeedMore;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            offset = 4;
        }
        else if (length == 127)
        {
            if (bytes.Length < 10)
            {
                return FrameRead.NeedMore;
            }

            var wide = BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            if (wide > long.MaxValue)
            {
                return FrameRead.Invalid; // §5.2: the most significant bit MUST be 0.
            }

            length = (long)wide;
            offset = 10;
        }

        // §5.5: control frames MUST have a payload of 125 bytes or less and MUST NOT be fragmented.
        if (((int)opcode & 0x8) != 0 && (length > MaxControlPayload || !fin))
        {
            return FrameRead.Invalid;
        }

        if (bytes.Length < offset + 4)
        {
            return FrameRead.NeedMore;
        }

        header = new FrameHeader(fin, opcode, length, BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]), offset + 4);
        return FrameRead.Complete;
    }
}

/// <summary>RFC 6455 §5.2's opcodes.</summary>
internal enum FrameOpcode
{
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
}

/// <summary>What <see cref="FrameHeader.TryRead"/> found.</summary>
internal enum FrameRead
{
    NeedMore,
    Complete,
    Invalid,
}
