using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Signaling.Transports;
using Parley.Signaling.Transports.Direct;

namespace Parley.Signaling.Tests;

/// <summary>The direct WebSocket's framing (RFC 6455 §5): the head parser, masking, close bodies and the pipe transport.</summary>
public class DirectFrameTests
{
    [Theory]
    [InlineData(new byte[] { 0x81, 0x85, 1, 2, 3, 4 }, (int)FrameRead.Complete, 5L, 6)]
    [InlineData(new byte[] { 0x82, 0xFE, 0x01, 0x00, 1, 2, 3, 4 }, (int)FrameRead.Complete, 256L, 8)]
    [InlineData(new byte[] { 0x81, 0xFF, 0, 0, 0, 0, 0, 1, 0, 0, 1, 2, 3, 4 }, (int)FrameRead.Complete, 65536L, 14)]
    [InlineData(new byte[] { 0x81 }, (int)FrameRead.NeedMore, 0L, 0)]
    [InlineData(new byte[] { 0x81, 0xFE, 0x01 }, (int)FrameRead.NeedMore, 0L, 0)]
    [InlineData(new byte[] { 0x81, 0x85, 1, 2, 3 }, (int)FrameRead.NeedMore, 0L, 0)]
    [InlineData(new byte[] { 0x81, 0x05, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // unmasked (§5.1)
    [InlineData(new byte[] { 0x91, 0x85, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // RSV3
    [InlineData(new byte[] { 0x8B, 0x80, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // reserved control opcode
    [InlineData(new byte[] { 0x89, 0xFE, 0x00, 0x7E, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // ping over 125 bytes
    [InlineData(new byte[] { 0x08, 0x80, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // fragmented close
    [InlineData(new byte[] { 0x81, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4 }, (int)FrameRead.Invalid, 0L, 0)] // 64-bit length with its top bit set
    public void Heads_are_read_as_RFC_6455_section_5_2_draws_them(byte[] bytes, int expected, long length, int headLength)
    {
        var read = FrameHeader.TryRead(bytes, out var header, out var error);

        Assert.Equal((FrameRead)expected, read);
        if (read == FrameRead.Complete)
        {
            Assert.Equal(length, header.PayloadLength);
            Assert.Equal(headLength, header.HeadLength);
            Assert.Equal(0x04030201u, header.Mask);
        }
        else if (read == FrameRead.Invalid)
        {
            Assert.Equal(WebSocketCloseStatus.ProtocolError, error);
        }
    }

    [Fact]
    public void Unmasking_in_pieces_at_any_offset_equals_unmasking_whole()
    {
        var random = new Random(6455);
        for (var round = 0; round < 200; round++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            var key = new byte[4];
            random.NextBytes(key);
            var expected = payload.Select((b, i) => (byte)(b ^ key[i % 4])).ToArray();

            var actual = payload.ToArray();
            var offset = 0;
            while (offset < actual.Length)
            {
                var piece = random.Next(1, actual.Length - offset + 1);
                FrameMask.Apply(actual.AsSpan(offset, piece), BitConverter.ToUInt32(key), offset);
                offset += piece;
            }

            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(new byte[0], true, null)]
    [InlineData(new byte[] { 0x03, 0xE8 }, true, 1000)]
    [InlineData(new byte[] { 0x0F, 0xA0, (byte)'b', (byte)'y', (byte)'e' }, true, 4000)]
    [InlineData(new byte[] { 0x03 }, false, null)] // one byte
    [InlineData(new byte[] { 0x03, 0xED }, false, 1005)] // 1005 is never sent (§7.4.1)
    [InlineData(new byte[] { 0x03, 0xE8, 0xC3, 0x28 }, false, null)] // a reason that is not UTF-8
    public void Close_bodies_are_read_as_RFC_6455_section_5_5_1_says(byte[] body, bool valid, int? status)
    {
        Assert.Equal(valid, CloseFrame.TryRead(body, out var read));
        Assert.Equal(status, (int?)read);
    }

    [Fact]
    public void A_close_reason_is_cut_between_characters_to_fit_a_control_frame()
    {
        var body = new byte[FrameHeader.MaxControlPayload];
        var length = CloseFrame.Write(body, WebSocketCloseStatus.PolicyViolation, new string('é', 100));

        Assert.True(length <= FrameHeader.MaxControlPayload);
        Assert.True(CloseFrame.TryRead(body.AsSpan(0, length), out var status));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.Equal(0, CloseFrame.Write(body, WebSocketCloseStatus.Empty, "ignored"));
    }

    [Fact]
    public void Random_heads_and_close_bodies_never_throw()
    {
        var random = new Random(8455);
        var bytes = new byte[16];
        for (var i = 0; i < 100_000; i++)
        {
            random.NextBytes(bytes);
            var length = random.Next(0, bytes.Length + 1);
            FrameHeader.TryRead(bytes.AsSpan(0, length), out _, out _);
            CloseFrame.TryRead(bytes.AsSpan(0, length), out _);
        }
    }

    [Fact]
    public async Task Messages_cut_at_every_byte_arrive_whole_and_in_order()
    {
        // Three messages: one frame, three fragments with a ping between them (§5.4 allows control frames there), one frame.
        byte[] stream = [.. Frame(0x1, "first"u8), .. Frame(0x1, "sec"u8, fin: false), .. Frame(0x0, "o"u8, fin: false),
            .. Frame(0x9, "p"u8), .. Frame(0x0, "nd"u8), .. Frame(0x1, "third"u8)];
        for (var cut = 1; cut < stream.Length; cut++)
        {
            var (messages, pongs, end) = await RunAsync([stream[..cut], stream[cut..]]);

            Assert.Equal(["first", "second", "third"], messages);
            Assert.Equal(1, pongs);
            Assert.False(end.CloseReceived);
        }
    }

    [Fact]
    public async Task A_close_frame_ends_the_receive_with_its_status()
    {
        var (messages, _, end) = await RunAsync([[.. Frame(0x1, "{}"u8), .. Frame(0x8, [0x0F, 0xA0])]]);

        Assert.Equal(["{}"], messages);
        Assert.True(end.CloseReceived);
        Assert.False(end.LeftCleanly); // 4000: reconnecting
    }

    /// <summary>Writes <paramref name="writes"/> into a pipe one after another and runs the transport over it to the end.</summary>
    private static async Task<(List<string> Messages, int Pongs, TransportEnd End)> RunAsync(byte[][] writes)
    {
        var input = new Pipe();
        var output = new Pipe();
        var transport = new PipeWebSocketTransport(new Duplex(input.Reader, output.Writer), 1024, NullLogger.Instance, "test");
        var inbound = new Recorder();
        var receiving = transport.ReceiveAsync(inbound, CancellationToken.None);
        foreach (var write in writes)
        {
            await input.Writer.WriteAsync(write);
        }

        await input.Writer.CompleteAsync();
        var end = await receiving.WaitAsync(TimeSpan.FromSeconds(10));
        await output.Writer.CompleteAsync();

        var pongs = 0;
        var sent = (await output.Reader.ReadAsync()).Buffer.ToArray();
        for (var i = 0; i < sent.Length; i += 2 + sent[i + 1])
        {
            Assert.Equal(0x8A, sent[i]); // a final pong, unmasked
            pongs++;
        }

        return (inbound.Messages, pongs, end);
    }

    private static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool fin = true)
    {
        byte[] mask = [0xA1, 0x02, 0xFF, 0x5C];
        byte[] frame = [(byte)((fin ? 0x80 : 0) | opcode), (byte)(0x80 | payload.Length), .. mask, .. payload];
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] ^= mask[i % 4];
        }

        return frame;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;
    }

    private sealed class Recorder : IInboundMessages
    {
        public List<string> Messages { get; } = [];

        public bool IsClosing => false;

        public void OnMessage(ReadOnlySpan<byte> message, bool isText) => Messages.Add(Encoding.UTF8.GetString(message));

        public void OnTooLarge() => Messages.Add("too large");
    }
}
