using System.Buffers.Binary;
using System.Net;
using Parley.Stun.Attributes;

namespace Parley.Stun.Tests;

/// <summary>
/// 100,000 random and mutated inputs (seeded, so failures reproduce) through every parser: nothing throws,
/// every view stays inside the slice it was given, and the result does not depend on the bytes after it.
/// </summary>
public class FuzzTests
{
    private const int Iterations = 100_000;
    private static readonly byte[] Key = StunKeys.ShortTerm("fuzz");

    [Fact]
    public void Parsers_survive_random_and_mutated_input()
    {
        var random = new Random(5769);
        List<byte[]> corpus = BuildCorpus();
        int parsedStun = 0, parsedChannelData = 0;
        var outer = new byte[70_000];
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = i % 5 == 0 ? RandomInput(random) : Mutate(corpus[random.Next(corpus.Count)], random);

            // The input sits at a random offset in a larger array; the bytes around it are sentinels that differ
            // between two runs. A parser that looked outside its slice would see them.
            int offset = random.Next(0, 32);
            input.CopyTo(outer, offset);
            ulong first, second;
            try
            {
                random.NextBytes(outer.AsSpan(offset + input.Length, 64));
                first = Exercise(outer.AsSpan(offset, input.Length), ref parsedStun, ref parsedChannelData);
                outer.AsSpan(offset + input.Length, 64).Fill(0xA5);
                outer.AsSpan(0, offset).Fill(0x5A);
                int ignored1 = 0, ignored2 = 0;
                second = Exercise(outer.AsSpan(offset, input.Length), ref ignored1, ref ignored2);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} threw on {Convert.ToHexString(input)}: {e}");
                return;
            }

