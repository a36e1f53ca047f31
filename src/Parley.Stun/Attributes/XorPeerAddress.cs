using Parley.Stun.Internal;

namespace Parley.Stun.Attributes;

/// <summary>
/// XOR-PEER-ADDRESS: the peer's address and port as seen from the TURN server. RFC 8656 §18.3: "It is encoded in the same way as the XOR-MAPPED-ADDRESS attribute".
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         X-Port                |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                X-Address (Variable)
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// X-Port is the port XOR the top 16 bits of the magic cookie; X-Address is the address XOR the magic
/// cookie (IPv4) or XOR the magic cookie and transaction ID (IPv6).
/// </remarks>
public readonly record struct XorPeerAddress(TransportAddress Address) : IStunSetter, IStunGetter<XorPeerAddress>
{
    /// <summary>Parses a value (without the TLV header) of a message with the given transaction ID.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, TransactionId transactionId, out XorPeerAddress result, out StunError error)
    {
        Span<byte> key = stackalloc byte[AddressCodec.XorKeyLength];
        AddressCodec.WriteXorKey(transactionId, key);
        bool ok = AddressCodec.TryRead(value, key, StunAttributeType.XorPeerAddress, out TransportAddress address, out error);
        result = new XorPeerAddress(address);
        return ok;
    }

    /// <inheritdoc />
    public static bool TryGetFrom(scoped in StunMessage message, out XorPeerAddress value, out StunError error)
    {
        bool ok = AddressCodec.TryGet(message, StunAttributeType.XorPeerAddress, xor: true, out TransportAddress address, out error);
        value = new XorPeerAddress(address);
        return ok;
    }

    /// <inheritdoc />
    public bool TryAddTo(ref StunMessageWriter writer) =>
        AddressCodec.TryAdd(ref writer, StunAttributeType.XorPeerAddress, Address, xor: true);
}
