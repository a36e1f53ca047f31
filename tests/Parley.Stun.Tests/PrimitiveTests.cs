using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>Message type encoding, transaction IDs, addresses, OpaqueString, keys and error mapping.</summary>
public class PrimitiveTests
{
    [Theory]
    [InlineData(StunMethod.Binding, StunClass.Request, 0x0001)]
    [InlineData(StunMethod.Binding, StunClass.Indication, 0x0011)]
    [InlineData(StunMethod.Binding, StunClass.SuccessResponse, 0x0101)]
    [InlineData(StunMethod.Binding, StunClass.ErrorResponse, 0x0111)]
    [InlineData(StunMethod.Allocate, StunClass.Request, 0x0003)]
    [InlineData(StunMethod.Allocate, StunClass.ErrorResponse, 0x0113)]
    [InlineData(StunMethod.Refresh, StunClass.SuccessResponse, 0x0104)]
    [InlineData(StunMethod.Send, StunClass.Indication, 0x0016)]
    [InlineData(StunMethod.Data, StunClass.Indication, 0x0017)]
    [InlineData(StunMethod.CreatePermission, StunClass.Request, 0x0008)]
    [InlineData(StunMethod.ChannelBind, StunClass.SuccessResponse, 0x0109)]
    [InlineData((StunMethod)0xFFF, StunClass.ErrorResponse, 0x3FFF)]
    public void Message_types_encode_as_rfc_8489_section_5(StunMethod method, StunClass @class, int value)
    {
        var type = new StunMessageType(method, @class);
        Assert.Equal(value, type.Value);
        Assert.Equal(type, StunMessageType.FromValue((ushort)value));
    }

    [Fact]
    public void Every_method_and_class_round_trips()
    {
        for (int m = 0; m < 0x1000; m++)
        {
            for (int c = 0; c < 4; c++)
            {
                var type = new StunMessageType((StunMethod)m, (StunClass)c);
                Assert.Equal(type, StunMessageType.FromValue(type.Value));
                Assert.Equal(0, type.Value & 0xC000);
            }
        }
    }

    [Fact]
    public void Transaction_ids_are_random_and_round_trip()
    {
        TransactionId a = TransactionId.NewId();
        Assert.NotEqual(a, TransactionId.NewId());
        var bytes = new byte[12];
        a.WriteTo(bytes);
        Assert.Equal(a, new TransactionId(bytes));
        Assert.Equal(Convert.ToHexStringLower(bytes), a.ToString());
        Assert.Throws<ArgumentException>(() => new TransactionId(new byte[11]));
    }

    [Theory]
    [InlineData("192.0.2.1", 32853)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("::ffff:127.0.0.1", 1)]
    [InlineData("2001:db8::1", 65535)]
    public void Transport_addresses_convert_to_and_from_ip_end_points(string ip, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);
        var address = new TransportAddress(endPoint);
        Assert.Equal(endPoint, address.ToIPEndPoint());
        Assert.Equal(address, new TransportAddress(address.ToIPEndPoint()));
        Assert.Equal(address.GetHashCode(), new TransportAddress(endPoint).GetHashCode());
        Assert.NotEqual(address, new TransportAddress(IPAddress.Parse(ip), (ushort)(port ^ 1)));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_is_not_the_same_address_as_ipv4()
    {
        // Canonicalisation for peer policy is the server's job (turn-security.md); the wire type keeps families apart.
        Assert.NotEqual(new TransportAddress(IPAddress.Parse("127.0.0.1"), 1), new TransportAddress(IPAddress.Parse("::ffff:127.0.0.1"), 1));
    }

