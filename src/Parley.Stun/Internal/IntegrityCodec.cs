using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Stun.Internal;

/// <summary>HMAC and CRC computations over a message prefix with the header length adjusted.</summary>
internal static class IntegrityCodec
{
    private const int StackCopyLimit = 1024;

    /// <summary>
    /// HMAC over <c>message[..attributeOffset]</c> with the header length field set to point to the end of
    /// the integrity attribute (offset + 4 + valueLength), as RFC 8489 §14.5/§14.6 require on validation.
    /// The message is read-only, so the prefix is copied (to the stack, or a pooled buffer when large).
    /// </summary>
    public static void ComputeHmac(ReadOnlySpan<byte> message, int attributeOffset, int valueLength,
        ReadOnlySpan<byte> key, bool sha256, Span<byte> mac)
    {
        byte[]? rented = null;
        Span<byte> copy = attributeOffset <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : (rented = ArrayPool<byte>.Shared.Rent(attributeOffset));
        copy = copy[..attributeOffset];
        try
        {
            message[..attributeOffset].CopyTo(copy);
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..],
                (ushort)(attributeOffset - StunMessage.HeaderLength + 4 + valueLength));
            ComputeHmacInPlace(copy, key, sha256, mac);
        }
        finally
        {
            if (rented is not null)
            {
                copy.Clear(); // A pooled buffer must not leak message bytes to its next user.
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>HMAC over bytes whose header length is already right (the writer's case).</summary>
    public static void ComputeHmacInPlace(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> key, bool sha256, Span<byte> mac)
    {
        if (sha256)
        {
            HMACSHA256.HashData(key, prefix, mac);
        }
        else
        {
#pragma warning disable CA5350 // RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1; SHA-256 is offered alongside.
            HMACSHA1.HashData(key, prefix, mac);
#pragma warning restore CA5350
        }
    }

    /// <summary>RFC 8489 §14.7: "the CRC-32 of the STUN message up to (but excluding) the FINGERPRINT
    /// attribute itself, XOR'ed with the 32-bit value 0x5354554e".</summary>
    public static uint Fingerprint(ReadOnlySpan<byte> prefix) => Crc32.Compute(prefix) ^ 0x5354554E;
}
