namespace Parley.Stun;

/// <summary>The address family byte of address attributes. RFC 8489 §14.1, RFC 8656 §18.6.</summary>
public enum StunAddressFamily
{
    /// <summary>Not set (not valid on the wire).</summary>
    None = 0,

    /// <summary>0x01: IPv4.</summary>
    IPv4 = 0x01,

    /// <summary>0x02: IPv6.</summary>
    IPv6 = 0x02,
}
