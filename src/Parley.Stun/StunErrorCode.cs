namespace Parley.Stun;

/// <summary>
/// STUN error response codes (IANA "STUN Error Codes"): RFC 8489 §14.8 and RFC 8656 §19.
/// The ERROR-CODE attribute carries any value from 300 to 699; these are the registered ones.
/// </summary>
public enum StunErrorCode
{
    /// <summary>300 Try Alternate.</summary>
    TryAlternate = 300,

    /// <summary>400 Bad Request.</summary>
    BadRequest = 400,

    /// <summary>401 Unauthenticated.</summary>
    Unauthenticated = 401,

    /// <summary>403 Forbidden (RFC 8656).</summary>
    Forbidden = 403,

    /// <summary>405 Mobility Forbidden (RFC 8016).</summary>
    MobilityForbidden = 405,

    /// <summary>420 Unknown Attribute.</summary>
    UnknownAttribute = 420,

    /// <summary>437 Allocation Mismatch (RFC 8656).</summary>
    AllocationMismatch = 437,

    /// <summary>438 Stale Nonce.</summary>
    StaleNonce = 438,

    /// <summary>440 Address Family not Supported (RFC 8656).</summary>
    AddressFamilyNotSupported = 440,

    /// <summary>441 Wrong Credentials (RFC 8656).</summary>
    WrongCredentials = 441,

    /// <summary>442 Unsupported Transport Protocol (RFC 8656).</summary>
    UnsupportedTransportProtocol = 442,

    /// <summary>443 Peer Address Family Mismatch (RFC 8656).</summary>
    PeerAddressFamilyMismatch = 443,

    /// <summary>446 Connection Already Exists (RFC 6062).</summary>
    ConnectionAlreadyExists = 446,

    /// <summary>447 Connection Timeout or Failure (RFC 6062).</summary>
    ConnectionTimeoutOrFailure = 447,

    /// <summary>486 Allocation Quota Reached (RFC 8656).</summary>
    AllocationQuotaReached = 486,

    /// <summary>500 Server Error.</summary>
    ServerError = 500,

    /// <summary>508 Insufficient Capacity (RFC 8656).</summary>
    InsufficientCapacity = 508,
}
