using System.Net;
using System.Text;
using System.Text.Json;
using Parley.Signaling.Tests;

namespace Parley.Server.Tests;

/// <summary>
/// The bounds on what a stranger can hold over HTTP, and hostile input over POST: the same answers as over a
/// WebSocket, never a 5xx, and nobody else affected. Client addresses other than loopback come from
/// <see cref="ClientAddressFilter"/>.
/// </summary>
public sealed class HttpLimitTests
{
    private static readonly IPAddress Stranger = IPAddress.Parse("203.0.113.7");
    private static readonly IPAddress Other = IPAddress.Parse("203.0.113.8");

    /// <summary>Opens a session with no reader; the test closes it (a stopping server would wait for its close to be read).</summary>
    private static async Task<(HttpStatusCode Status, string? Code)> OpenAsync(HttpClient http, List<(HttpClient, string)>? opened = null)
    {
        using var response = await http.PostAsync("/signal", null);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        if (response.IsSuccessStatusCode)
        {
            opened?.Add((http, body.GetProperty("session").GetString()!));
            return (response.StatusCode, null);
        }

        return (response.StatusCode, body.GetProperty("code").GetString());
    }

    private static async Task CloseAllAsync(List<(HttpClient Http, string Session)> opened)
    {
        foreach (var (http, session) in opened)
        {
            using var _ = await http.DeleteAsync($"/signal/{session}?code=1000");
        }
    }

