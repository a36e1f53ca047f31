using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.Server.Tests.PeerJs;

/// <summary>
/// A PeerJS client on a real WebSocket, as the <c>peerjs</c> library speaks to its server: connects to
/// <c>/peerjs/peerjs?key=&amp;id=&amp;token=&amp;version=</c>, sends raw frames, reads JSON messages with a deadline. It reads
/// all the time in the background, so the server's WebSocket pings are answered.
/// </summary>
public sealed class PeerJsTestClient : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly ClientWebSocket socket;
    private readonly Channel<JsonElement> inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly Task pump;

    private PeerJsTestClient(ClientWebSocket socket, string id)
    {
        this.socket = socket;
        Id = id;
        pump = Task.Run(PumpAsync);
    }

    public string Id { get; }

    public WebSocketCloseStatus? CloseStatus => socket.CloseStatus;

    public static Uri SocketUri(Uri server, string? id, string? token, string? key = "peerjs")
    {
        var query = new List<string>();
        if (key is not null) query.Add("key=" + Uri.EscapeDataString(key));
        if (id is not null) query.Add("id=" + Uri.EscapeDataString(id));
        if (token is not null) query.Add("token=" + Uri.EscapeDataString(token));
        query.Add("version=1.5.5");
        return new($"ws://{server.Authority}/peerjs/peerjs?{string.Join('&', query)}");
    }

    /// <summary>Connects without waiting for anything.</summary>
    public static async Task<PeerJsTestClient> ConnectAsync(Uri server, string? id, string? token, string? key = "peerjs")
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(SocketUri(server, id, token, key), timeout.Token);
        return new PeerJsTestClient(socket, id ?? "");
    }

    /// <summary>Connects and expects <c>OPEN</c>.</summary>
    public static async Task<PeerJsTestClient> OpenAsync(Uri server, string id, string token = "tok")
    {
        var client = await ConnectAsync(server, id, token);
        await client.ExpectAsync("OPEN");
        return client;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) => SendRawAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.SendAsync(bytes, type, true, timeout.Token);
    }

    /// <summary>The next message; fails on a deadline or a closed socket.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        try
        {
            return await inbox.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"{Id}: the socket closed ({socket.CloseStatus} {socket.CloseStatusDescription}) while a message was expected.");
        }
    }

    public async Task<JsonElement> ExpectAsync(string type)
    {
        var message = await NextAsync();
        Assert.Equal(type, message.GetProperty("type").GetString());
        return message;
    }

    /// <summary>Fails if a message arrives within <paramref name="wait"/> (real time: the server had its chance).</summary>
    public async Task ExpectNothingAsync(TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromMilliseconds(300));
        try
        {
            var message = await inbox.Reader.ReadAsync(timeout.Token);
            Assert.Fail($"{Id}: expected nothing, got {message}");
        }
        catch (OperationCanceledException)
        {
        }
        catch (ChannelClosedException)
        {
        }
    }

    /// <summary>Every message until the server closes the socket (bounded).</summary>
    public async Task<List<JsonElement>> ReadUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        using var timeout = new CancellationTokenSource(Deadline);
        await foreach (var message in inbox.Reader.ReadAllAsync(timeout.Token))
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>
    /// A message to itself and back: the server handles a client's messages in order, so everything sent before has
    /// been handled (for a test that moves the fake clock next).
    /// </summary>
    public async Task SyncAsync()
    {
        await SendAsync(new { type = "CANDIDATE", dst = Id, payload = "sync" });
        var echo = await ExpectAsync("CANDIDATE");
        Assert.Equal("sync", echo.GetProperty("payload").GetString());
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    break;
                }

                inbox.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone());
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            inbox.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await Task.WhenAny(pump, Task.Delay(2000));
        socket.Dispose();
    }
}
