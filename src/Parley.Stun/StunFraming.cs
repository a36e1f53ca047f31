using System.Buffers.Binary;

namespace Parley.Stun;

/// <summary>
/// Cuts STUN and ChannelData messages out of a byte stream (TURN over TCP/TLS). RFC 8489 §6.2.2 (STUN over
/// TCP carries no extra framing: the header length says where a message ends) and RFC 8656 §12.5 (ChannelData
/// over a stream is padded to 4 bytes).
/// </summary>
public static class StunFraming
{
    /// <summary>
    /// Classifies the frame at the start of <paramref name="buffer"/> and returns its full length on the wire
    /// (20 + length for STUN; 4 + length rounded up to 4 for ChannelData). Returns false when fewer than 4
    /// bytes are available (read more) or when the first bits are neither (<paramref name="kind"/> is
    /// <see cref="StunFrameKind.Unknown"/>: close the connection).
    /// </summary>
    public static bool TryGetFrameLength(ReadOnlySpan<byte> buffer, out StunFrameKind kind, out int frameLength)
    {
        kind = StunFrameKind.Unknown;
        frameLength = 0;
        if (buffer.Length < 4)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        switch (buffer[0] & 0xC0)
        {
            case 0x00:
                kind = StunFrameKind.Stun;
                frameLength = StunMessage.HeaderLength + length;
                return true;
            case 0x40:
                kind = StunFrameKind.ChannelData;
                frameLength = ChannelData.GetPaddedLength(length);
                return true;
            default:
                return false;
        }
    }
}
