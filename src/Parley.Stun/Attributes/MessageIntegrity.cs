using System.Security.Cryptography;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// MESSAGE-INTEGRITY: HMAC-SHA1 of the message. RFC 8489 §14.5. As a setter it appends the attribute
/// computed with <see cref="Key"/>; <see cref="Verify"/> checks a received one in constant time.
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x0008)         |         Length (20)           |
/// |                    HMAC-SHA1 (160 bits)                       |
/// </code>
/// "The text used as input to HMAC is the STUN message, up to and including the attribute preceding the
/// MESSAGE-INTEGRITY attribute. The Length field of the STUN message header is adjusted to point to the end
/// of the MESSAGE-INTEGRITY attribute."
/// </remarks>
public readonly struct MessageIntegrity : IStunSetter
{
    /// <summary>Length of the HMAC-SHA1 value.</summary>
    public const int Length = 20;

    /// <summary>Uses <paramref name="key"/> (see <see cref="StunKeys"/>).</summary>
    public MessageIntegrity(ReadOnlyMemory<byte> key) => Key = key;

    /// <summary>The HMAC key.</summary>
    public ReadOnlyMemory<byte> Key { get; }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        int offset = writer.BytesWritten;

        // Reserving the attribute sets the header length to the end of MESSAGE-INTEGRITY, as the HMAC needs.
        if (!writer.TryReserveAttribute(StunAttributeType.MessageIntegrity, Length, out Span<byte> value))
        {
            return false;
        }

        IntegrityCodec.ComputeHmacInPlace(writer.Prefix(offset), Key.Span, sha256: false, value);
        return true;
    }

    /// <summary>
    /// Verifies MESSAGE-INTEGRITY with <paramref name="key"/>: <see cref="StunErrorKind.AttributeNotFound"/>
    /// when absent, <see cref="StunErrorKind.BadAttributeLength"/> when not 20 bytes,
    /// <see cref="StunErrorKind.IntegrityMismatch"/> when wrong. Compared with
    /// <see cref="CryptographicOperations.FixedTimeEquals"/>.
    /// </summary>
    public static bool Verify(scoped in StunMessage message, ReadOnlySpan<byte> key, out StunError error)
    {
        if (!message.HasMessageIntegrity)
        {
            error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.MessageIntegrity);
            return false;
        }

        AttributeEntry entry = message.EntryAt(message.IntegrityIndex);
        if (entry.Length != Length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.MessageIntegrity);
            return false;
        }

        Span<byte> expected = stackalloc byte[Length];
        IntegrityCodec.ComputeHmac(message.Raw, entry.HeaderOffset, Length, key, sha256: false, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, message.Raw.Slice(entry.ValueOffset, Length)))
        {
            error = new StunError(StunErrorKind.IntegrityMismatch, StunAttributeType.MessageIntegrity);
            return false;
        }

        error = default;
        return true;
    }
}
