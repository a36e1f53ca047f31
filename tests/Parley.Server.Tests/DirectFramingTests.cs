using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace Parley.Server.Tests;

/// <summary>
/// RFC 6455 framing on the direct WebSocket (Signaling:DirectWebSocket), driven byte by byte from a raw TCP client:
/// the frames a browser never sends but a hostile or odd client may, and the ones the server must take apart.
/// </summary>
public sealed class DirectFramingTests
{
    private const string Join = """{"type":"join","protocol":1,"room":"framing","name":"Ann"}""";

    [Fact]
    public async Task A_message_in_fragments_arriving_a_byte_at_a_time_is_one_message()
    {
        using var server = new ParleyServer();
        await using var client = await RawClient.ConnectAsync(server);

        // §5.4: a text frame without FIN and two continuations; written one byte at a time, so the server meets heads,
        // masks and payloads cut at every offset.
        var bytes = Encoding.UTF8.GetBytes(Join);
        var frames = RawClient.Frame(0x1, bytes[..10], fin: false)
            .Concat(RawClient.Frame(0x0, bytes[10..31], fin: false))
            .Concat(RawClient.Frame(0x0, bytes[31..], fin: true)).ToArray();
        foreach (var b in frames)
        {
            await client.WriteAsync([b]);
        }

        Assert.Contains("\"type\":\"joined\"", await client.ReadTextAsync());
    }

    [Fact]
    public async Task Several_messages_in_one_write_are_each_handled()
    {
        using var server = new ParleyServer();
        await using var client = await RawClient.ConnectAsync(server);

        await client.WriteAsync([.. RawClient.Frame(0x1, Encoding.UTF8.GetBytes(Join)),
            .. RawClient.Frame(0x1, """{"type":"nonsense"}"""u8.ToArray()),
            .. RawClient.Frame(0x9, "are you there"u8.ToArray())]);

        Assert.Contains("\"type\":\"joined\"", await client.ReadTextAsync());
        Assert.Contains("\"code\":\"unknown-type\"", await client.ReadTextAsync());
        var (opcode, payload) = await client.ReadFrameAsync();
        Assert.Equal(0xA, opcode); // §5.5.3: the pong carries the ping's data.
        Assert.Equal("are you there", Encoding.UTF8.GetString(payload));
    }

    [Theory]
    [InlineData(new byte[] { 0x81, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, WebSocketCloseStatus.ProtocolError)] // unmasked (§5.1)
    [InlineData(new byte[] { 0xC1, 0x80, 1, 2, 3, 4 }, WebSocketCloseStatus.ProtocolError)] // RSV1 with no extension (§5.2)
    [InlineData(new byte[] { 0x83, 0x80, 1, 2, 3, 4 }, WebSocketCloseStatus.ProtocolError)] // reserved opcode 3
    [InlineData(new byte[] { 0x09, 0x80, 1, 2, 3, 4 }, WebSocketCloseStatus.ProtocolError)] // fragmented ping (§5.5)
    [InlineData(new byte[] { 0x80, 0x80, 1, 2, 3, 4 }, WebSocketCloseStatus.ProtocolError)] // continuation of nothing (§5.4)
    public async Task A_frame_RFC_6455_forbids_is_closed_with_1002(byte[] frame, WebSocketCloseStatus expected)
    {
        using var server = new ParleyServer();
        await using var client = await RawClient.ConnectAsync(server);

        await client.WriteAsync(frame);

        Assert.Equal(expected, await client.ReadCloseAsync());
    }

    [Fact]
    public async Task Text_that_is_not_UTF8_is_closed_with_1007()
    {
        using var server = new ParleyServer();
        await using var client = await RawClient.ConnectAsync(server);

        await client.WriteAsync(RawClient.Frame(0x1, [(byte)'"', 0xC3, 0x28, (byte)'"']));

        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, await client.ReadCloseAsync());
    }