    [Fact]
    public async Task HTTP_sessions_and_WebSockets_share_MaxConnections_and_the_next_is_refused_503_server_busy()
    {
        using var server = new ParleyServer(new() { ["Signaling:MaxConnections"] = "2" });
        await using var socket = await server.ConnectAsync();
        var http = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "sse");
        using var client = HttpSignalingClient.NewHttp(server.BaseAddress);

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "server-busy"), await OpenAsync(client));
        using (var refused = new System.Net.WebSockets.ClientWebSocket())
        {
            await refused.ConnectAsync(server.SocketAddress, CancellationToken.None);
            var buffer = new byte[4096];
            var first = await refused.ReceiveAsync(buffer, CancellationToken.None);
            Assert.Contains("\"server-busy\"", Encoding.UTF8.GetString(buffer, 0, first.Count), StringComparison.Ordinal);
        }

        // A slot frees when the HTTP session closes.
        await http.DisposeAsync();
        await server.WaitUntilSessionsAsync(1);
        await using var next = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "long-poll");
        await next.AssertAliveAsync();
    }

    [Fact]
    public async Task One_address_holds_at_most_MaxSessionsPerAddress_and_loopback_is_exempt()
    {
        using var server = new ParleyServer(new() { ["Signaling:Http:MaxSessionsPerAddress"] = "2" });
        using var stranger = HttpSignalingClient.NewHttp(server.BaseAddress, Stranger);
        using var other = HttpSignalingClient.NewHttp(server.BaseAddress, Other);
        using var loopback = HttpSignalingClient.NewHttp(server.BaseAddress);
        var opened = new List<(HttpClient, string)>();

        Assert.Equal(HttpStatusCode.Created, (await OpenAsync(stranger, opened)).Status);
        await using var second = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "sse", from: Stranger);
        Assert.Equal((HttpStatusCode.TooManyRequests, "too-many-sessions"), await OpenAsync(stranger));
        Assert.Equal(HttpStatusCode.Created, (await OpenAsync(other, opened)).Status);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await OpenAsync(loopback, opened)).Status);
        }

        // Closing one frees its place.
        await second.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure);
        await server.WaitUntilSessionsAsync(5);
        Assert.Equal(HttpStatusCode.Created, (await OpenAsync(stranger, opened)).Status);
        await CloseAllAsync(opened);
    }

    [Fact]
    public async Task A_session_is_found_only_from_the_address_that_opened_it()
    {
        using var server = new ParleyServer();
        await using var owner = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "sse", from: Stranger);
        using var thief = HttpSignalingClient.NewHttp(server.BaseAddress, Other);
        using var body = new StringContent("""{"type":"ping","id":"stolen"}""", Encoding.UTF8, "application/json");

        foreach (var response in new[]
        {
            await thief.GetAsync($"/signal/{owner.Session}/events"),
            await thief.GetAsync($"/signal/{owner.Session}/poll?last=1"),
            await thief.PostAsync($"/signal/{owner.Session}/messages?seq=1", body),
            await thief.DeleteAsync($"/signal/{owner.Session}?code=1000"),
            await owner.Http.GetAsync("/signal/AAAAAAAAAAAAAAAAAAAAAA/poll?last=1"), // an id that does not exist: the same answer
        })
        {
            using var _ = response;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("unknown-session", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        await owner.AssertAliveAsync(); // its reader kept the stream, and seq 1 is still the owner's to send
        Assert.Equal(1, owner.LastSequence);
    }

    /// <summary>
    /// The fuzz corpus as POSTs: each frame gets the answer it gets over a WebSocket (UTF-8 frames; a WebSocket refuses
    /// other text frames at the framing layer), every POST a 2xx, and one session's garbage reaches nobody else.
    /// </summary>
    [Fact]
    public async Task The_fuzz_corpus_over_POST_gets_the_same_answers_as_over_a_WebSocket_and_never_a_5xx()
    {
        using var server = new ParleyServer(new()
        {
            ["Signaling:MaxErrorsPerConnection"] = "10000", ["Signaling:MessagesPerSecond"] = "100000", ["Signaling:MessageBurst"] = "100000",
            ["Signaling:JoinsPerMinutePerAddress"] = "0",
        });
        var frames = FuzzCorpus.Frames(14, 400).ToArray();
        var text = frames.Where(frame => System.Text.Unicode.Utf8.IsValid(frame)).ToArray();
        await using var bystander = await server.JoinAsync("bystanders", "Bystander", "sse");
        await using var overSocket = await server.ConnectAsync();
        await using var overHttp = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "long-poll");

        var socketAnswers = await AnswersAsync(overSocket, text, frame => overSocket.SendRawAsync(frame, System.Net.WebSockets.WebSocketMessageType.Text));
        var httpAnswers = await AnswersAsync(overHttp, text, async frame =>
        {
            using var response = await overHttp.PostAsync(overHttp.TakeSequence(), frame);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        });

        Assert.Equal(socketAnswers, httpAnswers);
        Assert.Contains(httpAnswers, answer => answer.StartsWith("error malformed-json", StringComparison.Ordinal));
        Assert.True(text.Length < frames.Length, "The corpus has frames that are not UTF-8.");
        await using var binary = await HttpSignalingClient.ConnectAsync(server.BaseAddress, "sse");
        var other = await AnswersAsync(binary, frames.Except(text).ToArray(), async frame =>
        {
            using var response = await binary.PostAsync(binary.TakeSequence(), frame);
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        });
        Assert.All(other, answer => Assert.StartsWith("error ", answer, StringComparison.Ordinal));
        await bystander.AssertAliveAsync(); // heard nothing of it all
    }

    /// <summary>
    /// Sends each frame and collects what comes back for the client itself (its errors, pongs, joins; not its room
    /// mates' comings and goings), up to a ping that marks the end.
    /// </summary>
    private static async Task<List<string>> AnswersAsync(ISignalingTestClient client, byte[][] frames, Func<byte[], Task> send)
    {
        foreach (var frame in frames)
        {
            await send(frame);
        }

        await client.SendAsync(new { type = "ping", id = "end" });
        var answers = new List<string>();
        while (true)
        {
            var message = await client.ReceiveAsync();
            var type = message.GetProperty("type").GetString()!;
            if (type == "pong" && message.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() == "end")
            {
                return answers;
            }

            if (!type.StartsWith("participant-", StringComparison.Ordinal))
            {
                answers.Add(type == "error" ? $"error {message.GetProperty("code").GetString()} {(message.TryGetProperty("ref", out var refType) ? refType.ToString() : "")}" : type);
            }
        }
    }

    [Theory]
    [InlineData("sse")]
    [InlineData("long-poll")]
    public async Task A_hostile_HTTP_session_gets_4xx_answers_and_its_room_mate_carries_on(string transport)
    {
        using var server = new ParleyServer(new() { ["Signaling:MaxMessageBytes"] = "4096" });
        await using var ann = await server.JoinAsync("hostile", "Ann", transport);
        await using var eve = (HttpSignalingClient)await server.JoinAsync("hostile", "Eve", transport);
        await ann.ExpectAsync("participant-joined");
        var messages = $"/signal/{eve.Session}/messages";
        using var json = new StringContent("{}", Encoding.UTF8, "application/json");

        foreach (var (query, status, code) in new[]
        {
            ("", HttpStatusCode.BadRequest, "invalid-message"),
            ("?seq=", HttpStatusCode.BadRequest, "invalid-message"),
            ("?seq=-1", HttpStatusCode.BadRequest, "invalid-message"),
            ("?seq=1.5", HttpStatusCode.BadRequest, "invalid-message"),
            ("?seq=99999999999999999999", HttpStatusCode.BadRequest, "invalid-message"),
            ("?seq=0", HttpStatusCode.Conflict, "out-of-order"),
            ("?seq=9223372036854775807", HttpStatusCode.Conflict, "out-of-order"),
        })
        {
            using var response = await eve.Http.PostAsync(messages + query, json);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        foreach (var path in new[] { "/signal/%00/events", "/signal/" + new string('A', 5000) + "/poll", "/signal//events", "/signal/x/events?last=-5" })
        {
            using var response = await eve.Http.GetAsync(path);
            Assert.InRange((int)response.StatusCode, 400, 499);
        }

        // Past the size limit: 413, and the session closes as a WebSocket does with 1009.
        var eveId = eve.Id;
        using var tooLarge = new ByteArrayContent(new byte[5000]);
        using (var response = await eve.Http.PostAsync(messages + $"?seq={eve.TakeSequence()}", tooLarge))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("too-large", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        }

        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(eveId, left.GetProperty("id").GetString());
        await ann.AssertAliveAsync();
        await ann.SendAsync(new { type = "chat", text = "still here" });
        Assert.Equal("still here", (await ann.ExpectAsync("chat")).GetProperty("text").GetString());
    }
}
