using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Parley.Signaling.Transports.Direct;

/// <summary>RFC 6455 §5.3: payload octet i is XORed with octet i mod 4 of the masking key. No I/O.</summary>
internal static class FrameMask
{
    /// <summary>
    /// Unmasks <paramref name="payload"/> in place; <paramref name="offset"/> is how far into the frame's payload it
    /// starts (a payload can arrive in pieces). Returns the offset after it.
    /// </summary>
    /// <param name="mask">The key as read little-endian from the wire (<see cref="FrameHeader.Mask"/>).</param>
    public static int Apply(Span<byte> payload, uint mask, int offset)
    {
        // Rotated so that the key's first byte lines up with the first byte of this piece.
        var key = BitOperations.RotateRight(mask, (offset & 3) * 8);
        var wideKey = ((ulong)key << 32) | key;
        var longs = MemoryMarshal.Cast<byte, ulong>(payload);
        for (var i = 0; i < longs.Length; i++)
        {
            longs[i] ^= BitConverter.IsLittleEndian ? wideKey : BinaryPrimitives.ReverseEndianness(wideKey);
        }

        for (var i = longs.Length * 8; i < payload.Length; i++)
        {
            payload[i] ^= (byte)(key >> ((i & 3) * 8));
        }

        return offset + payload.Length;
    }
}
