namespace Parley.Stun;

/// <summary>
/// A parse or write failure: what went wrong and in which attribute (0 for the header), and the STUN
/// response it calls for. Modelled on pion/stun's <c>DecodeErr</c>; returned, never thrown.
/// </summary>
public readonly record struct StunError(StunErrorKind Kind, StunAttributeType Attribute = 0)
{
    /// <summary>No error.</summary>
    public static StunError None => default;

    /// <summary>Whether this is an error.</summary>
    public bool IsError => Kind != StunErrorKind.None;

    /// <summary>
    /// Whether the message must be dropped without a response. RFC 8489 §6.3: a message whose first two
    /// bits, magic cookie, length or FINGERPRINT are wrong is not (known to be) STUN and "is silently
    /// discarded"; RFC 8656 §12.5 likewise for ChannelData with a bad channel number or length.
    /// </summary>
    public bool IsSilentDiscard => Kind is StunErrorKind.Truncated or StunErrorKind.NotStun
        or StunErrorKind.BadMagicCookie or StunErrorKind.BadMessageLength or StunErrorKind.BadPadding
        or StunErrorKind.FingerprintMismatch
        || (Attribute == 0 && Kind == StunErrorKind.ValueOutOfRange);

    /// <summary>
    /// The error code a server answers a request with when this error is found in it. Integrity failures
    /// map to 401 (RFC 8489 §9.2.4), an unsupported address family requested in REQUESTED-ADDRESS-FAMILY to
    /// 440 (RFC 8656 §7.2), a writer failure to 500, and every other malformation to 400.
    /// </summary>
    public StunErrorCode ResponseCode => Kind switch
    {
        StunErrorKind.None => 0,
        StunErrorKind.IntegrityMismatch => StunErrorCode.Unauthenticated,
        StunErrorKind.BufferTooSmall => StunErrorCode.ServerError,
        StunErrorKind.BadAddressFamily when Attribute == StunAttributeType.RequestedAddressFamily
            => StunErrorCode.AddressFamilyNotSupported,
        _ => StunErrorCode.BadRequest,
    };

    /// <inheritdoc />
    public override string ToString() =>
        Kind == StunErrorKind.None ? "None" : Attribute == 0 ? Kind.ToString() : $"{Kind} in {Attribute}";
}
