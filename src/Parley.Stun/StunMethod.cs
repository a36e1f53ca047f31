namespace Parley.Stun;

/// <summary>
/// STUN methods (12 bits). RFC 8489 §18.2 (Binding) and RFC 8656 §17 (the TURN methods).
/// </summary>
#pragma warning disable CA1028 // The wire field is 16 bits; the enum mirrors it.
public enum StunMethod : ushort
#pragma warning restore CA1028
{
    /// <summary>Binding, RFC 8489 §18.2.</summary>
    Binding = 0x001,

    /// <summary>Allocate (request/response only), RFC 8656 §7.</summary>
    Allocate = 0x003,

    /// <summary>Refresh (request/response only), RFC 8656 §8.</summary>
    Refresh = 0x004,

    /// <summary>Send (indication only), RFC 8656 §11.</summary>
    Send = 0x006,

    /// <summary>Data (indication only), RFC 8656 §11.</summary>
    Data = 0x007,

    /// <summary>CreatePermission (request/response only), RFC 8656 §10.</summary>
    CreatePermission = 0x008,

    /// <summary>ChannelBind (request/response only), RFC 8656 §12.</summary>
    ChannelBind = 0x009,

    /// <summary>Connect, RFC 6062 §6.1 (TCP relaying; off by default in Parley).</summary>
    Connect = 0x00A,

    /// <summary>ConnectionBind, RFC 6062 §6.1.</summary>
    ConnectionBind = 0x00B,

    /// <summary>ConnectionAttempt, RFC 6062 §6.1.</summary>
    ConnectionAttempt = 0x00C,
}
