using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun;

/// <summary>
/// A parsed STUN message: a view over the caller's buffer plus a table of attribute offsets, so reading
/// allocates nothing. RFC 8489 §5 (header) and §14 (attributes).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0|     STUN Message Type     |         Message Length        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Magic Cookie                          |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                                                               |
/// |                     Transaction ID (96 bits)                  |
/// |                                                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The view is only valid while the buffer is unchanged.
/// </remarks>
public readonly ref partial struct StunMessage
{
    /// <summary>Size of the fixed header.</summary>
    public const int HeaderLength = 20;

    /// <summary>The magic cookie, RFC 8489 §5.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>The most attributes a message may carry before <see cref="TryRead"/> rejects it.</summary>
    public const int MaxAttributes = 32;

    private const int TypeOffset = 0;
    private const int LengthOffset = 2;
    private const int CookieOffset = 4;
    private const int TransactionIdOffset = 8;

    private readonly AttributeTable _attributes;
    private readonly int _count;
    private readonly int _integrityIndex;
    private readonly int _integritySha256Index;
    private readonly int _fingerprintIndex;

    private StunMessage(ReadOnlySpan<byte> raw, AttributeTable attributes, int count, int integrity,
        int integritySha256, int fingerprint)
    {
        Raw = raw;
        _attributes = attributes;
        _count = count;
        _integrityIndex = integrity;
        _integritySha256Index = integritySha256;
        _fingerprintIndex = fingerprint;
    }

    /// <summary>The whole message: header and attributes.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    /// <summary>Method and class.</summary>
    public StunMessageType Type => StunMessageType.FromValue(BinaryPrimitives.ReadUInt16BigEndian(Raw));

    /// <summary>The 96-bit transaction ID.</summary>
    public TransactionId TransactionId => new(Raw.Slice(TransactionIdOffset, TransactionId.Length));

    /// <summary>The header's length field: the attribute bytes after the 20-byte header.</summary>
    public int Length => BinaryPrimitives.ReadUInt16BigEndian(Raw[LengthOffset..]);

    /// <summary>
    /// Number of attributes recorded. Attributes that RFC 8489 §14.5 and §14.6 say to ignore (those after
    /// MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and FINGERPRINT) are not counted.
    /// </summary>
    public int AttributeCount => _count;

    /// <summary>Whether MESSAGE-INTEGRITY is present.</summary>
    public bool HasMessageIntegrity => _integrityIndex >= 0;

    /// <summary>Whether MESSAGE-INTEGRITY-SHA256 is present.</summary>
    public bool HasMessageIntegritySha256 => _integritySha256Index >= 0;

    /// <summary>Whether FINGERPRINT is present (it is then the last attribute).</summary>
    public bool HasFingerprint => _fingerprintIndex >= 0;

    /// <summary>
    /// Parses and validates a whole STUN message. Never throws and never reads outside
    /// <paramref name="buffer"/>; on failure <paramref name="message"/> is empty and
    /// <paramref name="error"/> says why.
    /// </summary>
    /// <param name="buffer">Exactly one message (one UDP datagram, or one frame cut with <see cref="StunFraming"/>).</param>
    public static bool TryRead(ReadOnlySpan<byte> buffer, out StunMessage message, out StunError error)
    {
        message = default;
        if (buffer.Length < HeaderLength)
        {
            return Fail(StunErrorKind.Truncated, out error);
        }

        // RFC 8489 §6.3: "the first two bits are 0, that the Magic Cookie field has the correct value, that
        // the message length is sensible, and that the method value is a supported method" (the method is
        // the caller's business).
        ushort rawType = BinaryPrimitives.ReadUInt16BigEndian(buffer[TypeOffset..]);
        if ((rawType & 0xC000) != 0)
        {
            return Fail(StunErrorKind.NotStun, out error);
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(buffer[CookieOffset..]) != MagicCookie)
        {
            return Fail(StunErrorKind.BadMagicCookie, out error);
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(buffer[LengthOffset..]);

        // RFC 8489 §5: "Since all STUN attributes are padded to a multiple of 4 bytes, the last 2 bits of
        // this field are always zero."
        if ((length & 3) != 0)
        {
            return Fail(StunErrorKind.BadPadding, out error);
        }

        if (buffer.Length - HeaderLength < length)
        {
            return Fail(StunErrorKind.Truncated, out error);
        }

        if (buffer.Length - HeaderLength > length)
        {
            return Fail(StunErrorKind.BadMessageLength, out error);
        }

        if (!TryIndexAttributes(buffer, out AttributeTable table, out int count, out int mi, out int miSha256,
                out int fingerprint, out error))
        {
            return false;
        }

        message = new StunMessage(buffer, table, count, mi, miSha256, fingerprint);
        return true;
    }

    private static bool TryIndexAttributes(ReadOnlySpan<byte> buffer, out AttributeTable table, out int count,
        out int mi, out int miSha256, out int fingerprint, out StunError error)
    {
        table = default;
        count = 0;
        mi = miSha256 = fingerprint = -1;
        int offset = HeaderLength;
        while (offset < buffer.Length)
        {
            if (buffer.Length - offset < 4)
            {
                return Fail(StunErrorKind.Truncated, out error);
            }

            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(buffer[offset..]);
            ushort valueLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[(offset + 2)..]);
            int valueOffset = offset + 4;
            if (buffer.Length - valueOffset < valueLength)
            {
                return Fail(StunErrorKind.Truncated, out error, type);
            }

            int padded = (valueLength + 3) & ~3;
            if (buffer.Length - valueOffset < padded)
            {
                return Fail(StunErrorKind.BadPadding, out error, type);
            }

            offset = valueOffset + padded;

            // RFC 8489 §14.7: "When present, the FINGERPRINT attribute MUST be the last attribute in the message."
            if (fingerprint >= 0)
            {
                return Fail(StunErrorKind.MisplacedAttribute, out error, type);
            }

            bool record = true;
            switch (type)
            {
                case StunAttributeType.Fingerprint:
                    fingerprint = count;
                    break;
                case StunAttributeType.MessageIntegritySha256:
                    if (miSha256 >= 0)
                    {
                        return Fail(StunErrorKind.MisplacedAttribute, out error, type);
                    }

                    miSha256 = count;
                    break;
                case StunAttributeType.MessageIntegrity:
                    // MESSAGE-INTEGRITY precedes MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6) and appears once.
                    if (mi >= 0 || miSha256 >= 0)
                    {
                        return Fail(StunErrorKind.MisplacedAttribute, out error, type);
                    }

                    mi = count;
                    break;
                default:
                    // RFC 8489 §14.5: "agents MUST ignore all other attributes that follow MESSAGE-INTEGRITY"
                    // (and §14.6 likewise for MESSAGE-INTEGRITY-SHA256), except the integrity ones and FINGERPRINT.
                    record = mi < 0 && miSha256 < 0;
                    break;
            }

            if (record)
            {
                if (count == MaxAttributes)
                {
                    return Fail(StunErrorKind.TooManyAttributes, out error, type);
                }

                table[count++] = new AttributeEntry(type, valueLength, valueOffset);
            }
        }

        error = default;
        return true;
    }

    private static bool Fail(StunErrorKind kind, out StunError error, StunAttributeType attribute = 0)
    {
        error = new StunError(kind, attribute);
        return false;
    }
}
