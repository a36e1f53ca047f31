using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;

namespace Parley.Server.Tests;

/// <summary>
/// What every test client does whatever carries its messages: an inbox the transport's reader fills, the server's
/// heartbeat <c>ping</c> answered with <c>pong</c> unless told otherwise (as the SDK does, unseen by the test), and the
/// protocol steps (join, resume, expect) built on sending text and receiving JSON.
/// </summary>
public abstract class SignalingTestClient(bool answersHeartbeats) : ISignalingTestClient
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly Channel<JsonElement> inbox = Channel.CreateUnbounded<JsonElement>();

    public abstract string Transport { get; }

    public string Id { get; private set; } = "";

    public JsonElement Hello { get; protected set; }

    public JsonElement Joined { get; private set; }

    public abstract WebSocketCloseStatus? CloseStatus { get; }

    public async Task JoinAsync(string room, string name, bool muted = false) =>
        await JoinWithAsync(new { type = "join", protocol = 1, room, name, muted });

    public async Task JoinWithAsync(object join)
    {
        await SendAsync(join);
        Joined = await ExpectAsync("joined");
        Id = Joined.GetProperty("self").GetProperty("id").GetString()!;
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public abstract Task SendTextAsync(string text);

    public async Task<JsonElement> ResumeAsync(string room, string token, string name, bool muted = false)
    {
        await JoinWithAsync(new { type = "resume", protocol = 1, room, token, name, muted });
        return Joined;
    }

    public abstract Task CloseAsync(WebSocketCloseStatus status);

    public abstract void Abort();

    public async Task<JsonElement> ReceiveAsync() =>
        await TryReceiveAsync() ?? throw new Xunit.Sdk.XunitException($"The server ended the session ({CloseStatus} {CloseDescription}).");

    public async Task<JsonElement?> TryReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(Deadline);
        return await inbox.Reader.WaitToReadAsync(timeout.Token) && inbox.Reader.TryRead(out var message) ? message : null;
    }

    public async Task<JsonElement> ExpectAsync(string type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            var actual = message.GetProperty("type").GetString();
            if (actual == type)
            {
                return message;
            }

            if (actual == "error")
            {
                throw new Xunit.Sdk.XunitException($"Expected '{type}' but got {message}");
            }
        }
    }

    public async Task<JsonElement> ExpectErrorAsync(string code)
    {
        var message = await ReceiveAsync();
        Assert.Equal("error", message.GetProperty("type").GetString());
        Assert.Equal(code, message.GetProperty("code").GetString());
        return message;
    }

    public async Task<List<JsonElement>> ReadUntilClosedAsync()
    {
        var messages = new List<JsonElement>();
        while (await TryReceiveAsync() is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public async Task AssertAliveAsync()
    {
        var id = Guid.NewGuid().ToString("N");
        await SendAsync(new { type = "ping", id });
        var pong = await ReceiveAsync();
        Assert.Equal("pong", pong.GetProperty("type").GetString());
        Assert.Equal(id, pong.GetProperty("id").GetString());
    }

    public abstract ValueTask DisposeAsync();

    /// <summary>For failure messages: why the session ended, as far as the transport knows.</summary>
    protected virtual string? CloseDescription => null;

    /// <summary>The transport's reader hands over each message the server sent, in order.</summary>
    protected void OnReceived(JsonElement message)
    {
        if (answersHeartbeats && message.GetProperty("type").GetString() == "ping")
        {
            _ = AnswerPingAsync();
            return;
        }

        inbox.Writer.TryWrite(message);
    }

    /// <summary>The session ended: once the inbox is read, <see cref="TryReceiveAsync"/> returns null.</summary>
    protected void OnEnded() => inbox.Writer.TryComplete();

    private async Task AnswerPingAsync()
    {
        try
        {
            await SendTextAsync("""{"type":"pong"}""");
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The session is closing under the answer; nothing to tell.
        }
    }
}
