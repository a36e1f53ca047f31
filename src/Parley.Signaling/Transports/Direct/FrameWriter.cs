using System.Buffers.Binary;

namespace Parley.Signaling.Transports.Direct;

/// <summary>The head of a frame the server sends (RFC 6455 §5.2): final, unmasked (§5.1: a server never masks). No I/O.</summary>
internal static class FrameWriter
{
    /// <summary>Writes the head for <paramref name="payloadLength"/> bytes into <paramref name="destination"/> (at least 10 bytes); returns its length.</summary>
    public static int WriteHead(Span<byte> destination, FrameOpcode opcode, int payloadLength)
    {
        destination[0] = (byte)(0x80 | (int)opcode);
        if (payloadLength < 126)
        {
            destination[1] = (byte)payloadLength;
            return 2;
        }

        if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            return 4;
        }

        destination[1] = 127;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
        return 10;
    }
}
