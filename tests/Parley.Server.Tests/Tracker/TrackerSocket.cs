using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests.Tracker;

/// <summary>A raw WebSocket client of Parley's <c>/announce</c>, for what no real client would send.</summary>
internal sealed class TrackerSocket : IDisposable
{
    private readonly ClientWebSocket socket = new();

    public static async Task<TrackerSocket> ConnectAsync(ParleyServer server)
    {
        var client = new TrackerSocket();
        await client.socket.ConnectAsync(new Uri($"ws://{server.BaseAddress.Authority}/announce"), CancellationToken.None);
        return client;
    }

    public Task SendAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type) =>
        await socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message (10 s at most), or null when the server closed instead.</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[256 * 1024];
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), timeout.Token);
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return result.MessageType == WebSocketMessageType.Close ? null : JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
    }

    /// <summary>Reads until the server closes; its close status.</summary>
    public async Task<WebSocketCloseStatus?> ReceiveCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return socket.CloseStatus;
    }

    public async Task<JsonObject> ScrapeAsync(string infoHash)
    {
        await SendAsync($$"""{"action":"scrape","info_hash":"{{infoHash}}"}""");
        return (await ReceiveAsync())!;
    }

    public void Dispose() => socket.Dispose();
}
