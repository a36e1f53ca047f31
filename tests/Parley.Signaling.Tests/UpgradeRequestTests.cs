using System.Text;
using Parley.Signaling.Transports.Direct;

namespace Parley.Signaling.Tests;

public sealed class UpgradeRequestTests
{
    private const string Valid =
        "GET /ws?access_token=a%20b HTTP/1.1\r\nHost: example.com:8080\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: http://example.com\r\n\r\n";

    [Fact]
    public void A_clean_upgrade_is_read()
    {
        Assert.True(UpgradeRequest.TryRead(Encoding.ASCII.GetBytes(Valid), "/ws", out var request));
        Assert.Equal(new UpgradeRequest("example.com:8080", "access_token=a%20b", "dGhlIHNhbXBsZSBub25jZQ=="), request);
    }

    [Theory]
    [InlineData("GET /ws?access_token=a%20b HTTP/1.1", "GET /ws HTTP/1.1")] // no query at all
    [InlineData("Upgrade: websocket", "upgrade: WebSocket")] // header names and the token ignore case
    [InlineData("Connection: keep-alive, Upgrade", "Connection:upgrade")]
    public void Variants_that_are_still_clean_upgrades(string from, string to) =>
        Assert.True(UpgradeRequest.TryRead(Encoding.ASCII.GetBytes(Valid.Replace(from, to)), "/ws", out _));

    [Theory]
    [InlineData("GET /ws?", "GET /wsx?")] // another path
    [InlineData("GET /ws?", "GET /WS?")] // paths are compared exactly; Kestrel's routing decides the rest
    [InlineData("GET ", "POST ")]
    [InlineData("HTTP/1.1\r\n", "HTTP/1.0\r\n")]
    [InlineData("Host: example.com:8080\r\n", "")]
    [InlineData("Host: example.com:8080\r\n", "Host: a\r\nHost: b\r\n")]
    [InlineData("Upgrade: websocket", "Upgrade: websocket, h2c")]
    [InlineData("Connection: keep-alive, Upgrade", "Connection: keep-alive")]
    [InlineData("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ")] // not 16 bytes
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", "dGhlIHNhbXBsZSBub25jZQ=!")]
    [InlineData("Origin: http://example.com\r\n", "Content-Length: 5\r\n")]
    [InlineData("Origin: http://example.com\r\n", "Transfer-Encoding: chunked\r\n")]
    [InlineData("Origin: http://example.com\r\n", "Origin: http://example.com\r\n  folded\r\n")] // obs-fold, RFC 9112 §5.2
    [InlineData("Origin: http://example.com\r\n", "Origin: http://ex\u00e4mple.com\r\n")]
    [InlineData("Origin: http://example.com\r\n", "Origin : http://example.com\r\n")]
    [InlineData("\r\n\r\n", "\r\n")] // not a whole head
    public void Anything_else_is_left_to_Kestrel(string from, string to) =>
        Assert.False(UpgradeRequest.TryRead(Encoding.Latin1.GetBytes(Valid.Replace(from, to)), "/ws", out _));

    [Theory]
    [InlineData("", true)]
    [InlineData("GE", true)]
    [InlineData("GET /w", true)]
    [InlineData("GET /ws", true)]
    [InlineData("GET /ws ", true)]
    [InlineData("GET /ws?", true)]
    [InlineData("GET /wsx", false)]
    [InlineData("GET /", true)]
    [InlineData("GET /index.html", false)]
    [InlineData("\u0016\u0003\u0001", false)] // a TLS ClientHello: HTTPS goes to Kestrel
    [InlineData("PRI * HTTP/2.0", false)]
    public void The_first_bytes_decide_early(string start, bool mayBe) =>
        Assert.Equal(mayBe, UpgradeRequest.MayBeFor(Encoding.Latin1.GetBytes(start), "/ws"));

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(19);
        var valid = Encoding.ASCII.GetBytes(Valid);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var cut = bytes.AsSpan(0, random.Next(bytes.Length + 1));
            _ = UpgradeRequest.MayBeFor(cut, "/ws");
            _ = UpgradeRequest.HeadLength(cut);
            _ = UpgradeRequest.TryRead(cut, "/ws", out _);
        }
    }

    [Fact]
    public void The_accept_value_is_RFC_6455s_example() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", UpgradeResponse.AcceptValue("dGhlIHNhbXBsZSBub25jZQ=="));
}
