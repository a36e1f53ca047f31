namespace Parley.Stun;

/// <summary>What a frame on a TURN connection is, by its first two bits (RFC 8656 §12.4, RFC 7983).</summary>
public enum StunFrameKind
{
    /// <summary>Neither STUN nor ChannelData.</summary>
    Unknown = 0,

    /// <summary>0b00: a STUN message.</summary>
    Stun,

    /// <summary>0b01: a ChannelData message.</summary>
    ChannelData,
}
