using System.Buffers.Binary;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>Header and attribute-structure validation, the writer, integrity and fingerprint.</summary>
public class MessageTests
{
    private static readonly TransactionId Id = new(Convert.FromHexString("a1a2a3a4a5a6a7a8a9aaabac"));
    private static readonly byte[] Key = StunKeys.ShortTerm("secret");

    private static byte[] Header(ushort type = 0x0001, int length = 0, uint cookie = StunMessage.MagicCookie)
    {
        var bytes = new byte[StunMessage.HeaderLength];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), cookie);
        Id.WriteTo(bytes.AsSpan(8));
        return bytes;
    }

    private static byte[] Message(params (ushort Type, string Hex)[] attributes)
    {
        var body = new List<byte>();
        foreach ((ushort type, string hex) in attributes)
        {
            byte[] value = Convert.FromHexString(hex);
            body.AddRange([(byte)(type >> 8), (byte)type, (byte)(value.Length >> 8), (byte)value.Length]);
            body.AddRange(value);
            while (body.Count % 4 != 0)
            {
                body.Add(0);
            }
        }

        return [.. Header(length: body.Count), .. body];
    }

    public static TheoryData<string, byte[], StunErrorKind, StunAttributeType> Malformed => new()
    {
        { "empty", [], StunErrorKind.Truncated, 0 },
        { "19 bytes", Header()[..19], StunErrorKind.Truncated, 0 },
        { "first bits 01 (ChannelData)", Header(type: 0x4001), StunErrorKind.NotStun, 0 },
        { "first bits 10", Header(type: 0x8001), StunErrorKind.NotStun, 0 },
        { "RFC 3489 cookie", Header(cookie: 0x01020304), StunErrorKind.BadMagicCookie, 0 },
        { "length not multiple of 4", [.. Header(length: 2), 0, 0], StunErrorKind.BadPadding, 0 },
        { "length beyond buffer", [.. Header(length: 8), 0, 0x22, 0, 0], StunErrorKind.Truncated, 0 },
        { "trailing bytes", [.. Header(length: 0), 0, 0, 0, 0], StunErrorKind.BadMessageLength, 0 },
        { "attribute beyond message", [.. Header(length: 8), 0x80, 0x22, 0, 5, 0x61, 0x62, 0x63, 0x64], StunErrorKind.Truncated, StunAttributeType.Software },
        { "attribute length 0xffff", [.. Header(length: 4), 0x00, 0x06, 0xff, 0xff], StunErrorKind.Truncated, StunAttributeType.Username },
        { "attribute after FINGERPRINT", Message((0x8028, "00000000"), (0x8022, "61")), StunErrorKind.MisplacedAttribute, StunAttributeType.Software },
        { "two FINGERPRINTs", Message((0x8028, "00000000"), (0x8028, "00000000")), StunErrorKind.MisplacedAttribute, StunAttributeType.Fingerprint },
        { "two MESSAGE-INTEGRITY", Message((0x0008, new string('0', 40)), (0x0008, new string('0', 40))), StunErrorKind.MisplacedAttribute, StunAttributeType.MessageIntegrity },
        { "MESSAGE-INTEGRITY after -SHA256", Message((0x001c, new string('0', 64)), (0x0008, new string('0', 40))), StunErrorKind.MisplacedAttribute, StunAttributeType.MessageIntegrity },
        { "two MESSAGE-INTEGRITY-SHA256", Message((0x001c, new string('0', 64)), (0x001c, new string('0', 64))), StunErrorKind.MisplacedAttribute, StunAttributeType.MessageIntegritySha256 },
        { "33 attributes", Message([.. Enumerable.Repeat(((ushort)0x8022, "61"), 33)]), StunErrorKind.TooManyAttributes, StunAttributeType.Software },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_messages_fail_with_the_specific_error(string name, byte[] bytes, StunErrorKind kind, StunAttributeType attribute)
    {
        Assert.False(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), name);
        Assert.Equal(new StunError(kind, attribute), error);
        Assert.True(message.Raw.IsEmpty);
    }

    [Fact]
    public void Thirty_two_attributes_are_accepted()
    {
        byte[] bytes = Message([.. Enumerable.Repeat(((ushort)0x8022, "61"), StunMessage.MaxAttributes)]);
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        Assert.Equal(StunMessage.MaxAttributes, message.AttributeCount);
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored()
    {
        // RFC 8489 §14.5: "agents MUST ignore all other attributes that follow MESSAGE-INTEGRITY".
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, new Username("u"), new MessageIntegrity(Key));
        byte[] extended = [.. bytes, 0x80, 0x22, 0x00, 0x01, 0x61, 0, 0, 0];
        BinaryPrimitives.WriteUInt16BigEndian(extended.AsSpan(2), (ushort)(extended.Length - StunMessage.HeaderLength));

        Assert.True(StunMessage.TryRead(extended, out StunMessage message, out _));
        Assert.Equal(2, message.AttributeCount);
        Assert.False(message.Contains(StunAttributeType.Software));
        Assert.True(MessageIntegrity.Verify(message, Key, out StunError error), error.ToString());
    }

    [Fact]
    public void Writer_zeroes_padding_and_keeps_the_header_length()
    {
        var buffer = new byte[128];
        buffer.AsSpan().Fill(0xEE);
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        Assert.True(writer.Add(new Username("abcde")));   // 5 bytes + 3 padding
        Assert.True(writer.Add(new EvenPort(true)));        // 1 byte + 3 padding
        Assert.True(writer.Add(new DontFragment()));        // 0 bytes
        ReadOnlySpan<byte> written = writer.WrittenSpan;

        Assert.Equal(20 + 12 + 8 + 4, written.Length);
        Assert.Equal(written.Length - 20, BinaryPrimitives.ReadUInt16BigEndian(written[2..]));
        Assert.Equal([0, 0, 0], written.Slice(20 + 4 + 5, 3).ToArray());
        Assert.Equal([0, 0, 0], written.Slice(32 + 4 + 1, 3).ToArray());
        Assert.Equal(0xEE, buffer[written.Length]); // nothing written past the end
    }

    [Fact]
    public void Writer_reports_a_small_buffer_and_refuses_further_attributes()
    {
        var tiny = new byte[10];
        var none = new StunMessageWriter(tiny, StunMessageType.BindingRequest, Id);
        Assert.Equal(StunErrorKind.BufferTooSmall, none.Error.Kind);
        Assert.False(none.Add(new Lifetime(1)));

        var buffer = new byte[28];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        Assert.True(writer.Add(new Lifetime(1)));
        Assert.False(writer.Add(new Lifetime(2)));
        Assert.Equal(new StunError(StunErrorKind.BufferTooSmall, StunAttributeType.Lifetime), writer.Error);
        Assert.False(writer.Add(new DontFragment()));
        Assert.Equal(28, writer.BytesWritten);
    }

    [Fact]
    public void Writer_refuses_a_message_longer_than_the_length_field_allows()
    {
        var buffer = new byte[StunMessage.MaxLength + 100];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        Assert.True(writer.TryAddAttribute(StunAttributeType.Data, new byte[ushort.MaxValue - 8]));
        Assert.False(writer.TryAddAttribute(StunAttributeType.Data, new byte[8]));
        Assert.Equal(StunErrorKind.BufferTooSmall, writer.Error.Kind);
    }

    [Fact]
    public void Writer_refuses_attributes_after_fingerprint_and_integrity()
    {
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        writer.Add(new MessageIntegrity(Key));
        Assert.False(writer.Add(new Username("late")));
        Assert.Equal(new StunError(StunErrorKind.MisplacedAttribute, StunAttributeType.Username), writer.Error);

        var second = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Id);
        second.Add(new Fingerprint());
        Assert.False(second.Add(new MessageIntegrity(Key)));
        Assert.Equal(StunErrorKind.MisplacedAttribute, second.Error.Kind);
    }

    [Fact]
    public void Integrity_sha256_and_fingerprint_all_verify_together()
    {
        byte[] sha256Key = StunKeys.LongTerm("alice", "parley", "pw", StunPasswordAlgorithm.Sha256);
        byte[] bytes = StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), Id,
            new Username("alice"), new Realm("parley"), new Nonce("n"), RequestedTransport.UdpTransport,
            new MessageIntegrity(Key), new MessageIntegritySha256(sha256Key), new Fingerprint());
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());
        Assert.True(MessageIntegrity.Verify(message, Key, out error), error.ToString());
        Assert.True(MessageIntegritySha256.Verify(message, sha256Key, out error), error.ToString());
        Assert.True(Fingerprint.Verify(message, out error), error.ToString());
    }

    [Fact]
    public void Every_flipped_bit_breaks_integrity_or_fingerprint()
    {
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, new Username("alice"),
            new MessageIntegrity(Key), new Fingerprint());
        for (int bit = 0; bit < bytes.Length * 8; bit++)
        {
            byte[] copy = (byte[])bytes.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            if (!StunMessage.TryRead(copy, out StunMessage message, out _))
            {
                continue; // header damage is caught by the parser
            }

            bool fingerprintOk = Fingerprint.Verify(message, out StunError fpError);
            bool integrityOk = MessageIntegrity.Verify(message, Key, out StunError miError);
            Assert.False(fingerprintOk && integrityOk, $"bit {bit} went unnoticed");
            if (bit / 8 is >= 24 and < 29) // inside the USERNAME value: both checks must catch it
            {
                Assert.Equal(StunErrorKind.FingerprintMismatch, fpError.Kind);
                Assert.Equal(StunErrorKind.IntegrityMismatch, miError.Kind);
            }
        }
    }

    [Fact]
    public void Truncated_sha256_integrity_needs_an_explicit_minimum()
    {
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, new MessageIntegritySha256(Key, 16));
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        Assert.False(MessageIntegritySha256.Verify(message, Key, out StunError error));
        Assert.Equal(StunErrorKind.BadAttributeLength, error.Kind);
        Assert.True(MessageIntegritySha256.Verify(message, Key, out error, minimumLength: 16), error.ToString());
    }

    public static TheoryData<string, byte[], StunErrorKind> BadChecks => new()
    {
        { "MI 16 bytes", Message((0x0008, new string('0', 32))), StunErrorKind.BadAttributeLength },
        { "MI-SHA256 12 bytes", Message((0x001c, new string('0', 24))), StunErrorKind.BadAttributeLength },
        { "MI-SHA256 18 bytes", Message((0x001c, new string('0', 36))), StunErrorKind.BadAttributeLength },
        { "MI-SHA256 36 bytes", Message((0x001c, new string('0', 72))), StunErrorKind.BadAttributeLength },
        { "FINGERPRINT 2 bytes", Message((0x8028, "0000")), StunErrorKind.BadAttributeLength },
        { "MI zeros", Message((0x0008, new string('0', 40))), StunErrorKind.IntegrityMismatch },
        { "MI-SHA256 zeros", Message((0x001c, new string('0', 64))), StunErrorKind.IntegrityMismatch },
        { "FINGERPRINT zeros", Message((0x8028, "00000000")), StunErrorKind.FingerprintMismatch },
        { "none", Message(), StunErrorKind.AttributeNotFound },
    };

    [Theory]
    [MemberData(nameof(BadChecks))]
    public void Integrity_and_fingerprint_failures_are_specific(string name, byte[] bytes, StunErrorKind kind)
    {
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());
        StunAttributeType type = message.AttributeCount == 0 ? StunAttributeType.MessageIntegrity : message[0].Type;
        bool ok = type switch
        {
            StunAttributeType.MessageIntegrity => MessageIntegrity.Verify(message, Key, out error),
            StunAttributeType.MessageIntegritySha256 => MessageIntegritySha256.Verify(message, Key, out error),
            _ => Fingerprint.Verify(message, out error),
        };
        Assert.False(ok, name);
        Assert.Equal(new StunError(kind, type), error);
    }

    [Fact]
    public void Large_messages_verify_through_the_pooled_copy()
    {
        byte[] bytes = StunMessage.Build(new StunMessageType(StunMethod.Send, StunClass.Indication), Id,
            new XorPeerAddress(new TransportAddress(System.Net.IPAddress.Loopback, 9)), new Software("x"),
            new MessageIntegrity(Key), new Fingerprint());
        var big = new byte[4000];
        var writer = new StunMessageWriter(big, new StunMessageType(StunMethod.Send, StunClass.Indication), Id);
        writer.TryAddAttribute(StunAttributeType.Data, new byte[3000]);
        writer.Add(new MessageIntegritySha256(Key));
        writer.Add(new MessageIntegrity(Key));
        Assert.Equal(StunErrorKind.MisplacedAttribute, writer.Error.Kind); // MI may not follow MI-SHA256

        writer = new StunMessageWriter(big, new StunMessageType(StunMethod.Send, StunClass.Indication), Id);
        writer.TryAddAttribute(StunAttributeType.Data, new byte[3000]);
        writer.Add(new MessageIntegrity(Key));
        writer.Add(new MessageIntegritySha256(Key));
        Assert.False(writer.HasFailed);
        Assert.True(StunMessage.TryRead(writer.WrittenSpan, out StunMessage message, out _));
        Assert.True(MessageIntegrity.Verify(message, Key, out StunError error), error.ToString());
        Assert.True(MessageIntegritySha256.Verify(message, Key, out error), error.ToString());
        Assert.True(StunMessage.TryRead(bytes, out _, out _));
    }

    [Fact]
    public void Builder_writes_into_a_buffer_writer_and_grows_for_large_messages()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>(16);
        Assert.True(StunMessage.TryWrite(output, StunMessageType.BindingRequest, Id,
            [new Software(new string('s', 100)), new Fingerprint()], out StunError error), error.ToString());
        Assert.True(StunMessage.TryRead(output.WrittenSpan, out StunMessage message, out _));
        Assert.True(Fingerprint.Verify(message, out _));

        Assert.Throws<ArgumentException>(() => StunMessage.Build(StunMessageType.BindingRequest, Id, new ChannelNumber(1)));
    }

    [Fact]
    public void Enumerating_attributes_visits_each_in_order()
    {
        byte[] bytes = StunMessage.Build(StunMessageType.BindingRequest, Id, new Username("a"), new Realm("b"), new Nonce("c"));
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out _));
        var types = new List<StunAttributeType>();
        foreach (StunTlv tlv in message)
        {
            types.Add(tlv.Type);
        }

        Assert.Equal([StunAttributeType.Username, StunAttributeType.Realm, StunAttributeType.Nonce], types);
        Assert.Throws<ArgumentOutOfRangeException>(() => ReadIndex(bytes, 3));
    }

    private static StunAttributeType ReadIndex(byte[] bytes, int index)
    {
        StunMessage.TryRead(bytes, out StunMessage message, out _);
        return message[index].Type;
    }
}
