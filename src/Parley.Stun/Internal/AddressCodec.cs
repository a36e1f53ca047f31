using System.Buffers.Binary;

namespace Parley.Stun.Internal;

/// <summary>
/// The MAPPED-ADDRESS value format (RFC 8489 §14.1), shared by ALTERNATE-SERVER, and its XOR form (§14.2),
/// shared by XOR-MAPPED-ADDRESS, XOR-PEER-ADDRESS and XOR-RELAYED-ADDRESS (RFC 8656 §18.3, §18.5).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |0 0 0 0 0 0 0 0|    Family     |         (X-)Port              |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                 (X-)Address (32 bits or 128 bits)             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// "X-Port is computed by XOR'ing the mapped port with the most significant 16 bits of the magic cookie.
/// If the IP address family is IPv4, X-Address is computed by XOR'ing the mapped IP address with the magic
/// cookie. If the IP address family is IPv6, X-Address is computed by XOR'ing the mapped IP address with
/// the concatenation of the magic cookie and the 96-bit transaction ID."
/// </remarks>
internal static class AddressCodec
{
    /// <summary>Cookie (4 bytes) followed by transaction ID (12 bytes): the XOR key.</summary>
    public const int XorKeyLength = 16;

    public static bool TryRead(ReadOnlySpan<byte> value, ReadOnlySpan<byte> xorKey, StunAttributeType type,
        out TransportAddress address, out StunError error)
    {
        address = default;
        if (value.Length < 4)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        // "The first 8 bits of the MAPPED-ADDRESS MUST be set to 0 and MUST be ignored by receivers."
        var family = (StunAddressFamily)value[1];
        int addressLength = family switch
        {
            StunAddressFamily.IPv4 => 4,
            StunAddressFamily.IPv6 => 16,
            _ => -1,
        };
        if (addressLength < 0)
        {
            error = new StunError(StunErrorKind.BadAddressFamily, type);
            return false;
        }

        // "If the address family is IPv4, the address MUST be 32 bits. If the address family is IPv6, the
        // address MUST be 128 bits."
        if (value.Length != 4 + addressLength)
        {
            error = new StunError(StunErrorKind.BadAttributeLength, type);
            return false;
        }

        ushort port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        Span<byte> bytes = stackalloc byte[16];
        value.Slice(4, addressLength).CopyTo(bytes);
        if (!xorKey.IsEmpty)
        {
            port ^= (ushort)(StunMessage.MagicCookie >> 16);
            for (int i = 0; i < addressLength; i++)
            {
                bytes[i] ^= xorKey[i];
            }
        }

        address = TransportAddress.FromBytes(family, bytes[..addressLength], port);
        error = default;
        return true;
    }

    public static bool TryAdd(ref StunMessageWriter writer, StunAttributeType type, TransportAddress address, bool xor)
    {
        int addressLength = address.AddressLength;
        if (addressLength == 0)
        {
            return writer.Fail(StunErrorKind.BadAddressFamily, type);
        }

        if (!writer.TryReserveAttribute(type, 4 + addressLength, out Span<byte> value))
        {
            return false;
        }

        value[1] = (byte)address.Family;
        ushort port = address.Port;
        address.WriteAddressBytes(value[4..]);
        if (xor)
        {
            ReadOnlySpan<byte> key = writer.XorKey;
            port ^= (ushort)(StunMessage.MagicCookie >> 16);
            for (int i = 0; i < addressLength; i++)
            {
                value[4 + i] ^= key[i];
            }
        }

        BinaryPrimitives.WriteUInt16BigEndian(value[2..], port);
        return true;
    }

    /// <summary>Builds the XOR key for a transaction ID (for parsing a value outside a message).</summary>
    public static void WriteXorKey(TransactionId transactionId, Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, StunMessage.MagicCookie);
        transactionId.WriteTo(destination[4..]);
    }

    public static bool TryGet(scoped in StunMessage message, StunAttributeType type, bool xor,
        out TransportAddress address, out StunError error)
    {
        if (!message.TryGetAttribute(type, out ReadOnlySpan<byte> value))
        {
            address = default;
            error = new StunError(StunErrorKind.AttributeNotFound, type);
            return false;
        }

        return TryRead(value, xor ? message.Raw.Slice(4, XorKeyLength) : default, type, out address, out error);
    }
}
