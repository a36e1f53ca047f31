using System.Text;
using Parley.Scale.Bridges;
using Parley.Scale.Store;

namespace Parley.Signaling.Tests.Scale;

/// <summary>
/// The frames nodes exchange over Redis (several nodes): what is written reads back the same, and no byte string, cut
/// short or random, makes a reader throw: a reader says no instead.
/// </summary>
public class BridgeFrameTests
{
    private const string Id = "0123456789abcdef";

    [Fact]
    public void A_frame_reads_back_as_written()
    {
        var payload = Encoding.UTF8.GetBytes("""{"type":"offer","to":"p_x","sdp":"v=0"}""");
        var bytes = BridgeFrame.Write(BridgeFrameKind.Message, BridgeFrame.TextFlag, Id, 42, 1_796_000_000_123, payload);

        Assert.True(BridgeFrame.TryRead(bytes, out var frame));
        Assert.Equal(BridgeFrameKind.Message, frame.Kind);
        Assert.Equal(BridgeFrame.TextFlag, frame.Flags);
        Assert.Equal(Id, Encoding.ASCII.GetString(frame.Id));
        Assert.Equal(42u, frame.Sequence);
        Assert.Equal(1_796_000_000_123, frame.SentAtMilliseconds);
        Assert.Equal(payload, frame.Payload.ToArray());
    }

    [Fact]
    public void An_open_payload_reads_back_with_the_first_message()
    {
        var open = new OpenPayload("node-a", "2001:db8::7", "voice.example.org", "eyJ.token.sig");
        var first = """{"type":"join","protocol":1,"room":"r"}"""u8.ToArray();

        Assert.True(OpenPayload.TryRead(open.Write(first), out var read, out var message));
        Assert.Equal(open, read);
        Assert.Equal(first, message.ToArray());

        Assert.True(OpenPayload.TryRead(new OpenPayload("node-b", null, null, null).Write(first), out var bare, out _));
        Assert.Null(bare.RemoteAddress);
        Assert.Null(bare.AccessToken);
    }

    [Fact]
    public void A_close_payload_reads_back_and_an_overlong_reason_is_refused()
    {
        Assert.True(BridgeFrame.TryReadClose(BridgeFrame.ClosePayload(1012, "goaway"), out var status, out var reason));
        Assert.Equal((1012, "goaway"), (status, reason));
        Assert.False(BridgeFrame.TryReadClose(BridgeFrame.ClosePayload(1000, new string('x', 124)), out _, out _));
        Assert.False(BridgeFrame.TryReadClose([3], out _, out _));
    }

    [Fact]
    public void Truncated_frames_and_payloads_are_refused_without_throwing()
    {
        var frame = BridgeFrame.Write(BridgeFrameKind.Open, BridgeFrame.TextFlag, Id, 1, 5,
            new OpenPayload("node-a", "127.0.0.1", "h", "t").Write("{}"u8));
        for (var length = 0; length < BridgeFrame.HeaderLength; length++)
        {
            Assert.False(BridgeFrame.TryRead(frame.AsSpan(0, length), out _));
        }

        Assert.True(BridgeFrame.TryRead(frame, out var whole));
        var payload = whole.Payload.ToArray();
        for (var length = 0; length < payload.Length - 2; length++)
        {
            // Every cut inside the four strings is refused; a cut in the message only shortens the message.
            _ = OpenPayload.TryRead(payload.AsSpan(0, length), out _, out _);
        }

        Assert.False(OpenPayload.TryRead(payload.AsSpan(0, 3), out _, out _));
    }

    [Fact]
    public void Random_bytes_never_make_a_reader_throw()
    {
        var random = new Random(16);
        var buffer = new byte[256];
        var entries = new List<Introduction>();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = buffer.AsSpan(0, random.Next(buffer.Length));
            random.NextBytes(bytes);
            if (i % 3 == 0 && bytes.Length > 0)
            {
                bytes[0] = (byte)random.Next(1, 11); // a valid kind, so the rest is read
            }

            if (BridgeFrame.TryRead(bytes, out var frame))
            {
                _ = OpenPayload.TryRead(frame.Payload, out _, out _);
                _ = BridgeFrame.TryReadClose(frame.Payload, out _, out _);
                _ = Introductions.TryRead(frame.Payload, out _, entries);
                _ = RelayPayload.TryRead(frame.Payload, out _, out _);
                _ = Parley.Scale.Admin.AdminCalls.TryReadRequest(frame.Payload, out _, out _);
            }
        }
    }

    [Fact]
    public void Unknown_kinds_are_refused()
    {
        var bytes = BridgeFrame.Write(BridgeFrameKind.Probe, 0, Id, 0, 0, default);
        bytes[0] = 0;
        Assert.False(BridgeFrame.TryRead(bytes, out _));
        bytes[0] = 11;
        Assert.False(BridgeFrame.TryRead(bytes, out _));
    }

    [Theory]
    [InlineData("lobby", "LOBBY")]
    [InlineData("Game Night", "GAME NIGHT")]
    [InlineData("a}{b", "A%7D%7BB")]
    [InlineData("100%", "100%25")]
    public void Room_keys_share_one_hash_tag_that_a_name_cannot_move(string room, string tag)
    {
        var keys = new RedisKeys("parley");

        Assert.Equal(tag, RedisKeys.Tag(room));
        Assert.Equal($"parley:{{r:{tag}}}:owner", (string)keys.RoomOwner(room)!);
        Assert.Equal($"parley:{{r:{tag}}}:seats", (string)keys.RoomSeats(room)!);
        Assert.Equal(keys.RoomOwner(room.ToLowerInvariant()), keys.RoomOwner(room.ToUpperInvariant()));
    }
}
