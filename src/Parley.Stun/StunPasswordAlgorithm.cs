namespace Parley.Stun;

/// <summary>Password algorithms (IANA "STUN Password Algorithms"). RFC 8489 §18.5.</summary>
#pragma warning disable CA1028 // The wire field is 16 bits; the enum mirrors it.
public enum StunPasswordAlgorithm : ushort
#pragma warning restore CA1028
{
    /// <summary>0x0000: reserved.</summary>
    Reserved = 0x0000,

    /// <summary>0x0001: MD5, 16-byte key, empty parameters. "MUST only be used for compatibility with legacy systems."</summary>
    Md5 = 0x0001,

    /// <summary>0x0002: SHA-256, 32-byte key, empty parameters.</summary>
    Sha256 = 0x0002,
}
