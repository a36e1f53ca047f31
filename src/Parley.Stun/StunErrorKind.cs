namespace Parley.Stun;

/// <summary>What was wrong with bytes handed to a parser (or with a value handed to a writer).</summary>
public enum StunErrorKind
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The buffer ends before a header, a declared length or an attribute value does.</summary>
    Truncated,

    /// <summary>The first two bits are not those of a STUN message (RFC 8489 §5) or ChannelData (RFC 8656 §12.4).</summary>
    NotStun,

    /// <summary>The magic cookie is not 0x2112A442 (RFC 8489 §5).</summary>
    BadMagicCookie,

    /// <summary>The header's length field disagrees with the buffer (e.g. trailing bytes in a datagram).</summary>
    BadMessageLength,

    /// <summary>Padding is missing: a message length that is not a multiple of 4, an unpadded TCP ChannelData
    /// frame, or unpadded algorithm parameters.</summary>
    BadPadding,

    /// <summary>More attributes than <see cref="StunMessage.MaxAttributes"/>.</summary>
    TooManyAttributes,

    /// <summary>An attribute after FINGERPRINT, or a duplicate or out-of-order MESSAGE-INTEGRITY(-SHA256).</summary>
    MisplacedAttribute,

    /// <summary>The attribute asked for is not in the message.</summary>
    AttributeNotFound,

    /// <summary>An attribute value's length is wrong for its type.</summary>
    BadAttributeLength,

    /// <summary>An address family other than 0x01 (IPv4) or 0x02 (IPv6).</summary>
    BadAddressFamily,

    /// <summary>A field is outside the range its RFC allows (channel number, error class, text length, ...).</summary>
    ValueOutOfRange,

    /// <summary>Text that is not well-formed UTF-8.</summary>
    InvalidText,

    /// <summary>MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256 does not match the key.</summary>
    IntegrityMismatch,

    /// <summary>FINGERPRINT does not match the CRC-32 of the message.</summary>
    FingerprintMismatch,

    /// <summary>The destination buffer (or the 16-bit message length) is too small for what is being written.</summary>
    BufferTooSmall,
}
