using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Tests;

/// <summary>
/// A WebSocket client on a raw TCP socket that joins a room and then goes silent: it never reads, so it
/// never answers the server's pings, like a browser whose machine lost power.
/// </summary>
public sealed class SilentClient : IDisposable
{
    private readonly TcpClient tcp = new();

    public static async Task<SilentClient> JoinAsync(Uri server, string room, string name)
    {
        var client = new SilentClient();
        await client.tcp.ConnectAsync(server.Host, server.Port);
        var stream = client.tcp.GetStream();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET /ws HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
                      $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        await stream.WriteAsync(MaskedTextFrame($$"""{"type":"join","protocol":1,"room":"{{room}}","name":"{{name}}"}"""));
        return client;
    }

    /// <summary>RFC 6455 §5.2: a final text frame, masked as every client frame must be.</summary>
    private static byte[] MaskedTextFrame(string text)
    {
        var payload = Encoding.UTF8.GetBytes(text);
        if (payload.Length > 125)
        {
            throw new ArgumentException("Short frames only.", nameof(text));
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        var frame = new byte[2 + 4 + payload.Length];
        frame[0] = 0x81;
        frame[1] = (byte)(0x80 | payload.Length);
        mask.CopyTo(frame, 2);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[6 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    public void Dispose() => tcp.Dispose();
}
