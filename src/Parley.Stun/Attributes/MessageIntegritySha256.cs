using System.Security.Cryptography;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY-SHA256: HMAC-SHA256 of the message, possibly truncated. RFC 8489 §14.6: "The value will
/// be at most 32 bytes, but it MUST be at least 16 bytes and MUST be a multiple of 4 bytes. The value must be
/// the full 32 bytes unless the STUN Usage explicitly specifies that truncation is allowed."
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x001C)         |     Length (16..32, 4n)       |
/// |              HMAC-SHA256 (initial 128 to 256 bits)            |
/// </code>
/// The HMAC input is the message up to the attribute, with the header length adjusted "to point to the end
/// of the MESSAGE-INTEGRITY-SHA256 attribute".
/// </remarks>
public readonly struct MessageIntegritySha256 : IStunSetter
{
    /// <summary>Full length of the HMAC-SHA256 value.</summary>
    public const int MaxLength = 32;

    /// <summary>Shortest allowed truncation.</summary>
    public const int MinLength = 16;

    /// <summary>Uses <paramref name="key"/>, writing <paramref name="length"/> bytes of the HMAC (default 32).</summary>
    public MessageIntegritySha256(ReadOnlyMemory<byte> key, int length = MaxLength)
    {
        Key = key;
        Length = length;
    }

    /// <summary>The HMAC key.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    /// <summary>Bytes of HMAC to write.</summary>
    public int Length { get; }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!IsValidLength(Length))
        {
            return writer.Fail(StunErrorKind.ValueOutOfRange, StunAttributeType.MessageIntegritySha256);
        }

        int offset = writer.BytesWritten;
        if (!writer.TryReserveAttribute(StunAttributeType.MessageIntegritySha256, Length, out Span<byte> value))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MaxLength];
        IntegrityCodec.ComputeHmacInPlace(writer.Prefix(offset), Key.Span, sha256: true, mac);
        mac[..Length].CopyTo(value);
        return true;
    }

    /// <summary>
    /// Verifies MESSAGE-INTEGRITY-SHA256 with <paramref name="key"/> in constant time.
    /// <paramref name="minimumLength"/> is the shortest truncation the usage accepts (32 unless it allows less).
    /// </summary>
    public static bool Verify(scoped in StunMessage message, ReadOnlySpan<byte> key, out StunError error,
        int minimumLength = MaxLength)
    {
        if (!message.HasMessageIntegritySha256)
        {
            error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.MessageIntegritySha256);
            return false;
        }

        AttributeEntry entry = message.EntryAt(message.IntegritySha256Index);
        if (!IsValidLength(entry.Length) || entry.Length < minimumLength)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.MessageIntegritySha256);
            return false;
        }

        Span<byte> expected = stackalloc byte[MaxLength];
        IntegrityCodec.ComputeHmac(message.Raw, entry.HeaderOffset, entry.Length, key, sha256: true, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected[..entry.Length], message.Raw.Slice(entry.ValueOffset, entry.Length)))
        {
            error = new StunError(StunErrorKind.IntegrityMismatch, StunAttributeType.MessageIntegritySha256);
            return false;
        }

        error = default;
        return true;
    }

    private static bool IsValidLength(int length) => length is >= MinLength and <= MaxLength && length % 4 == 0;
}