    [Fact]
    public async Task A_message_in_fragments_over_the_limit_is_refused_with_1009()
    {
        using var server = new ParleyServer(new() { ["Signaling:MaxMessageBytes"] = "1024" });
        await using var client = await RawClient.ConnectAsync(server);

        // Each fragment is small; together they pass the limit.
        var piece = new byte[600];
        Array.Fill(piece, (byte)' ');
        await client.WriteAsync([.. RawClient.Frame(0x1, piece, fin: false), .. RawClient.Frame(0x0, piece, fin: true)]);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReadCloseAsync());
    }

    [Fact]
    public async Task A_client_close_is_answered_with_a_close()
    {
        using var server = new ParleyServer();
        await using var client = await RawClient.ConnectAsync(server);
        var body = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(body, 1000);

        await client.WriteAsync(RawClient.Frame(0x8, body));

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await client.ReadCloseAsync());
    }

    /// <summary>A client that speaks RFC 6455 by hand: masked frames out, unmasked frames in.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly TcpClient tcp;
        private readonly NetworkStream stream;
        private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(10));

        private RawClient(TcpClient tcp)
        {
            this.tcp = tcp;
            tcp.NoDelay = true;
            stream = tcp.GetStream();
        }

        /// <summary>Connects, upgrades and reads the <c>hello</c>.</summary>
        public static async Task<RawClient> ConnectAsync(ParleyServer server)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
            var client = new RawClient(tcp);
            await client.WriteAsync("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"u8.ToArray());
            var head = new StringBuilder();
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                head.Append((char)(await client.ReadExactlyAsync(1))[0]);
            }

            Assert.StartsWith("HTTP/1.1 101 ", head.ToString());
            Assert.Contains("\"type\":\"hello\"", await client.ReadTextAsync());
            return client;
        }

        /// <summary>A masked client frame (RFC 6455 §5.2), with a fixed non-zero key so masking is exercised.</summary>
        public static byte[] Frame(int opcode, byte[] payload, bool fin = true)
        {
            byte[] mask = [0x37, 0xFA, 0x21, 0x3D];
            var head = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
            if (payload.Length < 126)
            {
                head.Add((byte)(0x80 | payload.Length));
            }
            else
            {
                head.Add(0x80 | 126);
                head.Add((byte)(payload.Length >> 8));
                head.Add((byte)payload.Length);
            }

            head.AddRange(mask);
            return [.. head, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
        }

        public async Task WriteAsync(byte[] bytes)
        {
            await stream.WriteAsync(bytes, timeout.Token);
            await stream.FlushAsync(timeout.Token);
        }

        public async Task<(int Opcode, byte[] Payload)> ReadFrameAsync()
        {
            var head = await ReadExactlyAsync(2);
            Assert.Equal(0, head[1] & 0x80); // §5.1: a server never masks.
            int length = head[1] & 0x7F;
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
            }
            else if (length == 127)
            {
                length = checked((int)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8)));
            }

            return (head[0] & 0x0F, await ReadExactlyAsync(length));
        }

        public async Task<string> ReadTextAsync()
        {
            var (opcode, payload) = await ReadFrameAsync();
            Assert.Equal(0x1, opcode);
            return Encoding.UTF8.GetString(payload);
        }

        /// <summary>Reads frames until the close; its status code.</summary>
        public async Task<WebSocketCloseStatus> ReadCloseAsync()
        {
            while (true)
            {
                var (opcode, payload) = await ReadFrameAsync();
                if (opcode == 0x8)
                {
                    return (WebSocketCloseStatus)BinaryPrimitives.ReadUInt16BigEndian(payload);
                }
            }
        }

        private async Task<byte[]> ReadExactlyAsync(int count)
        {
            var bytes = new byte[count];
            await stream.ReadExactlyAsync(bytes, timeout.Token);
            return bytes;
        }

        public ValueTask DisposeAsync()
        {
            timeout.Dispose();
            tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
