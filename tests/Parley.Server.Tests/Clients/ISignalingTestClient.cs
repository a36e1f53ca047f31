using System.Net.WebSockets;
using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>
/// A signaling test client over any transport: <see cref="SignalingClient"/> on a WebSocket, <see cref="HttpSignalingClient"/>
/// over HTTP (an event stream or long polls down, numbered POSTs up). Tests written against this run over each.
/// </summary>
public interface ISignalingTestClient : IAsyncDisposable
{
    /// <summary><c>websocket</c>, <c>sse</c> or <c>long-poll</c>.</summary>
    string Transport { get; }

    string Id { get; }

    JsonElement Hello { get; }

    JsonElement Joined { get; }

    /// <summary>The close code the server ended the session with (a close frame, or HTTP's <c>close</c> event); null while open or when it ended without one.</summary>
    WebSocketCloseStatus? CloseStatus { get; }

    Task JoinAsync(string room, string name, bool muted = false);

    /// <summary>Sends a <c>join</c> of any shape (a token join, say); returns after its <c>joined</c>.</summary>
    Task JoinWithAsync(object join);

    Task SendAsync(object message);

    Task SendTextAsync(string text);

    /// <summary>Sends <c>resume</c> with a token; returns the <c>joined</c> that answers it.</summary>
    Task<JsonElement> ResumeAsync(string room, string token, string name, bool muted = false);

    /// <summary>Closes from this side with <paramref name="status"/>, as a client does on purpose (HTTP: <c>DELETE ?code=</c>).</summary>
    Task CloseAsync(WebSocketCloseStatus status);

    /// <summary>Goes silent without a word, as a lost network does: drops the socket, or stops reading and posting.</summary>
    void Abort();

    /// <summary>The next message; fails the test if none arrives before the deadline or the session ends.</summary>
    Task<JsonElement> ReceiveAsync();

    /// <summary>The next message, or null once the session has ended.</summary>
    Task<JsonElement?> TryReceiveAsync();

    /// <summary>Reads until a message of <paramref name="type"/>; fails on an unexpected error message.</summary>
    Task<JsonElement> ExpectAsync(string type);

    /// <summary>Reads the next message and checks it is an error with <paramref name="code"/>.</summary>
    Task<JsonElement> ExpectErrorAsync(string code);

    /// <summary>Reads until the server ends the session; returns the messages on the way.</summary>
    Task<List<JsonElement>> ReadUntilClosedAsync();

    /// <summary>A ping round trip: proves the server still serves this session, and that nothing else is queued before it.</summary>
    Task AssertAliveAsync();
}
