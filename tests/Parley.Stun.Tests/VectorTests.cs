using System.Buffers.Binary;
using System.Net;
using System.Text;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>RFC 5769 §2.1-2.4 and the corrected RFC 8489 B.1 vector from ../shared/test-vectors/stun.txt.</summary>
public class VectorTests
{
    private const string ShortTermPassword = "VOkJxbRl1RmTxUk/WvJxBt";
    private const string KatakanaUser = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
    private static readonly TransactionId Rfc5769Id = new(Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
    private static readonly TransactionId LongTermId = new(Convert.FromHexString("78ad3433c6ad72c029da412e"));

    [Fact]
    public void The_file_holds_all_five_vectors()
    {
        Assert.Equal(5, TestVectors.Vectors.Count);
    }

    [Fact]
    public void Rfc5769_2_1_sample_request()
    {
        byte[] bytes = TestVectors.Get("RFC 5769 2.1");
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(Rfc5769Id, message.TransactionId);
        Assert.Equal(6, message.AttributeCount);
        Assert.True(message.TryGet(out Software software, out _));
        Assert.Equal("STUN test client", software.Value);
        Assert.True(message.TryGetAttribute(StunAttributeType.Priority, out ReadOnlySpan<byte> priority));
        Assert.Equal(0x6e0001ffu, BinaryPrimitives.ReadUInt32BigEndian(priority));
        Assert.True(message.TryGetAttribute(StunAttributeType.IceControlled, out ReadOnlySpan<byte> controlled));
        Assert.Equal(0x932ff9b151263b36ul, BinaryPrimitives.ReadUInt64BigEndian(controlled));
        Assert.True(message.TryGet(out Username username, out _));
        Assert.Equal("evtj:h6vY", username.Value);

        byte[] key = StunKeys.ShortTerm(ShortTermPassword);
        Assert.True(MessageIntegrity.Verify(message, key, out error), error.ToString());
        Assert.True(Fingerprint.Verify(message, out error), error.ToString());
        Assert.False(MessageIntegrity.Verify(message, StunKeys.ShortTerm("wrong"), out error));
        Assert.Equal(StunErrorKind.IntegrityMismatch, error.Kind);

        // The vector pads USERNAME with 0x20; we pad with zero, so only padding, MI and FINGERPRINT differ.
        var buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Rfc5769Id);
        writer.Add(new Software("STUN test client"));
        writer.TryAddAttribute(StunAttributeType.Priority, priority);
        writer.TryAddAttribute(StunAttributeType.IceControlled, controlled);
        writer.Add(new Username("evtj:h6vY"));
        writer.Add(new MessageIntegrity(key));
        writer.Add(new Fingerprint());
        Assert.False(writer.HasFailed, writer.Error.ToString());
        AssertSameExceptPaddingAndChecks(bytes, writer.WrittenSpan);
        AssertVerifies(writer.WrittenSpan, key);
    }

    [Fact]
    public void Rfc5769_2_2_sample_ipv4_response()
    {
        byte[] bytes = TestVectors.Get("RFC 5769 2.2");
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());

        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.Equal(Rfc5769Id, message.TransactionId);
        Assert.True(message.TryGet(out Software software, out _));
        Assert.Equal("test vector", software.Value);
        Assert.True(message.TryGet(out XorMappedAddress mapped, out _));
        Assert.Equal(new TransportAddress(IPAddress.Parse("192.0.2.1"), 32853), mapped.Address);

        byte[] key = StunKeys.ShortTerm(ShortTermPassword);
        Assert.True(MessageIntegrity.Verify(message, key, out error), error.ToString());
        Assert.True(Fingerprint.Verify(message, out error), error.ToString());

