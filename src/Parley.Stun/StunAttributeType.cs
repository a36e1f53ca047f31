namespace Parley.Stun;

/// <summary>
/// STUN attribute types (IANA "STUN Attributes"). RFC 8489 §18.3, RFC 8656 §18, RFC 8445 §16.1 (ICE).
/// Types 0x0000-0x7FFF are comprehension-required, 0x8000-0xFFFF comprehension-optional (RFC 8489 §14).
/// </summary>
#pragma warning disable CA1028 // The wire field is 16 bits; the enum mirrors it.
public enum StunAttributeType : ushort
#pragma warning restore CA1028
{
    /// <summary>MAPPED-ADDRESS, RFC 8489 §14.1.</summary>
    MappedAddress = 0x0001,

    /// <summary>USERNAME, RFC 8489 §14.3.</summary>
    Username = 0x0006,

    /// <summary>MESSAGE-INTEGRITY, RFC 8489 §14.5.</summary>
    MessageIntegrity = 0x0008,

    /// <summary>ERROR-CODE, RFC 8489 §14.8.</summary>
    ErrorCode = 0x0009,

    /// <summary>UNKNOWN-ATTRIBUTES, RFC 8489 §14.13.</summary>
    UnknownAttributes = 0x000A,

    /// <summary>CHANNEL-NUMBER, RFC 8656 §18.1.</summary>
    ChannelNumber = 0x000C,

    /// <summary>LIFETIME, RFC 8656 §18.2.</summary>
    Lifetime = 0x000D,

    /// <summary>XOR-PEER-ADDRESS, RFC 8656 §18.3.</summary>
    XorPeerAddress = 0x0012,

    /// <summary>DATA, RFC 8656 §18.4.</summary>
    Data = 0x0013,

    /// <summary>REALM, RFC 8489 §14.9.</summary>
    Realm = 0x0014,

    /// <summary>NONCE, RFC 8489 §14.10.</summary>
    Nonce = 0x0015,

    /// <summary>XOR-RELAYED-ADDRESS, RFC 8656 §18.5.</summary>
    XorRelayedAddress = 0x0016,

    /// <summary>REQUESTED-ADDRESS-FAMILY, RFC 8656 §18.6.</summary>
    RequestedAddressFamily = 0x0017,

    /// <summary>EVEN-PORT, RFC 8656 §18.7.</summary>
    EvenPort = 0x0018,

    /// <summary>REQUESTED-TRANSPORT, RFC 8656 §18.8.</summary>
    RequestedTransport = 0x0019,

    /// <summary>DONT-FRAGMENT, RFC 8656 §18.9.</summary>
    DontFragment = 0x001A,

    /// <summary>MESSAGE-INTEGRITY-SHA256, RFC 8489 §14.6.</summary>
    MessageIntegritySha256 = 0x001C,

    /// <summary>PASSWORD-ALGORITHM, RFC 8489 §14.12.</summary>
    PasswordAlgorithm = 0x001D,

    /// <summary>USERHASH, RFC 8489 §14.4.</summary>
    UserHash = 0x001E,

    /// <summary>XOR-MAPPED-ADDRESS, RFC 8489 §14.2.</summary>
    XorMappedAddress = 0x0020,

    /// <summary>RESERVATION-TOKEN, RFC 8656 §18.10.</summary>
    ReservationToken = 0x0022,

    /// <summary>PRIORITY (ICE), RFC 8445 §7.1.1.</summary>
    Priority = 0x0024,

    /// <summary>USE-CANDIDATE (ICE), RFC 8445 §7.1.2.</summary>
    UseCandidate = 0x0025,

    /// <summary>CONNECTION-ID, RFC 6062 §6.2.1.</summary>
    ConnectionId = 0x002A,

    /// <summary>ADDITIONAL-ADDRESS-FAMILY, RFC 8656 §18.11.</summary>
    AdditionalAddressFamily = 0x8000,

    /// <summary>ADDRESS-ERROR-CODE, RFC 8656 §18.12.</summary>
    AddressErrorCode = 0x8001,

    /// <summary>PASSWORD-ALGORITHMS, RFC 8489 §14.11.</summary>
    PasswordAlgorithms = 0x8002,

    /// <summary>ALTERNATE-DOMAIN, RFC 8489 §14.16.</summary>
    AlternateDomain = 0x8003,

    /// <summary>ICMP, RFC 8656 §18.13.</summary>
    Icmp = 0x8004,

    /// <summary>SOFTWARE, RFC 8489 §14.14.</summary>
    Software = 0x8022,

    /// <summary>ALTERNATE-SERVER, RFC 8489 §14.15.</summary>
    AlternateServer = 0x8023,

    /// <summary>FINGERPRINT, RFC 8489 §14.7.</summary>
    Fingerprint = 0x8028,

    /// <summary>ICE-CONTROLLED, RFC 8445 §7.1.3.</summary>
    IceControlled = 0x8029,

    /// <summary>ICE-CONTROLLING, RFC 8445 §7.1.3.</summary>
    IceControlling = 0x802A,
}

/// <summary>Helpers over <see cref="StunAttributeType"/>.</summary>
public static class StunAttributeTypeExtensions
{
    /// <summary>
    /// RFC 8489 §14: "Attributes with type values between 0x0000 and 0x7FFF are comprehension-required
    /// attributes, which means that the STUN agent cannot successfully process the message unless it
    /// understands the attribute."
    /// </summary>
    public static bool IsComprehensionRequired(this StunAttributeType type) => (ushort)type < 0x8000;

    /// <summary>Whether this library has a typed reader/writer for the attribute (ICE attributes excluded).</summary>
    public static bool IsKnown(this StunAttributeType type) => type switch
    {
        StunAttributeType.Priority or StunAttributeType.UseCandidate or StunAttributeType.ConnectionId
            or StunAttributeType.IceControlled or StunAttributeType.IceControlling => false,
        _ => Enum.IsDefined(type),
    };
}
