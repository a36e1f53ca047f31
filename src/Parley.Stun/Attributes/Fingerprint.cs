using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// FINGERPRINT: CRC-32 of the message XOR 0x5354554E, to tell STUN from other protocols. RFC 8489 §14.7.
/// Add it last; <see cref="Verify"/> checks a received one.
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x8028)         |          Length (4)           |
/// |                  CRC-32 XOR 0x5354554E                        |
/// </code>
/// "When present, the FINGERPRINT attribute MUST be the last attribute in the message" (enforced by
/// <see cref="StunMessage.TryRead"/> and the writer). The CRC covers the header with its length already
/// including the FINGERPRINT attribute.
/// </remarks>
public readonly struct Fingerprint : IStunSetter
{
    /// <summary>Length of the value.</summary>
    public const int Length = 4;

    /// <summary>The XOR constant, "STUN" in ASCII.</summary>
    public const uint XorValue = 0x5354554E;

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        int offset = writer.BytesWritten;
        if (!writer.TryReserveAttribute(StunAttributeType.Fingerprint, Length, out Span<byte> value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, IntegrityCodec.Fingerprint(writer.Prefix(offset)));
        return true;
    }

    /// <summary>
    /// Verifies FINGERPRINT: <see cref="StunErrorKind.AttributeNotFound"/> when absent,
    /// <see cref="StunErrorKind.FingerprintMismatch"/> when wrong (RFC 8489 §7: then the message is not STUN).
    /// </summary>
    public static bool Verify(scoped in StunMessage message, out StunError error)
    {
        if (!message.HasFingerprint)
        {
            error = new StunError(StunErrorKind.AttributeNotFound, StunAttributeType.Fingerprint);
            return false;
        }

        AttributeEntry entry = message.EntryAt(message.FingerprintIndex);
        if (entry.Length != Length)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, StunAttributeType.Fingerprint);
            return false;
        }

        uint expected = IntegrityCodec.Fingerprint(message.Raw[..entry.HeaderOffset]);
        if (BinaryPrimitives.ReadUInt32BigEndian(message.Raw[entry.ValueOffset..]) != expected)
        {
            error = new StunError(StunErrorKind.FingerprintMismatch, StunAttributeType.Fingerprint);
            return false;
        }

        error = default;
        return true;
    }
}
