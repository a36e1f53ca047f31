using System.Diagnostics;
using System.Net.Http;
using System.Net.WebSockets;
using System.Text.Json;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// What a client does when its node died, its session was reset, or Redis could not decide its join yet: the SDK's
/// reconnect loop, bounded, for test clients.
/// </summary>
public static class Rejoining
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The protocol's <c>join</c> for test clients: room, name, unmuted.</summary>
    public static object Join(string room, string name) => new { type = "join", protocol = 1, room, name, muted = false };

    /// <summary>Connects to <paramref name="node"/> and joins <paramref name="room"/>, again while the answer is <c>unavailable</c> (see <see cref="JoinUntilAcceptedAsync"/>).</summary>
    public static Task<ISignalingTestClient> JoinAsync(ParleyNode node, string room, string name, string transport = "websocket") =>
        JoinUntilAcceptedAsync(node, Join(room, name), transport);

    /// <summary>The <c>resume</c> a client sends with the token of its last <c>joined</c>.</summary>
    public static object Resume(ISignalingTestClient client, string room, string name) =>
        new { type = "resume", protocol = 1, room, token = client.Joined.GetProperty("resumeToken").GetString(), name, muted = false };

    /// <summary>
    /// Connects to <paramref name="node"/> and sends <paramref name="message"/> (a join or resume) until it is answered
    /// with <c>joined</c>; an <c>unavailable</c> answer (Redis cannot decide yet) or a refused connection is tried again
    /// 200 ms later, as the SDK does. Returns the client, joined. Fails after 30 s.
    /// </summary>
    public static async Task<ISignalingTestClient> JoinUntilAcceptedAsync(ParleyNode node, object message, string transport = "websocket")
    {
        var stopwatch = Stopwatch.StartNew();
        var refusals = new List<string>();
        while (true)
        {
            ISignalingTestClient? client = null;
            try
            {
                client = await node.ConnectAsync(transport);
                await client.JoinWithAsync(message);
                return client;
            }
            catch (Xunit.Sdk.XunitException ex) when ((ex.Message.Contains("\"unavailable\"", StringComparison.Ordinal) || ex.Message.Contains("ended the session", StringComparison.Ordinal)) && stopwatch.Elapsed < Patience)
            {
                refusals.Add(ex.Message); // Redis could not decide it yet, or the session was reset while it tried
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException && stopwatch.Elapsed < Patience)
            {
                refusals.Add(ex.Message); // the node is not listening (yet)
            }

            if (client is not null)
            {
                await client.DisposeAsync();
            }

            if (stopwatch.Elapsed > Patience)
            {
                throw new Xunit.Sdk.XunitException($"Node {node.Name} did not accept {JsonSerializer.Serialize(message)} within {Patience}: {string.Join("; ", refusals.TakeLast(5))}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Sends a join on <paramref name="client"/> and returns its answer (<c>joined</c> or an error); an <c>unavailable</c>
    /// answer (Redis was slow to decide, or is reconnecting) is tried again on the same connection 200 ms later, as the
    /// SDK does, up to 20 times.
    /// </summary>
    public static async Task<JsonElement> AnswerAsync(ISignalingTestClient client, string room, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            await client.SendAsync(Join(room, name));
            var answer = await client.ReceiveAsync();
            if (answer.GetProperty("type").GetString() != "error" || answer.GetProperty("code").GetString() != "unavailable" || attempt == 20)
            {
                return answer;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Reads until the server ends the session; checks the last message was <c>goaway</c> and the close 1012.</summary>
    public static async Task<List<JsonElement>> ExpectGoawayAsync(ISignalingTestClient client)
    {
        var messages = await client.ReadUntilClosedAsync();
        Assert.True(messages.Count > 0 && messages[^1].GetProperty("type").GetString() == "goaway",
            $"Expected goaway last, got: {string.Join(", ", messages)} (close {client.CloseStatus})");
        Assert.Equal((WebSocketCloseStatus)1012, client.CloseStatus);
        return messages;
    }
}