        byte[] rebuilt = StunMessage.Build(StunMessageType.BindingSuccess, Rfc5769Id,
            new Software("test vector"), mapped, new MessageIntegrity(key), new Fingerprint());
        AssertSameExceptPaddingAndChecks(bytes, rebuilt);
        AssertVerifies(rebuilt, key);
    }

    [Fact]
    public void Rfc5769_2_3_sample_ipv6_response()
    {
        byte[] bytes = TestVectors.Get("RFC 5769 2.3");
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());

        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.TryGet(out Software software, out _));
        Assert.Equal("test vector", software.Value);
        Assert.True(message.TryGet(out XorMappedAddress mapped, out _));
        Assert.Equal(new TransportAddress(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped.Address);

        byte[] key = StunKeys.ShortTerm(ShortTermPassword);
        Assert.True(MessageIntegrity.Verify(message, key, out error), error.ToString());
        Assert.True(Fingerprint.Verify(message, out error), error.ToString());

        byte[] rebuilt = StunMessage.Build(StunMessageType.BindingSuccess, Rfc5769Id,
            new Software("test vector"), mapped, new MessageIntegrity(key), new Fingerprint());
        AssertSameExceptPaddingAndChecks(bytes, rebuilt);
        AssertVerifies(rebuilt, key);
    }

    [Fact]
    public void Rfc5769_2_4_long_term_request()
    {
        byte[] bytes = TestVectors.Get("RFC 5769 2.4");
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(LongTermId, message.TransactionId);
        Assert.True(message.TryGet(out Username username, out _));
        Assert.Equal(KatakanaUser, username.Value);
        Assert.Equal(KatakanaUser, OpaqueString.Prepare(KatakanaUser)); // SASLprep/OpaqueString leave it unchanged.
        Assert.True(message.TryGet(out Nonce nonce, out _));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", nonce.Value);
        Assert.True(message.TryGet(out Realm realm, out _));
        Assert.Equal("example.org", realm.Value);
        Assert.False(message.HasFingerprint);
        Assert.False(Fingerprint.Verify(message, out error));
        Assert.Equal(StunErrorKind.AttributeNotFound, error.Kind);

        byte[] key = StunKeys.LongTerm(username.Value, realm.Value, "TheMatrIX");
        Assert.Equal("e8ca7ad59d5eb0518e312911d2dab2a9", Convert.ToHexStringLower(key));
        Assert.True(MessageIntegrity.Verify(message, key, out error), error.ToString());

        // Built the same way (zero padding), so re-encoding gives the same bytes.
        byte[] rebuilt = StunMessage.Build(StunMessageType.BindingRequest, LongTermId,
            username, nonce, realm, new MessageIntegrity(key));
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(rebuilt));
    }

    [Fact]
    public void Rfc8489_B_1_sha256_and_userhash_request()
    {
        byte[] bytes = TestVectors.Get("RFC 8489 B.1");
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());

        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(LongTermId, message.TransactionId);
        Assert.Equal(0x90, message.Length);
        Assert.True(message.TryGet(out UserHash userHash, out _));
        Assert.Equal("4a3cf38fef6992bda952c6780417da0f24819415569e60b205c46e41407f1704", Convert.ToHexStringLower(userHash.Value));
        Assert.Equal(userHash.Value, StunKeys.UserHash(KatakanaUser, "example.org"));
        Assert.True(message.TryGet(out Nonce nonce, out _));
        Assert.Equal("obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA", nonce.Value);
        Assert.True(message.TryGet(out Realm realm, out _));
        Assert.Equal("example.org", realm.Value);
        Assert.True(message.TryGet(out PasswordAlgorithm algorithm, out _));
        Assert.Equal(new PasswordAlgorithm(StunPasswordAlgorithm.Sha256), algorithm);
        Assert.False(message.HasMessageIntegrity);
        Assert.False(message.HasFingerprint);

        byte[] key = StunKeys.LongTerm(KatakanaUser, realm.Value, "TheMatrIX", StunPasswordAlgorithm.Sha256);
        Assert.True(MessageIntegritySha256.Verify(message, key, out error), error.ToString());
        Assert.True(message.TryGetAttribute(StunAttributeType.MessageIntegritySha256, out ReadOnlySpan<byte> mac));
        Assert.StartsWith("b5c7bf00", Convert.ToHexStringLower(mac), StringComparison.Ordinal);
        Assert.EndsWith("6518e65", Convert.ToHexStringLower(mac), StringComparison.Ordinal);
        Assert.False(MessageIntegritySha256.Verify(message, StunKeys.LongTerm(KatakanaUser, realm.Value, "TheMatrIX"), out error));
        Assert.Equal(StunErrorKind.IntegrityMismatch, error.Kind);

        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, LongTermId);
        writer.Add(new UserHash(StunKeys.UserHash(KatakanaUser, "example.org")));
        writer.AddRange(nonce, realm, algorithm, new MessageIntegritySha256(key));
        Assert.False(writer.HasFailed, writer.Error.ToString());
        Assert.Equal(Convert.ToHexString(bytes), Convert.ToHexString(writer.WrittenSpan));
    }

    private static void AssertVerifies(ReadOnlySpan<byte> bytes, byte[] key)
    {
        Assert.True(StunMessage.TryRead(bytes, out StunMessage message, out StunError error), error.ToString());
        Assert.True(MessageIntegrity.Verify(message, key, out error), error.ToString());
        Assert.True(Fingerprint.Verify(message, out error), error.ToString());
    }

    /// <summary>Same length and bytes, except attribute padding and the MESSAGE-INTEGRITY/FINGERPRINT values.</summary>
    private static void AssertSameExceptPaddingAndChecks(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var ignored = new bool[expected.Length];
        int offset = StunMessage.HeaderLength;
        while (offset < expected.Length)
        {
            var type = (StunAttributeType)BinaryPrimitives.ReadUInt16BigEndian(expected[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(expected[(offset + 2)..]);
            int padded = (length + 3) & ~3;
            int from = type is StunAttributeType.MessageIntegrity or StunAttributeType.Fingerprint ? offset + 4 : offset + 4 + length;
            for (int i = from; i < offset + 4 + padded; i++)
            {
                ignored[i] = true;
            }

            offset += 4 + padded;
        }

        var differences = new StringBuilder();
        for (int i = 0; i < expected.Length; i++)
        {
            if (!ignored[i] && expected[i] != actual[i])
            {
                differences.Append(i).Append(' ');
            }
        }

        Assert.True(differences.Length == 0, "bytes differ at " + differences);
    }
}
