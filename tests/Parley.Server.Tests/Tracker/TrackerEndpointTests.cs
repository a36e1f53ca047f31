using System.Net;
using System.Net.WebSockets;

namespace Parley.Server.Tests.Tracker;

/// <summary>
/// Parley's <c>/announce</c> over real sockets: hostile input never ends the server and gets failures that keep
/// <c>action</c>; the limits hold; an answer reaches only the peer whose offer was delivered to the answerer; silent
/// peers leave; token mode leaves the tracker off unless enabled.
/// </summary>
public sealed class TrackerEndpointTests
{
    private const string Room = "room________________";

    private static string Announce(string peerId, string? extra = null) =>
        $$"""{"action":"announce","info_hash":"{{Room}}","peer_id":"{{peerId.PadRight(20, '_')}}","numwant":0{{extra}}}""";

    [Fact]
    public async Task Hostile_input_gets_failures_with_an_action_until_too_many_errors_close_the_socket_and_the_server_serves_on()
    {
        using var server = new ParleyServer(new() { ["Tracker:MaxErrorsPerConnection"] = "4" });
        using var hostile = await TrackerSocket.ConnectAsync(server);

        await hostile.SendAsync([0xff, 0x00, 0x7b], WebSocketMessageType.Binary);
        Assert.Equal("binary frames are not accepted: send JSON in text frames", (string?)(await hostile.ReceiveAsync())!["failure reason"]);
        await hostile.SendAsync("\u0000{\"action\":");
        var failure = (await hostile.ReceiveAsync())!;
        Assert.Equal("announce", (string?)failure["action"]);
        await hostile.SendAsync(new string('[', 5000));
        Assert.Equal("invalid JSON", (string?)(await hostile.ReceiveAsync())!["failure reason"]);
        await hostile.SendAsync("""{"action":"announce","info_hash":"x","peer_id":"y"}""");
        Assert.Equal("invalid info_hash", (string?)(await hostile.ReceiveAsync())!["failure reason"]);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await hostile.ReceiveCloseAsync());

        using var next = await TrackerSocket.ConnectAsync(server);
        await next.SendAsync(Announce("next"));
        Assert.Equal(1, (int)(await next.ReceiveAsync())!["incomplete"]!);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_the_socket_with_1009()
    {
        using var server = new ParleyServer(new() { ["Tracker:MaxMessageBytes"] = "4096" });
        using var client = await TrackerSocket.ConnectAsync(server);

        await client.SendAsync(Announce("big", $$$""","offers":[{"offer_id":"oooooooooooooooooooo","offer":{"sdp":"{{{new string('x', 5000)}}}"}}]"""));

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
    }

    [Fact]
    public async Task Messages_over_the_rate_are_dropped_with_a_failure()
    {
        // The server's clock is fake and does not move: the bucket holds its burst and never refills.
        using var server = new ParleyServer(new() { ["Tracker:MessageBurst"] = "3" });
        using var client = await TrackerSocket.ConnectAsync(server);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("scrape", (string?)(await client.ScrapeAsync(Room))["action"]);
        }

        var refused = await client.ScrapeAsync(Room);
        Assert.StartsWith("rate exceeded", (string?)refused["failure reason"]);
        Assert.Equal("announce", (string?)refused["action"]);
    }

    [Fact]
    public async Task A_forged_answer_never_reaches_the_offerer_and_the_real_one_does()
    {
        using var server = new ParleyServer();
        using var offerer = await TrackerSocket.ConnectAsync(server);
        using var answerer = await TrackerSocket.ConnectAsync(server);
        using var forger = await TrackerSocket.ConnectAsync(server);
        await answerer.SendAsync(Announce("answerer"));
        await answerer.ReceiveAsync();

        await offerer.SendAsync(Announce("offerer", ""","offers":[{"offer_id":"offer_______________","offer":{"type":"offer","sdp":"o"}}]"""));
        Assert.Equal(2, (int)(await offerer.ReceiveAsync())!["incomplete"]!);
        var offer = (await answerer.ReceiveAsync())!;
        Assert.Equal("offer_______________", (string?)offer["offer_id"]);
        Assert.Equal("offerer_____________", (string?)offer["peer_id"]);

        // The forger joins and answers the offer it saw nothing of, by guessing its id.
        await forger.SendAsync(Announce("forger"));
        await forger.ReceiveAsync();
        await forger.SendAsync(Announce("forger", ""","to_peer_id":"offerer_____________","offer_id":"offer_______________","answer":{"type":"answer","sdp":"forged"}"""));
        await answerer.SendAsync(Announce("answerer", ""","to_peer_id":"offerer_____________","offer_id":"offer_______________","answer":{"type":"answer","sdp":"real"}"""));

        var answer = (await offerer.ReceiveAsync())!;
        Assert.Equal("""{"type":"answer","sdp":"real"}""", answer["answer"]!.ToJsonString());
        Assert.Equal("answerer____________", (string?)answer["peer_id"]);
        Assert.Equal("scrape", (string?)(await offerer.ScrapeAsync(Room))["action"]); // nothing else came in between
    }

    [Fact]
    public async Task A_peer_that_stops_announcing_leaves_its_swarm_after_the_peer_timeout()
    {
        using var server = new ParleyServer();
        using var silent = await TrackerSocket.ConnectAsync(server);
        using var watcher = await TrackerSocket.ConnectAsync(server);
        await silent.SendAsync(Announce("silent"));
        await silent.ReceiveAsync();
        Assert.Equal(1, (int)(await watcher.ScrapeAsync(Room))["files"]![Room]!["incomplete"]!);

        server.Time.Advance(TimeSpan.FromSeconds(130));
        var left = false;
        for (var i = 0; i < 100 && !left; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(10)); // the sweeper's period
            await Task.Delay(20);
            left = (int)(await watcher.ScrapeAsync(Room))["files"]![Room]!["incomplete"]! == 0;
        }

        Assert.True(left);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.NotFound)]
    [InlineData("true", HttpStatusCode.UpgradeRequired)]
    public async Task In_token_mode_the_tracker_is_off_unless_enabled(string? enabled, HttpStatusCode status)
    {
        using var server = new ParleyServer(new()
        {
            ["Auth:Keys:app"] = "0123456789abcdef0123456789abcdef",
            ["Tracker:Enabled"] = enabled,
        });
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(server.BaseAddress, "/announce"));

        Assert.Equal(status, response.StatusCode);
    }
}