            Assert.True(first == second, $"iteration {i}: result depends on bytes outside the input {Convert.ToHexString(input)}");
        }

        // The mutations must reach deep code, not just bounce off the header check.
        Assert.True(parsedStun > Iterations / 10, $"only {parsedStun} inputs parsed as STUN");
        Assert.True(parsedChannelData > Iterations / 100, $"only {parsedChannelData} inputs parsed as ChannelData");
    }

    private static ulong Exercise(ReadOnlySpan<byte> input, ref int parsedStun, ref int parsedChannelData)
    {
        var hash = new HashCode();
        if (StunMessage.TryRead(input, out StunMessage message, out StunError error))
        {
            parsedStun++;
            Assert.Equal(input.Length, message.Raw.Length);
            hash.Add(message.Type);
            hash.Add(message.TransactionId);
            foreach (StunTlv tlv in message)
            {
                AssertInside(input, tlv.Value);
                hash.Add(tlv.Type);
                hash.Add(tlv.Value.Length);
                ParseWithEveryAttribute(tlv.Value, message.TransactionId, ref hash);
            }

            foreach (StunAttributeType type in AttributeReader.ReadableTypes)
            {
                hash.Add(AttributeReader.TryGet(message, type, out object? value, out error));
                hash.Add(error);
                hash.Add(value is byte[] bytes ? Convert.ToHexString(bytes) : value);
            }

            hash.Add(MessageIntegrity.Verify(message, Key, out error));
            hash.Add(error);
            hash.Add(MessageIntegritySha256.Verify(message, Key, out error, minimumLength: 16));
            hash.Add(error);
            hash.Add(Fingerprint.Verify(message, out error));
            hash.Add(error);
            hash.Add(message.FindUnknownComprehensionRequired(stackalloc StunAttributeType[4]));
        }
        else
        {
            hash.Add(error);
            Assert.True(error.IsError);
        }

        foreach (bool stream in (ReadOnlySpan<bool>)[false, true])
        {
            if (ChannelData.TryRead(input, stream, out ChannelData frame, out int frameLength, out error))
            {
                parsedChannelData++;
                AssertInside(input, frame.Data);
                Assert.InRange(frameLength, ChannelData.HeaderLength + frame.Data.Length, input.Length);
                hash.Add(frame.ChannelNumber);
                hash.Add(frame.Data.Length);
            }

            hash.Add(error);
        }

        hash.Add(StunFraming.TryGetFrameLength(input, out StunFrameKind kind, out int length));
        hash.Add(kind);
        hash.Add(length);
        return (ulong)(uint)hash.ToHashCode();
    }

    /// <summary>Feeds any value to every attribute's TryParse (most will reject it; none may throw).</summary>
    private static void ParseWithEveryAttribute(ReadOnlySpan<byte> value, TransactionId id, ref HashCode hash)
    {
        hash.Add(MappedAddress.TryParse(value, out MappedAddress mapped, out StunError e)); hash.Add(mapped); hash.Add(e);
        hash.Add(XorMappedAddress.TryParse(value, id, out XorMappedAddress xor, out e)); hash.Add(xor); hash.Add(e);
        hash.Add(XorPeerAddress.TryParse(value, id, out XorPeerAddress peer, out e)); hash.Add(peer); hash.Add(e);
        hash.Add(XorRelayedAddress.TryParse(value, id, out XorRelayedAddress relayed, out e)); hash.Add(relayed); hash.Add(e);
        hash.Add(AlternateServer.TryParse(value, out AlternateServer alternate, out e)); hash.Add(alternate); hash.Add(e);
        hash.Add(Username.TryParse(value, out Username username, out e)); hash.Add(username); hash.Add(e);
        hash.Add(Realm.TryParse(value, out Realm realm, out e)); hash.Add(realm); hash.Add(e);
        hash.Add(Nonce.TryParse(value, out Nonce nonce, out e)); hash.Add(nonce); hash.Add(e);
        hash.Add(Software.TryParse(value, out Software software, out e)); hash.Add(software); hash.Add(e);
        hash.Add(AlternateDomain.TryParse(value, out AlternateDomain domain, out e)); hash.Add(domain); hash.Add(e);
        hash.Add(ErrorCode.TryParse(value, out ErrorCode code, out e)); hash.Add(code); hash.Add(e);
        hash.Add(AddressErrorCode.TryParse(value, out AddressErrorCode addressCode, out e)); hash.Add(addressCode); hash.Add(e);
        hash.Add(PasswordAlgorithm.TryParse(value, out PasswordAlgorithm algorithm, out e)); hash.Add(algorithm); hash.Add(e);
        hash.Add(PasswordAlgorithms.TryParse(value, out PasswordAlgorithms algorithms, out e)); hash.Add(algorithms); hash.Add(e);
        hash.Add(UnknownAttributes.TryParse(value, out UnknownAttributes unknown, out e)); hash.Add(unknown); hash.Add(e);
        hash.Add(UserHash.TryParse(value, out UserHash userHash, out e)); hash.Add(userHash.Value.Length); hash.Add(e);
        hash.Add(ChannelNumber.TryParse(value, out ChannelNumber channel, out e)); hash.Add(channel); hash.Add(e);
        hash.Add(Lifetime.TryParse(value, out Lifetime lifetime, out e)); hash.Add(lifetime); hash.Add(e);
        hash.Add(RequestedAddressFamily.TryParse(value, out RequestedAddressFamily requested, out e)); hash.Add(requested); hash.Add(e);
        hash.Add(AdditionalAddressFamily.TryParse(value, out AdditionalAddressFamily additional, out e)); hash.Add(additional); hash.Add(e);
        hash.Add(EvenPort.TryParse(value, out EvenPort evenPort, out e)); hash.Add(evenPort); hash.Add(e);
        hash.Add(RequestedTransport.TryParse(value, out RequestedTransport transport, out e)); hash.Add(transport); hash.Add(e);
        hash.Add(DontFragment.TryParse(value, out _, out e)); hash.Add(e);
        hash.Add(ReservationToken.TryParse(value, out ReservationToken token, out e)); hash.Add(token); hash.Add(e);
        hash.Add(Icmp.TryParse(value, out Icmp icmp, out e)); hash.Add(icmp); hash.Add(e);
    }

    private static void AssertInside(ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner)
    {
        if (inner.IsEmpty)
        {
            return;
        }

        Assert.True(outer.Overlaps(inner, out int offset), "a view points outside the input");
        Assert.InRange(offset, 0, outer.Length - inner.Length);
    }

    private static List<byte[]> BuildCorpus()
    {
        var corpus = new List<byte[]>(TestVectors.Vectors.Values);
        TransactionId id = TransactionId.NewId();
        var v4 = new TransportAddress(IPAddress.Parse("198.51.100.9"), 40000);
        var v6 = new TransportAddress(IPAddress.Parse("2001:db8::9"), 40001);
        corpus.Add(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), id,
            new Username("1735689600:alice"), new Realm("parley"), new Nonce("obMatJos2AAACabc"), RequestedTransport.UdpTransport,
            new Lifetime(600), new EvenPort(true), new DontFragment(), new RequestedAddressFamily(StunAddressFamily.IPv4),
            new AdditionalAddressFamily(StunAddressFamily.IPv6), new PasswordAlgorithm(StunPasswordAlgorithm.Sha256),
            PasswordAlgorithms.Of(StunPasswordAlgorithm.Sha256, StunPasswordAlgorithm.Md5),
            new MessageIntegrity(Key), new MessageIntegritySha256(Key), new Fingerprint()));
        corpus.Add(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.SuccessResponse), id,
            new XorRelayedAddress(v4), new XorRelayedAddress(v6), new XorMappedAddress(v4), new Lifetime(600),
            new ReservationToken(42), new AddressErrorCode(StunAddressFamily.IPv6, StunErrorCode.InsufficientCapacity, "x"),
            new MessageIntegrity(Key), new Fingerprint()));
        corpus.Add(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.ErrorResponse), id,
            new ErrorCode(StunErrorCode.UnknownAttribute, "Unknown"), new UnknownAttributes([(StunAttributeType)0x31]),
            new AlternateServer(v6), new AlternateDomain("turn.example"), new Software("Parley")));
        corpus.Add(StunMessage.Build(new StunMessageType(StunMethod.ChannelBind, StunClass.Request), id,
            new ChannelNumber(0x4001), new XorPeerAddress(v6), new Icmp(3, 4, 1280)));
        var send = new byte[256];
        var writer = new StunMessageWriter(send, new StunMessageType(StunMethod.Send, StunClass.Indication), id);
        writer.Add(new XorPeerAddress(v4));
        writer.Add(new Data([1, 2, 3, 4, 5]));
        writer.Add(new UserHash(new byte[32]));
        corpus.Add(writer.WrittenSpan.ToArray());
        foreach (int length in (int[])[0, 1, 5, 100])
        {
            var frame = new byte[ChannelData.GetPaddedLength(length)];
            ChannelData.TryWrite(frame, 0x4123, new byte[length], pad: true, out _, out _);
            corpus.Add(frame);
        }

        return corpus;
    }

    private static byte[] RandomInput(Random random)
    {
        var bytes = new byte[random.Next(0, 160)];
        random.NextBytes(bytes);
        if (bytes.Length >= 20 && random.Next(2) == 0)
        {
            // A plausible header so the attribute walker gets random TLVs.
            bytes[0] &= 0x3F;
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4), StunMessage.MagicCookie);
            BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(2), (ushort)((bytes.Length - 20) & ~3));
        }

        return bytes;
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(256), random.Next(1, 9))); break;
                case 4:
                    // Rewrite a 16-bit length field: the header's, or one that may be an attribute's.
                    int field = random.Next(2) == 0 ? 2 : 20 + (4 * random.Next(Math.Max(1, (bytes.Count - 20) / 4))) + 2;
                    if (field + 1 < bytes.Count)
                    {
                        int value = random.Next(3) == 0 ? random.Next(65536) : random.Next(64);
                        bytes[field] = (byte)(value >> 8);
                        bytes[field + 1] = (byte)value;
                    }

                    break;
                case 5:
                    int length = Math.Min(random.Next(1, 16), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
                default:
                    // Keep the header length consistent with the (mutated) body, to get past the length check.
                    if (bytes.Count >= 20)
                    {
                        int body = (bytes.Count - 20) & ~3;
                        bytes.RemoveRange(20 + body, bytes.Count - 20 - body);
                        bytes[2] = (byte)(body >> 8);
                        bytes[3] = (byte)body;
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
