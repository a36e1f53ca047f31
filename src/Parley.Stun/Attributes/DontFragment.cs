using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// DONT-FRAGMENT: asks the server to set the DF bit when relaying to the peer. RFC 8656 §18.9: "This
/// attribute has no value part, and thus, the attribute length field is 0."
/// </summary>
/// <remarks>
/// <code>
/// |         Type (0x001A)         |          Length (0)           |
/// </code>
/// </remarks>
public readonly record struct DontFragment : IStunSetter, IStunGetter<DontFragment>
{
    /// <summary>Whether the message carries a well-formed DONT-FRAGMENT.</summary>
    public static bool IsSet(scoped in StunMessage message) => TryGetFrom(message, out _, out _);

    /// <summary>Parses a value (without the TLV header): it must be empty.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out DontFragment result, out StunError error)
    {
        result = default;
        return FixedValue.CheckLength(value, StunAttributeType.DontFragment, 0, out error);
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out DontFragment value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.DontFragment, 0, out _, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        writer.TryReserveAttribute(StunAttributeType.DontFragment, 0, out _);
}