    [Theory]
    [InlineData("user", "user")]
    [InlineData("a\u00A0b", "a b")]            // non-ASCII space mapped to U+0020
    [InlineData("e\u0301", "\u00e9")]           // NFC
    [InlineData("\uFF21", "\uFF21")]            // no width mapping
    [InlineData("ABC", "ABC")]                  // no case mapping
    [InlineData("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9")]
    public void OpaqueString_maps_and_normalises(string input, string expected)
    {
        Assert.True(OpaqueString.TryPrepare(input, out string output));
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\u0007b")]   // control
    [InlineData("a\u200Bb")]   // zero-width space (default ignorable)
    [InlineData("a\uFFFEb")]   // noncharacter
    [InlineData("\u1100")]     // old Hangul jamo
    public void OpaqueString_rejects_disallowed_input(string input)
    {
        Assert.False(OpaqueString.TryPrepare(input, out _));
        Assert.Throws<ArgumentException>(() => OpaqueString.Prepare(input));
    }

    [Fact]
    public void OpaqueString_rejects_lone_surrogates()
    {
        // Not [InlineData]: xunit's serialisation would replace the surrogate with U+FFFD.
        Assert.False(OpaqueString.TryPrepare("a\ud800b", out _));
        Assert.False(OpaqueString.TryPrepare("\udc00", out _));
    }

    [Fact]
    public void Keys_follow_rfc_8489()
    {
        Assert.Equal("e8ca7ad59d5eb0518e312911d2dab2a9",
            Convert.ToHexStringLower(StunKeys.LongTerm("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "example.org", "TheMatrIX")));
        Assert.Equal(32, StunKeys.LongTerm("u", "r", "p", StunPasswordAlgorithm.Sha256).Length);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("u:r:p"u8), StunKeys.LongTerm("u", "r", "p", StunPasswordAlgorithm.Sha256));
        Assert.Equal("VOkJxbRl1RmTxUk/WvJxBt"u8.ToArray(), StunKeys.ShortTerm("VOkJxbRl1RmTxUk/WvJxBt"));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData("u:r"u8), StunKeys.UserHash("u", "r"));
        Assert.Throws<ArgumentOutOfRangeException>(() => StunKeys.GetKeyLength((StunPasswordAlgorithm)7));
    }

    [Theory]
    [InlineData(StunErrorKind.Truncated, (StunAttributeType)0, StunErrorCode.BadRequest, true)]
    [InlineData(StunErrorKind.BadMagicCookie, (StunAttributeType)0, StunErrorCode.BadRequest, true)]
    [InlineData(StunErrorKind.FingerprintMismatch, StunAttributeType.Fingerprint, StunErrorCode.BadRequest, true)]
    [InlineData(StunErrorKind.IntegrityMismatch, StunAttributeType.MessageIntegrity, StunErrorCode.Unauthenticated, false)]
    [InlineData(StunErrorKind.BadAddressFamily, StunAttributeType.RequestedAddressFamily, StunErrorCode.AddressFamilyNotSupported, false)]
    [InlineData(StunErrorKind.BadAddressFamily, StunAttributeType.XorPeerAddress, StunErrorCode.BadRequest, false)]
    [InlineData(StunErrorKind.ValueOutOfRange, StunAttributeType.ChannelNumber, StunErrorCode.BadRequest, false)]
    [InlineData(StunErrorKind.BufferTooSmall, (StunAttributeType)0, StunErrorCode.ServerError, false)]
    public void Errors_map_to_stun_error_codes(StunErrorKind kind, StunAttributeType attribute, StunErrorCode code, bool discard)
    {
        var error = new StunError(kind, attribute);
        Assert.Equal(code, error.ResponseCode);
        Assert.Equal(discard, error.IsSilentDiscard);
        Assert.True(error.IsError);
        Assert.False(StunError.None.IsError);
    }

    [Fact]
    public void Comprehension_ranges_and_known_types()
    {
        Assert.True(StunAttributeType.XorPeerAddress.IsComprehensionRequired());
        Assert.False(StunAttributeType.Software.IsComprehensionRequired());
        Assert.True(StunAttributeType.MessageIntegritySha256.IsKnown());
        Assert.False(StunAttributeType.Priority.IsKnown());
        Assert.False(((StunAttributeType)0x0031).IsKnown());
    }
}
