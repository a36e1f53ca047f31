using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Parley.Server.Tests;

/// <summary>
/// Signaling:DirectWebSocket: a plain connection whose first request is a clean upgrade to /ws becomes a WebSocket
/// without an HTTP request behind it; everything else still reaches Kestrel and the endpoints.
/// </summary>
public sealed class DirectWebSocketTests
{
    [Fact]
    public async Task The_signaling_WebSocket_is_accepted_beneath_HTTP()
    {
        var requests = new RequestRecorder();
        using var server = new ParleyServer(services: services => services.AddSingleton<IStartupFilter>(requests));
        await using var ann = await server.JoinAsync("direct", "Ann");
        await using var bob = await server.JoinAsync("direct", "Bob");
        await ann.ExpectAsync("participant-joined");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        await http.GetAsync("/healthz");

        // The recorder sees HTTP requests (the health check), but no request for either WebSocket.
        Assert.Contains("/healthz", requests.Paths);
        Assert.DoesNotContain("/ws", requests.Paths);
    }

    [Fact]
    public async Task Switched_off_the_WebSocket_is_an_HTTP_request_again()
    {
        var requests = new RequestRecorder();
        using var server = new ParleyServer(new() { ["Signaling:DirectWebSocket"] = "false" }, services => services.AddSingleton<IStartupFilter>(requests));
        await using var ann = await server.JoinAsync("direct", "Ann");

        Assert.Contains("/ws", requests.Paths);
    }

    [Fact]
    public async Task A_handshake_in_pieces_is_answered_as_RFC_6455_says()
    {
        using var server = new ParleyServer();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();

        // RFC 6455 §1.3's sample key, sent in two writes with a pause between: the head is read until its blank line.
        await stream.WriteAsync("GET /ws?access_token=x HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"u8.ToArray());
        await stream.FlushAsync();
        await Task.Delay(50);
        await stream.WriteAsync("Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"u8.ToArray());

        var response = await ReadAsync(stream, "\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101 ", response);
        Assert.Contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", response);

        // Then the protocol's first message, in an unmasked text frame (RFC 6455 §5.2).
        var hello = await ReadAsync(stream, "}");
        Assert.Contains("\"type\":\"hello\"", hello);
    }

    [Theory]
    [InlineData("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n", "HTTP/1.1 426 ")] // not an upgrade: the endpoint's answer
    [InlineData("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", "HTTP/1.1 200 ")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n", "HTTP/1.1 ")]
    public async Task Anything_else_is_answered_by_Kestrel(string request, string expected)
    {
        using var server = new ParleyServer();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));

        var response = await ReadAsync(stream, "\r\n\r\n");

        Assert.StartsWith(expected, response);
        Assert.DoesNotContain(" 101 ", response);
        Assert.Contains("Server: Kestrel", response); // Kestrel's own answer, not one written beneath it
    }

    private static async Task<string> ReadAsync(NetworkStream stream, string until)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var text = new StringBuilder();
        var buffer = new byte[1];
        while (!text.ToString().Contains(until, StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(buffer, timeout.Token) == 0)
            {
                break;
            }

            text.Append((char)buffer[0]);
        }

        return text.ToString();
    }

    /// <summary>Records the path of every HTTP request the app sees, before any of its own middleware.</summary>
    private sealed class RequestRecorder : IStartupFilter
    {
        private readonly ConcurrentQueue<string> paths = new();

        public IReadOnlyCollection<string> Paths => paths;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                paths.Enqueue(context.Request.Path.Value ?? "");
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
