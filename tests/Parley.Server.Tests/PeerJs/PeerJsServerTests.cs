using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Parley.Compat.PeerJs.Protocol;
using Parley.Compat.PeerJs.Realm;

namespace Parley.Server.Tests.PeerJs;

/// <summary>
/// The PeerJS endpoint over real sockets (docs/protocol.md, "PeerJS compatibility"): peerjs-server 1.0's messages, ids
/// and timeouts, Parley's limits, and hostile input that never takes the endpoint down. Time is the server's fake clock.
/// </summary>
public sealed class PeerJsServerTests
{
    private static async Task<string> GetTextAsync(ParleyServer server, string path, HttpStatusCode expected)
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Id_gives_a_fresh_valid_id_each_time_and_a_wrong_key_gets_401()
    {
        using var server = new ParleyServer();
        var first = await GetTextAsync(server, "/peerjs/peerjs/id?ts=1", HttpStatusCode.OK);
        var second = await GetTextAsync(server, "/peerjs/peerjs/id?ts=2", HttpStatusCode.OK);

        Assert.True(PeerJsIds.IsValidId(first), first);
        Assert.True(Guid.TryParse(first, out _), first);
        Assert.NotEqual(first, second);
        await GetTextAsync(server, "/peerjs/other/id", HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Peers_is_401_by_default_and_lists_ids_with_discovery()
    {
        using (var closed = new ParleyServer())
        {
            await using var ann = await PeerJsTestClient.OpenAsync(closed.BaseAddress, "ann");
            await GetTextAsync(closed, "/peerjs/peerjs/peers", HttpStatusCode.Unauthorized);
        }

        using var open = new ParleyServer(new() { ["PeerJs:AllowDiscovery"] = "true" });
        await using var bob = await PeerJsTestClient.OpenAsync(open.BaseAddress, "bob");
        var ids = JsonSerializer.Deserialize<string[]>(await GetTextAsync(open, "/peerjs/peerjs/peers", HttpStatusCode.OK));
        Assert.Equal(["bob"], ids!);
    }

    [Fact]
    public async Task An_offer_is_relayed_with_src_stamped_by_the_server_and_its_payload_intact()
    {
        using var server = new ParleyServer();
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");

        // Ann claims to be Carol: the server writes who really sent it.
        await ann.SendTextAsync("""{"type":"OFFER","src":"carol","dst":"bob","payload":{"sdp":{"type":"offer","sdp":"v=0\r\n"},"type":"media","connectionId":"mc_1","metadata":{"n":[1,2]}},"extra":true}""");
        var offer = await bob.ExpectAsync("OFFER");

        Assert.Equal("ann", offer.GetProperty("src").GetString());
        Assert.Equal("bob", offer.GetProperty("dst").GetString());
        Assert.Equal("mc_1", offer.GetProperty("payload").GetProperty("connectionId").GetString());
        Assert.Equal("v=0\r\n", offer.GetProperty("payload").GetProperty("sdp").GetProperty("sdp").GetString());
        Assert.False(offer.TryGetProperty("extra", out _));

        foreach (var type in new[] { "ANSWER", "CANDIDATE", "LEAVE", "EXPIRE" })
        {
            await bob.SendAsync(new { type, dst = "ann", payload = new { connectionId = "mc_1" } });
            var relayed = await ann.ExpectAsync(type);
            Assert.Equal("bob", relayed.GetProperty("src").GetString());
        }
    }

    [Fact]
    public async Task The_same_id_with_another_token_is_taken_and_with_the_same_token_is_reclaimed()
    {
        using var server = new ParleyServer();
        await using var first = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann", "token-1");
        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");

        await using var thief = await PeerJsTestClient.ConnectAsync(server.BaseAddress, "ann", "token-2");
        var taken = Assert.Single(await thief.ReadUntilClosedAsync());
        Assert.Equal("ID-TAKEN", taken.GetProperty("type").GetString());
        Assert.Equal("ID is taken", taken.GetProperty("payload").GetProperty("msg").GetString());

        // A reconnect after a network drop, the stale socket still open: same token, the id comes back at once.
        await using var again = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann", "token-1");
        Assert.Empty(await first.ReadUntilClosedAsync());
        await bob.SendAsync(new { type = "OFFER", dst = "ann", payload = new { connectionId = "mc_2" } });
        Assert.Equal("bob", (await again.ExpectAsync("OFFER")).GetProperty("src").GetString());
    }

    [Theory]
    [InlineData(null, "tok", "peerjs", PeerJsErrors.InvalidWsParameters)]
    [InlineData("ann", null, "peerjs", PeerJsErrors.InvalidWsParameters)]
    [InlineData("ann", "tok", null, PeerJsErrors.InvalidWsParameters)]
    [InlineData("ann", "tok", "wrong", PeerJsErrors.InvalidKey)]
    [InlineData("ann!", "tok", "peerjs", PeerJsErrors.InvalidId)]
    [InlineData("-ann", "tok", "peerjs", PeerJsErrors.InvalidId)]
    [InlineData("a  b", "tok", "peerjs", PeerJsErrors.InvalidId)]
    public async Task A_bad_connect_gets_ERROR_and_is_closed(string? id, string? token, string? key, string error)
    {
        using var server = new ParleyServer();
        await using var client = await PeerJsTestClient.ConnectAsync(server.BaseAddress, id, token, key);

        var message = Assert.Single(await client.ReadUntilClosedAsync());
        Assert.Equal("ERROR", message.GetProperty("type").GetString());
        Assert.Equal(error, message.GetProperty("payload").GetProperty("msg").GetString());
    }

    [Fact]
    public async Task A_message_for_an_absent_id_waits_and_the_sender_gets_EXPIRE_after_5_s()
    {
        using var server = new ParleyServer();
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await ann.SendAsync(new { type = "OFFER", dst = "nobody", payload = new { connectionId = "mc_1" } });
        await ann.SendAsync(new { type = "CANDIDATE", dst = "nobody", payload = new { connectionId = "mc_1" } });
        await ann.SyncAsync();

        server.Time.Advance(TimeSpan.FromSeconds(4.9));
        await ann.SyncAsync(); // nothing came before the echo
        server.Time.Advance(TimeSpan.FromSeconds(0.1));

        var expire = await ann.ExpectAsync("EXPIRE");
        Assert.Equal("nobody", expire.GetProperty("src").GetString());
        Assert.Equal("ann", expire.GetProperty("dst").GetString());
        await ann.ExpectNothingAsync(); // one EXPIRE per destination, not per message
        Assert.Equal(0, server.Services.GetRequiredService<PeerJsRealm>().PendingBytes);
    }

    [Fact]
    public async Task Messages_that_waited_are_delivered_in_order_after_OPEN_when_the_id_connects()
    {
        using var server = new ParleyServer();
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await ann.SendAsync(new { type = "OFFER", dst = "bob", payload = new { n = 1 } });
        await ann.SendAsync(new { type = "CANDIDATE", dst = "bob", payload = new { n = 2 } });
        await ann.SyncAsync();
        server.Time.Advance(TimeSpan.FromSeconds(4));

        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");
        Assert.Equal(1, (await bob.ExpectAsync("OFFER")).GetProperty("payload").GetProperty("n").GetInt32());
        Assert.Equal(2, (await bob.ExpectAsync("CANDIDATE")).GetProperty("payload").GetProperty("n").GetInt32());
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await ann.ExpectNothingAsync();
    }

    [Fact]
    public async Task Past_the_queue_limit_for_an_absent_id_the_sender_gets_EXPIRE_at_once()
    {
        using var server = new ParleyServer(new() { ["PeerJs:MaxQueuedPerDestination"] = "2" });
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        for (var i = 0; i < 2; i++)
        {
            await ann.SendAsync(new { type = "CANDIDATE", dst = "nobody", payload = i });
        }

        await ann.SyncAsync();
        await ann.SendAsync(new { type = "CANDIDATE", dst = "nobody", payload = 3 });
        Assert.Equal("nobody", (await ann.ExpectAsync("EXPIRE")).GetProperty("src").GetString());
    }

    [Fact]
    public async Task Hostile_input_is_ignored_and_the_connection_and_the_server_carry_on()
    {
        using var server = new ParleyServer();
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");
        string[] frames =
        [
            "", "not json", "{", "[]", "null", "42", "\"OFFER\"", "{}", """{"type":7}""", """{"type":"OFFER","dst":5}""",
            """{"type":"OFFER","dst":null}""", """{"type":"OFFER"}""", """{"type":"NOPE","dst":"bob"}""", """{"type":"OPEN","dst":"bob"}""",
            """{"type":"ID-TAKEN","dst":"bob"}""", """{"type":"OFFER","dst":"bob","payload":""" + new string('[', 40) + new string(']', 40) + "}",
        ];
        foreach (var frame in frames)
        {
            await ann.SendTextAsync(frame);
        }

        await ann.SendRawAsync([0xff, 0xfe, 0x00], WebSocketMessageType.Binary);
        await ann.SyncAsync();

        // Ids that can never exist get EXPIRE at once; nothing else reached Bob.
        await ann.SendAsync(new { type = "OFFER", dst = "bad id!" });
        Assert.Equal("bad id!", (await ann.ExpectAsync("EXPIRE")).GetProperty("src").GetString());
        await ann.SendTextAsync("""{"type":"OFFER","dst":"bob\u0000"}""");
        Assert.Equal("bob\0", (await ann.ExpectAsync("EXPIRE")).GetProperty("src").GetString());
        await bob.ExpectNothingAsync();
        await ann.SendAsync(new { type = "OFFER", dst = "bob", payload = "fine" });
        Assert.Equal("fine", (await bob.ExpectAsync("OFFER")).GetProperty("payload").GetString());

        // A text frame that is not UTF-8 fails that connection (RFC 6455 §8.1: 1007), and only that one.
        await ann.SendRawAsync([0xc3, 0x28], WebSocketMessageType.Text);
        Assert.Empty(await ann.ReadUntilClosedAsync());
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, ann.CloseStatus);
        await bob.SyncAsync();
    }

    [Fact]
    public void Random_bytes_never_throw_from_the_reader()
    {
        var random = new Random(15);
        var seed = """{"type":"OFFER","src":"x","dst":"bob","payload":{"sdp":{"type":"offer","sdp":"v=0"},"connectionId":"mc_1"}}"""u8.ToArray();
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = (byte[])seed.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            _ = PeerJsFrames.TryRead(bytes.AsSpan(0, random.Next(bytes.Length + 1)), out _);
        }
    }

