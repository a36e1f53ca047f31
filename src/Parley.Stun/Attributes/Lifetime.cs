using System.Buffers.Binary;
using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// LIFETIME: seconds until the allocation expires (requested or granted). RFC 8656 §18.2: "The value portion
/// of this attribute is 4 bytes long and consists of a 32-bit unsigned integral value representing the number
/// of seconds remaining until expiration." (The server clamps it; that policy is not here.)
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         Lifetime (seconds)                    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public readonly record struct Lifetime(uint Seconds) : IStunSetter, IStunGetter<Lifetime>
{
    /// <summary>The lifetime as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out Lifetime result, out StunError error)
    {
        bool ok = FixedValue.CheckLength(value, StunAttributeType.Lifetime, 4, out error);
        result = ok ? new Lifetime(BinaryPrimitives.ReadUInt32BigEndian(value)) : default;
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out Lifetime value, out StunError error)
    {
        value = default;
        return FixedValue.TryGet(message, StunAttributeType.Lifetime, 4, out ReadOnlySpan<byte> raw, out error)
            && TryParse(raw, out value, out error);
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer)
    {
        if (!writer.TryReserveAttribute(StunAttributeType.Lifetime, 4, out Span<byte> value))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, Seconds);
        return true;
    }
}
