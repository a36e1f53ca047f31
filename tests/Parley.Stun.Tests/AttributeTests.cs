using System.Collections.Immutable;
using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>Table-driven round trips and malformed values for every attribute.</summary>
public class AttributeTests
{
    private static readonly TransactionId Id = new(Convert.FromHexString("0102030405060708090a0b0c"));
    private static readonly TransportAddress V4 = new(IPAddress.Parse("203.0.113.7"), 3478);
    private static readonly TransportAddress V6 = new(IPAddress.Parse("2001:db8::1234:5678"), 65535);

    public static TheoryData<string, StunAttributeType, IStunSetter> RoundTrips => new()
    {
        { "MAPPED-ADDRESS v4", StunAttributeType.MappedAddress, new MappedAddress(V4) },
        { "MAPPED-ADDRESS v6", StunAttributeType.MappedAddress, new MappedAddress(V6) },
        { "XOR-MAPPED-ADDRESS v4", StunAttributeType.XorMappedAddress, new XorMappedAddress(V4) },
        { "XOR-MAPPED-ADDRESS v6", StunAttributeType.XorMappedAddress, new XorMappedAddress(V6) },
        { "ALTERNATE-SERVER", StunAttributeType.AlternateServer, new AlternateServer(V6) },
        { "XOR-PEER-ADDRESS v4", StunAttributeType.XorPeerAddress, new XorPeerAddress(V4) },
        { "XOR-PEER-ADDRESS v6", StunAttributeType.XorPeerAddress, new XorPeerAddress(V6) },
        { "XOR-RELAYED-ADDRESS", StunAttributeType.XorRelayedAddress, new XorRelayedAddress(V4) },
        { "USERNAME", StunAttributeType.Username, new Username("1735689600:alice") },
        { "USERNAME empty", StunAttributeType.Username, new Username("") },
        { "USERNAME 508 bytes", StunAttributeType.Username, new Username(new string('u', 508)) },
        { "REALM", StunAttributeType.Realm, new Realm("parley.example") },
        { "NONCE", StunAttributeType.Nonce, new Nonce("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA") },
        { "SOFTWARE unicode", StunAttributeType.Software, new Software("Parley \u00e9\u30DE 1.0") },
        { "ALTERNATE-DOMAIN", StunAttributeType.AlternateDomain, new AlternateDomain("turn.example.org") },
        { "ERROR-CODE 401", StunAttributeType.ErrorCode, new ErrorCode(StunErrorCode.Unauthenticated, "Unauthenticated") },
        { "ERROR-CODE 699 empty", StunAttributeType.ErrorCode, new ErrorCode((StunErrorCode)699) },
        { "ERROR-CODE 300", StunAttributeType.ErrorCode, new ErrorCode(StunErrorCode.TryAlternate, "x") },
        { "ADDRESS-ERROR-CODE", StunAttributeType.AddressErrorCode, new AddressErrorCode(StunAddressFamily.IPv6, StunErrorCode.AddressFamilyNotSupported, "no v6") },
        { "PASSWORD-ALGORITHM", StunAttributeType.PasswordAlgorithm, new PasswordAlgorithm(StunPasswordAlgorithm.Sha256) },
        { "PASSWORD-ALGORITHM params", StunAttributeType.PasswordAlgorithm, new PasswordAlgorithm((StunPasswordAlgorithm)0x8001, new byte[] { 1, 2, 3, 4, 5 }) },
        { "PASSWORD-ALGORITHMS", StunAttributeType.PasswordAlgorithms, PasswordAlgorithms.Of(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5) },
        { "PASSWORD-ALGORITHMS params", StunAttributeType.PasswordAlgorithms, new PasswordAlgorithms([new PasswordAlgorithm((StunPasswordAlgorithm)9, new byte[] { 7 }), new PasswordAlgorithm(StunPasswordAlgorithm.Md5)]) },
        { "UNKNOWN-ATTRIBUTES odd count", StunAttributeType.UnknownAttributes, new UnknownAttributes([(StunAttributeType)0x0031, (StunAttributeType)0x0032, (StunAttributeType)0x7fff]) },
        { "CHANNEL-NUMBER min", StunAttributeType.ChannelNumber, new ChannelNumber(0x4000) },
        { "CHANNEL-NUMBER 0x4fff", StunAttributeType.ChannelNumber, new ChannelNumber(0x4FFF) },
        { "CHANNEL-NUMBER 0x5000 (RFC 5766)", StunAttributeType.ChannelNumber, new ChannelNumber(0x5000) },
        { "CHANNEL-NUMBER max 0x7fff (RFC 5766)", StunAttributeType.ChannelNumber, new ChannelNumber(0x7FFF) },
        { "LIFETIME", StunAttributeType.Lifetime, new Lifetime(600) },
        { "LIFETIME max", StunAttributeType.Lifetime, new Lifetime(uint.MaxValue) },
        { "REQUESTED-ADDRESS-FAMILY v4", StunAttributeType.RequestedAddressFamily, new RequestedAddressFamily(StunAddressFamily.IPv4) },
        { "REQUESTED-ADDRESS-FAMILY v6", StunAttributeType.RequestedAddressFamily, new RequestedAddressFamily(StunAddressFamily.IPv6) },
        { "ADDITIONAL-ADDRESS-FAMILY", StunAttributeType.AdditionalAddressFamily, new AdditionalAddressFamily(StunAddressFamily.IPv6) },
        { "EVEN-PORT R", StunAttributeType.EvenPort, new EvenPort(true) },
        { "EVEN-PORT", StunAttributeType.EvenPort, new EvenPort(false) },
        { "REQUESTED-TRANSPORT", StunAttributeType.RequestedTransport, RequestedTransport.UdpTransport },
        { "DONT-FRAGMENT", StunAttributeType.DontFragment, new DontFragment() },
        { "RESERVATION-TOKEN", StunAttributeType.ReservationToken, new ReservationToken(0x0123456789ABCDEF) },
        { "ICMP", StunAttributeType.Icmp, new Icmp(3, 4, 1280) },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Round_trips(string name, StunAttributeType type, IStunSetter setter)
    {
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, setter);
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), $"{name}: {error}");
        Assert.Equal(1, message.AttributeCount);
        Assert.Equal(type, message[0].Type);
        Assert.True(AttributeReader.TryGet(message, type, out object? value, out error), $"{name}: {error}");
        Assert.Equal(setter, value);

        // Re-encoding what was read gives the same bytes.
        Assert.Equal(bytes, StunMessage.Build(StunMessageType.BindingRequest, Id, (IStunSetter)value!));
    }

    [Fact]
    public void Ref_struct_attributes_round_trip()
    {
        byte[] hash = StunKeys.UserHash("alice", "parley.example");
        byte[] payload = [1, 2, 3, 4, 5, 6, 7];
        var buffer = new byte[128];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Send, StunClass.Indication), Id);
        Assert.True(writer.Add(new UserHash(hash)));
        Assert.True(writer.Add(new XorPeerAddress(V4)));
        Assert.True(writer.Add(new Data(payload)));

        Assert.True(StunMessage.TryRead(writer.WrittenSpan, out StunMessage message, out StunError error), error.ToString());
        Assert.True(message.TryGet(out UserHash readHash, out _));
        Assert.Equal(hash, readHash.Value.ToArray());
        Assert.True(message.TryGet(out Data data, out _));
        Assert.Equal(payload, data.Value.ToArray());
        Assert.True(message.TryGet(out XorPeerAddress peer, out _));
        Assert.Equal(V4, peer.Address);
    }

    [Fact]
    public void Even_port_and_reservation_token_have_the_rfc_wire_format()
    {
        // RFC 8656 §18.7: R is the top bit of one byte, RFFU "ignored on reception"; padded to 4 with zeros.
        Assert.True(EvenPort.TryParse([0xFF], out EvenPort even, out _));
        Assert.True(even.ReserveNext);
        Assert.True(EvenPort.TryParse([0x7F], out even, out _));
        Assert.False(even.ReserveNext);
        byte[] written = StunMessage.Build(StunMessageType.BindingRequest, Id, new EvenPort(true));
        Assert.Equal(Convert.FromHexString("0018000180000000"), written[20..]);

        // RFC 8656 §18.10: 8 bytes, written and read in network order.
        written = StunMessage.Build(StunMessageType.BindingRequest, Id, new ReservationToken(0x0102030405060708));
        Assert.Equal(Convert.FromHexString("002200080102030405060708"), written[20..]);
    }

    public static TheoryData<string, StunAttributeType, string, StunErrorKind> Malformed => new()
    {
        // Address formats (shared by MAPPED/XOR-*/ALTERNATE-SERVER).
        { "empty", StunAttributeType.MappedAddress, "", StunErrorKind.BadAttributeLength },
        { "truncated header", StunAttributeType.XorMappedAddress, "0001", StunErrorKind.BadAttributeLength },
        { "family 0", StunAttributeType.MappedAddress, "0000d2760a000001", StunErrorKind.BadAddressFamily },
        { "family 3", StunAttributeType.XorPeerAddress, "0003d2760a000001", StunErrorKind.BadAddressFamily },
        { "v4 with 16-byte address", StunAttributeType.XorRelayedAddress, "0001d276" + new string('0', 32), StunErrorKind.BadAttributeLength },
        { "v6 truncated", StunAttributeType.XorPeerAddress, "0002d2760a000001", StunErrorKind.BadAttributeLength },
        { "v4 truncated", StunAttributeType.AlternateServer, "0001d2760a00", StunErrorKind.BadAttributeLength },
        { "v4 trailing byte", StunAttributeType.XorMappedAddress, "0001d2760a00000100", StunErrorKind.BadAttributeLength },

        // Text.
        { "username 764 bytes", StunAttributeType.Username, new string('6', 764 * 2), StunErrorKind.ValueOutOfRange },
        { "username bad utf-8", StunAttributeType.Username, "61ff62", StunErrorKind.InvalidText },
        { "realm overlong utf-8", StunAttributeType.Realm, "c0af", StunErrorKind.InvalidText },
        { "nonce 764 bytes", StunAttributeType.Nonce, new string('6', 764 * 2), StunErrorKind.ValueOutOfRange },
        { "software truncated utf-8", StunAttributeType.Software, "e382", StunErrorKind.InvalidText },
        { "alternate-domain space", StunAttributeType.AlternateDomain, "6120", StunErrorKind.InvalidText },
        { "alternate-domain 256", StunAttributeType.AlternateDomain, new string('6', 512), StunErrorKind.ValueOutOfRange },

        // ERROR-CODE / ADDRESS-ERROR-CODE.
        { "error-code 3 bytes", StunAttributeType.ErrorCode, "000004", StunErrorKind.BadAttributeLength },
        { "error class 2", StunAttributeType.ErrorCode, "00000263", StunErrorKind.ValueOutOfRange },
        { "error class 7", StunAttributeType.ErrorCode, "00000700", StunErrorKind.ValueOutOfRange },
        { "error number 100", StunAttributeType.ErrorCode, "00000464", StunErrorKind.ValueOutOfRange },
        { "error reason bad utf-8", StunAttributeType.ErrorCode, "00000401ff", StunErrorKind.InvalidText },
        { "address-error family 0", StunAttributeType.AddressErrorCode, "00000408", StunErrorKind.BadAddressFamily },
        { "address-error short", StunAttributeType.AddressErrorCode, "0100", StunErrorKind.BadAttributeLength },
        { "address-error class 1", StunAttributeType.AddressErrorCode, "02000100", StunErrorKind.ValueOutOfRange },

        // PASSWORD-ALGORITHM(S).
        { "algorithm 2 bytes", StunAttributeType.PasswordAlgorithm, "0002", StunErrorKind.BadAttributeLength },
        { "algorithm params truncated", StunAttributeType.PasswordAlgorithm, "0002000801020304", StunErrorKind.BadAttributeLength },
        { "algorithm params unpadded", StunAttributeType.PasswordAlgorithm, "000200050102030405", StunErrorKind.BadPadding },
        { "algorithm trailing entry", StunAttributeType.PasswordAlgorithm, "0002000000010000", StunErrorKind.BadAttributeLength },
        { "algorithms trailing half", StunAttributeType.PasswordAlgorithms, "000200000001", StunErrorKind.BadAttributeLength },
        { "algorithms params unpadded", StunAttributeType.PasswordAlgorithms, "0009000107", StunErrorKind.BadPadding },

        // UNKNOWN-ATTRIBUTES, USERHASH.
        { "unknown-attributes odd", StunAttributeType.UnknownAttributes, "000100", StunErrorKind.BadAttributeLength },
        { "userhash 31 bytes", StunAttributeType.UserHash, new string('a', 62), StunErrorKind.BadAttributeLength },
        { "userhash 33 bytes", StunAttributeType.UserHash, new string('a', 66), StunErrorKind.BadAttributeLength },

        // TURN.
        { "channel 2 bytes", StunAttributeType.ChannelNumber, "4000", StunErrorKind.BadAttributeLength },
        { "channel 0x3fff", StunAttributeType.ChannelNumber, "3fff0000", StunErrorKind.ValueOutOfRange },
        { "channel 0x8000", StunAttributeType.ChannelNumber, "80000000", StunErrorKind.ValueOutOfRange },
        { "channel 0xffff", StunAttributeType.ChannelNumber, "ffff0000", StunErrorKind.ValueOutOfRange },
        { "lifetime 3 bytes", StunAttributeType.Lifetime, "000258", StunErrorKind.BadAttributeLength },
        { "lifetime 8 bytes", StunAttributeType.Lifetime, "0000000000000258", StunErrorKind.BadAttributeLength },
        { "requested family 3", StunAttributeType.RequestedAddressFamily, "03000000", StunErrorKind.BadAddressFamily },
        { "requested family 1 byte", StunAttributeType.RequestedAddressFamily, "01", StunErrorKind.BadAttributeLength },
        { "additional family ipv4", StunAttributeType.AdditionalAddressFamily, "01000000", StunErrorKind.ValueOutOfRange },
        { "additional family 0", StunAttributeType.AdditionalAddressFamily, "00000000", StunErrorKind.BadAddressFamily },
        { "even-port empty", StunAttributeType.EvenPort, "", StunErrorKind.BadAttributeLength },
        { "even-port 4 bytes", StunAttributeType.EvenPort, "80000000", StunErrorKind.BadAttributeLength },
        { "transport 1 byte", StunAttributeType.RequestedTransport, "11", StunErrorKind.BadAttributeLength },
        { "dont-fragment with value", StunAttributeType.DontFragment, "00", StunErrorKind.BadAttributeLength },
        { "reservation-token 4 bytes", StunAttributeType.ReservationToken, "01020304", StunErrorKind.BadAttributeLength },
        { "icmp 4 bytes", StunAttributeType.Icmp, "00000304", StunErrorKind.BadAttributeLength },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_values_fail_with_the_specific_error(string name, StunAttributeType type, string hex, StunErrorKind expected)
    {
        var buffer = new byte[2048];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        Assert.True(writer.TryAddAttribute(type, Convert.FromHexString(hex)), name);
        Assert.True(StunMessage.TryRead(writer.WrittenSpan, out StunMessage message, out StunError error), error.ToString());

        Assert.False(AttributeReader.TryGet(message, type, out _, out error), name);
        Assert.Equal(new StunError(expected, type), error);
    }

    [Fact]
    public void Every_reader_reports_a_missing_attribute()
    {
        byte[] empty = StunMessage.Build(StunMessageType.BindingRequest, Id);
        Assert.True(StunMessage.TryRead(empty, out StunMessage message, out _));
        foreach (StunAttributeType type in AttributeReader.ReadableTypes)
        {
            Assert.False(AttributeReader.TryGet(message, type, out _, out StunError error));
            Assert.Equal(new StunError(StunErrorKind.AttributeNotFound, type), error);
        }
    }

    [Fact]
    public void Trailing_ignored_bits_are_ignored()
    {
        // Reserved bits SHOULD/MUST be zero on send and MUST be ignored on receipt.
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        writer.TryAddAttribute(StunAttributeType.ErrorCode, Convert.FromHexString("fffffc26")); // class 4 in low bits, number 38
        writer.TryAddAttribute(StunAttributeType.ChannelNumber, Convert.FromHexString("4001ffff"));
        writer.TryAddAttribute(StunAttributeType.EvenPort, Convert.FromHexString("ff"));
        writer.TryAddAttribute(StunAttributeType.RequestedTransport, Convert.FromHexString("11ffffff"));
        writer.TryAddAttribute(StunAttributeType.MappedAddress, Convert.FromHexString("ff01000a7f000001"));
        Assert.True(StunMessage.TryRead(writer.WrittenSpan, out StunMessage message, out _));

        Assert.True(message.TryGet(out ErrorCode code, out _));
        Assert.Equal(StunErrorCode.StaleNonce, code.Code);
        Assert.True(message.TryGet(out ChannelNumber channel, out _));
        Assert.Equal(0x4001, channel.Value);
        Assert.True(message.TryGet(out EvenPort evenPort, out _));
        Assert.True(evenPort.ReserveNext);
        Assert.True(message.TryGet(out RequestedTransport transport, out _));
        Assert.Equal(RequestedTransport.Udp, transport.Protocol);
        Assert.True(message.TryGet(out MappedAddress mapped, out _));
        Assert.Equal(new TransportAddress(IPAddress.Loopback, 10), mapped.Address);
    }

    public static TheoryData<string, IStunSetter, StunErrorKind> UnwritableValues => new()
    {
        { "username 509 bytes", new Username(new string('u', 509)), StunErrorKind.ValueOutOfRange },
        { "realm 128 characters", new Realm(new string('\u00e9', 128)), StunErrorKind.ValueOutOfRange },
        { "nonce lone surrogate", new Nonce("\ud800"), StunErrorKind.InvalidText },
        { "error code 299", new ErrorCode((StunErrorCode)299), StunErrorKind.ValueOutOfRange },
        { "error code 700", new ErrorCode((StunErrorCode)700), StunErrorKind.ValueOutOfRange },
        { "address error family none", new AddressErrorCode(StunAddressFamily.None, StunErrorCode.InsufficientCapacity), StunErrorKind.BadAddressFamily },
        { "channel 0x3fff", new ChannelNumber(0x3fff), StunErrorKind.ValueOutOfRange },
        { "channel 0x8000", new ChannelNumber(0x8000), StunErrorKind.ValueOutOfRange },
        { "default address", new XorPeerAddress(default), StunErrorKind.BadAddressFamily },
        { "requested family none", new RequestedAddressFamily(StunAddressFamily.None), StunErrorKind.BadAddressFamily },
        { "additional family ipv4", new AdditionalAddressFamily(StunAddressFamily.IPv4), StunErrorKind.ValueOutOfRange },
        { "alternate domain with space", new AlternateDomain("a b"), StunErrorKind.ValueOutOfRange },
        { "mi-sha256 length 12", new MessageIntegritySha256(new byte[32], 12), StunErrorKind.ValueOutOfRange },
        { "mi-sha256 length 18", new MessageIntegritySha256(new byte[32], 18), StunErrorKind.ValueOutOfRange },
    };

    [Theory]
    [MemberData(nameof(UnwritableValues))]
    public void Writers_refuse_values_out_of_range(string name, IStunSetter setter, StunErrorKind expected)
    {
        var buffer = new byte[2048];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        Assert.False(writer.Add(setter), name);
        Assert.Equal(expected, writer.Error.Kind);
        Assert.Equal(StunMessage.HeaderLength, writer.BytesWritten);
    }

    [Fact]
    public void Xor_addresses_parse_outside_a_message_with_the_transaction_id()
    {
        byte[] bytes = StunMessage.Build(StunMessageType.BindingSuccess, Id, new XorMappedAddress(V6));
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        Assert.True(XorMappedAddress.TryParse(message[0].Value, Id, out XorMappedAddress parsed, out _));
        Assert.Equal(V6, parsed.Address);
        Assert.True(XorMappedAddress.TryParse(message[0].Value, TransactionId.NewId(), out XorMappedAddress wrong, out _));
        Assert.NotEqual(V6, wrong.Address); // the IPv6 XOR key includes the transaction ID
    }

    [Fact]
    public void Several_xor_peer_addresses_are_all_enumerated()
    {
        TransportAddress[] peers = [V4, V6, new(IPAddress.Parse("198.51.100.1"), 1)];
        byte[] bytes = StunMessage.Build(new StunMessageType(StunMethod.CreatePermission, StunClass.Request), Id,
            new XorPeerAddress(peers[0]), new Lifetime(1), new XorPeerAddress(peers[1]), new XorPeerAddress(peers[2]));
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        var seen = new List<TransportAddress>();
        foreach (StunTlv tlv in message.GetAll(StunAttributeType.XorPeerAddress))
        {
            Assert.True(XorPeerAddress.TryParse(tlv.Value, message.TransactionId, out XorPeerAddress peer, out _));
            seen.Add(peer.Address);
        }

        Assert.Equal(peers, seen);
    }

    [Fact]
    public void Password_algorithms_compare_by_content()
    {
        PasswordAlgorithms sent = PasswordAlgorithms.Of(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5);
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, sent);
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        Assert.True(message.TryGet(out PasswordAlgorithms received, out _));
        Assert.Equal(sent, received);
        Assert.NotEqual(PasswordAlgorithms.Of(StunPasswordAlgorithm.Md5, StunPasswordAlgorithm.Sha256), received);
        Assert.True(received.Contains(new PasswordAlgorithm(StunPasswordAlgorithm.Sha256)));
        Assert.False(received.Contains(new PasswordAlgorithm((StunPasswordAlgorithm)3)));
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_found()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Allocate, StunClass.Request), Id);
        writer.Add(RequestedTransport.UdpTransport);
        writer.TryAddAttribute((StunAttributeType)0x0031, [1]);
        writer.TryAddAttribute((StunAttributeType)0x8031, [1]); // comprehension-optional: not reported
        writer.TryAddAttribute(StunAttributeType.Priority, [0, 0, 0, 1]);
        Assert.True(StunMessage.TryRead(writer.WrittenSpan, out StunMessage message, out _));

        Span<StunAttributeType> unknown = stackalloc StunAttributeType[8];
        int count = message.FindUnknownComprehensionRequired(unknown);
        Assert.Equal([(StunAttributeType)0x0031, StunAttributeType.Priority], unknown[..count].ToArray());

        var response = new byte[128];
        var responseWriter = new StunMessageWriter(response, new StunMessageType(StunMethod.Allocate, StunClass.ErrorResponse), Id);
        responseWriter.Add(new ErrorCode(StunErrorCode.UnknownAttribute));
        Assert.True(UnknownAttributes.TryAdd(ref responseWriter, unknown[..count]));
        Assert.True(StunMessage.TryRead(responseWriter.WrittenSpan, out StunMessage parsed, out _));
        Assert.True(parsed.TryGet(out UnknownAttributes listed, out _));
        Assert.Equal(new UnknownAttributes([(StunAttributeType)0x0031, StunAttributeType.Priority]), listed);
    }

    [Fact]
    public void ImmutableArray_defaults_are_treated_as_empty()
    {
        Assert.Equal(new UnknownAttributes(default), new UnknownAttributes(ImmutableArray<StunAttributeType>.Empty));
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, new UnknownAttributes(default), new PasswordAlgorithms(default));
        Assert.Equal(StunMessage.HeaderLength + 8, bytes.Length);
    }
}