    [Fact]
    public async Task A_message_over_the_size_limit_gets_ERROR_and_closes_only_its_sender()
    {
        using var server = new ParleyServer(new() { ["PeerJs:MaxMessageBytes"] = "4096" });
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");

        await ann.SendAsync(new { type = "OFFER", dst = "bob", payload = new string('a', 5000) });
        var error = Assert.Single(await ann.ReadUntilClosedAsync());
        Assert.Equal(PeerJsErrors.TooLarge, error.GetProperty("payload").GetProperty("msg").GetString());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, ann.CloseStatus);
        await bob.SyncAsync();
    }

    [Fact]
    public async Task A_client_past_its_message_burst_gets_ERROR_and_is_closed()
    {
        using var server = new ParleyServer(new() { ["PeerJs:MessagesPerSecond"] = "1", ["PeerJs:MessageBurst"] = "5" });
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        for (var i = 0; i < 6; i++)
        {
            await ann.SendAsync(new { type = "HEARTBEAT" });
        }

        var error = Assert.Single(await ann.ReadUntilClosedAsync());
        Assert.Equal(PeerJsErrors.RateExceeded, error.GetProperty("payload").GetProperty("msg").GetString());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, ann.CloseStatus);
    }

    [Fact]
    public async Task A_silent_client_is_dropped_after_the_alive_timeout_and_its_id_is_free_again()
    {
        using var server = new ParleyServer();
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann", "token-1");
        await using var bob = await PeerJsTestClient.OpenAsync(server.BaseAddress, "bob");
        for (var second = 5; second <= 55; second += 5)
        {
            server.Time.Advance(TimeSpan.FromSeconds(5));
            await bob.SyncAsync(); // Bob's messages keep him alive; Ann says nothing
        }

        await ann.ExpectNothingAsync();
        server.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(await ann.ReadUntilClosedAsync());
        await bob.SyncAsync();

        await using var other = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann", "token-2");
    }

    [Fact]
    public async Task Past_the_connection_limit_a_client_gets_the_limit_ERROR()
    {
        using var server = new ParleyServer(new() { ["PeerJs:MaxConnections"] = "1" });
        await using var ann = await PeerJsTestClient.OpenAsync(server.BaseAddress, "ann");
        await using var bob = await PeerJsTestClient.ConnectAsync(server.BaseAddress, "bob", "tok");

        var error = Assert.Single(await bob.ReadUntilClosedAsync());
        Assert.Equal(PeerJsErrors.ConnectionLimitExceeded, error.GetProperty("payload").GetProperty("msg").GetString());
        await ann.SyncAsync();
    }
}
