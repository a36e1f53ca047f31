using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// ALTERNATE-SERVER: a different server the client should try (with 300 Try Alternate).
/// RFC 8489 §14.15: "It is encoded in the same way as MAPPED-ADDRESS".
/// </summary>
/// <remarks>
/// <code>
/// |0 0 0 0 0 0 0 0|    Family     |           Port                |
/// |                 Address (32 bits or 128 bits)                 |
/// </code>
/// </remarks>
public readonly record struct AlternateServer(TransportAddress Address) : IStunSetter, IStunGetter<AlternateServer>
{
    /// <summary>Parses a value (without the TLV header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out AlternateServer result, out StunError error)
    {
        bool ok = AddressCodec.TryRead(value, default, StunAttributeType.AlternateServer, out TransportAddress address, out error);
        result = new AlternateServer(address);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out AlternateServer value, out StunError error)
    {
        bool ok = AddressCodec.TryGet(message, StunAttributeType.AlternateServer, xor: false, out TransportAddress address, out error);
        value = new AlternateServer(address);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        AddressCodec.TryAdd(ref writer, StunAttributeType.AlternateServer, Address, xor: false);
}
