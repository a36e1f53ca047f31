namespace Parley.Stun;

/// <summary>The two class bits of a STUN message type. RFC 8489 §5.</summary>
public enum StunClass
{
    /// <summary>0b00: request.</summary>
    Request = 0,

    /// <summary>0b01: indication.</summary>
    Indication = 1,

    /// <summary>0b10: success response.</summary>
    SuccessResponse = 2,

    /// <summary>0b11: error response.</summary>
    ErrorResponse = 3,
}
