using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;
using Parley.Signaling.Protocol;
using Parley.Stun;
using Parley.Turn.Tests;

namespace Parley.Server.Tests;

/// <summary>Token mode over real sockets: joins and resumes with access tokens, removals that reach TURN, and logs without tokens.</summary>
public sealed class TokenModeTests
{
    private const string Key = "APItest";
    private static readonly string Secret = new('k', 40);

    private static Dictionary<string, string?> TokenMode(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?> { [$"Auth:Keys:{Key}"] = Secret };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string Mint(ParleyServer server, string identity, string room = "lobby", bool admin = false, TimeSpan? ttl = null, string? secret = null) =>
        new AccessTokenMinter(server.Time).Mint(Key, secret ?? Secret, identity, identity.ToUpperInvariant(), null,
            new VideoGrant { RoomJoin = true, Room = room, RoomAdmin = admin }, ttl ?? TimeSpan.FromHours(1));

    /// <summary>
    /// Connects over <paramref name="transport"/> and joins with <paramref name="token"/>: in <c>join</c>, or with
    /// <paramref name="inQuery"/> in the query that opens the session (over HTTP, <paramref name="bearer"/>: in an
    /// <c>Authorization</c> header instead).
    /// </summary>
    private static async Task<ISignalingTestClient> JoinWithTokenAsync(ParleyServer server, string token, bool inQuery = false,
        string transport = "websocket", bool bearer = false)
    {
        var client = transport == "websocket"
            ? await SignalingClient.ConnectAsync(inQuery ? new Uri(server.SocketAddress + "?access_token=" + token) : server.SocketAddress)
            : (ISignalingTestClient)await HttpSignalingClient.ConnectAsync(server.BaseAddress, transport, accessToken: inQuery ? token : null, bearer: bearer);
        await client.JoinWithAsync(inQuery ? new { type = "join", protocol = 1 } : new { type = "join", protocol = 1, token });
        return client;
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_token_in_the_query_or_in_join_admits_to_its_room_as_its_identity(string transport)
    {
        using var server = new ParleyServer(TokenMode());
        await using var ann = await JoinWithTokenAsync(server, Mint(server, "ann"), inQuery: true, transport);
        await using var bob = await JoinWithTokenAsync(server, Mint(server, "bob"), transport: transport);
        await using var cy = transport == "websocket" ? null : await JoinWithTokenAsync(server, Mint(server, "cy"), inQuery: true, transport, bearer: true);

        Assert.Equal("lobby", bob.Joined.GetProperty("room").GetString());
        var annSeen = Assert.Single(bob.Joined.GetProperty("participants").EnumerateArray());
        Assert.Equal("ann", annSeen.GetProperty("identity").GetString());
        Assert.Equal("ANN", annSeen.GetProperty("name").GetString());
        Assert.Equal("bob", (await ann.ExpectAsync("participant-joined")).GetProperty("participant").GetProperty("identity").GetString());
        if (cy is not null)
        {
            Assert.Equal("cy", cy.Joined.GetProperty("self").GetProperty("identity").GetString()); // an Authorization: Bearer header
        }
    }

    [Fact]
    public async Task Without_a_valid_token_nobody_joins_and_each_refusal_has_its_code()
    {
        using var server = new ParleyServer(TokenMode());
        await using var client = await server.ConnectAsync();

        await client.SendAsync(new { type = "join", protocol = 1, room = "lobby", name = "Eve" });
        await client.ExpectErrorAsync("token-missing");
        await client.SendAsync(new { type = "join", protocol = 1, token = Mint(server, "eve", secret: new string('x', 40)) });
        await client.ExpectErrorAsync("token-signature");
        // Minted three minutes ago for one minute: past exp and its 60 s leeway.
        var expired = new AccessTokenMinter(new FakeTimeProvider(server.Time.GetUtcNow().AddMinutes(-3)))
            .Mint(Key, Secret, "eve", null, null, new VideoGrant { RoomJoin = true, Room = "lobby" }, TimeSpan.FromMinutes(1));
        await client.SendAsync(new { type = "join", protocol = 1, token = expired });
        await client.ExpectErrorAsync("token-expired");
        await client.SendAsync(new { type = "join", protocol = 1, room = "elsewhere", token = Mint(server, "eve") });
        await client.ExpectErrorAsync(ErrorCode.TokenWrongRoom);
        await client.SendAsync(new { type = "join", protocol = 1, token = "e30.e30.e30" });
        await client.ExpectErrorAsync("token-algorithm");
        await client.SendAsync(new { type = "join", protocol = 1, token = "not a jwt" });
        await client.ExpectErrorAsync("token-malformed");
    }

    [Fact]
    public async Task A_resume_needs_no_access_token_even_after_it_expired_and_on_a_restarted_server()
    {
        using var server = new ParleyServer(TokenMode());
        var ann = await JoinWithTokenAsync(server, Mint(server, "ann", ttl: TimeSpan.FromMinutes(5)));
        var id = ann.Id;
        var resumeToken = ann.Joined.GetProperty("resumeToken").GetString()!;
        ann.Abort();
        await ann.DisposeAsync();
        server.Time.Advance(TimeSpan.FromMinutes(10));

        await using var back = await server.ConnectAsync();
        var joined = await back.ResumeAsync("lobby", resumeToken, "ignored");
        Assert.Equal(id, joined.GetProperty("self").GetProperty("id").GetString());
        Assert.Equal("ann", joined.GetProperty("self").GetProperty("identity").GetString());

        using var restarted = new ParleyServer(TokenMode());
        restarted.Time.Advance(TimeSpan.FromMinutes(10));
        await using var again = await restarted.ConnectAsync();
        var rebuilt = await again.ResumeAsync("lobby", joined.GetProperty("resumeToken").GetString()!, "ignored");
        Assert.Equal(id, rebuilt.GetProperty("self").GetProperty("id").GetString());
    }

    /// <summary>
    /// A removed participant's relay goes with it: the server holds one allocation in all (Turn:MaxAllocations=1), Bob
    /// holds it, and once a moderator removes Bob the moderator can allocate, which it could not before; Bob's credential
    /// is refused from then on although it has not expired, and his token no longer joins.
    /// </summary>
    [Fact]
    public async Task A_removed_participant_loses_its_relay_its_turn_credential_and_its_token()
    {
        var (server, port) = TurnIceServerTests.StartWithTurn(TokenMode(new()
        {
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:MaxAllocations"] = "1",
            ["Turn:ErrorRepliesPerSecond"] = "10000",
        }));
        using var _ = server;
        await using var mod = await JoinWithTokenAsync(server, Mint(server, "mod", admin: true));
        var bobToken = Mint(server, "bob");
        await using var bob = await JoinWithTokenAsync(server, bobToken);
        await mod.ExpectAsync("participant-joined");
        var endPoint = new IPEndPoint(IPAddress.Loopback, port);
        var bobTurn = TurnIceServerTests.IceServers(bob)[1];
        var modTurn = TurnIceServerTests.IceServers(mod)[1];
        using var bobRelay = await TurnSocketClient.ConnectAsync(endPoint, tcp: false);
        Assert.Equal(StunClass.SuccessResponse, (await bobRelay.AllocateAsync(bobTurn.Username!, bobTurn.Credential!)).Class);
        using var modBefore = await TurnSocketClient.ConnectAsync(endPoint, tcp: false);
        Assert.Equal(StunErrorCode.InsufficientCapacity, (await modBefore.AllocateAsync(modTurn.Username!, modTurn.Credential!)).Error);

        await mod.SendAsync(new { type = "remove-participant", id = bob.Id });

        await bob.ExpectErrorAsync(ErrorCode.Removed);
        var left = await mod.ExpectAsync("participant-left");
        Assert.Equal(ParticipantLeftMessage.ReasonRemoved, left.GetProperty("reason").GetString());
        using var modAfter = await TurnSocketClient.ConnectAsync(endPoint, tcp: false);
        Assert.Equal(StunClass.SuccessResponse, (await modAfter.AllocateAsync(modTurn.Username!, modTurn.Credential!)).Class);
        using var bobAgain = await TurnSocketClient.ConnectAsync(endPoint, tcp: false);
        Assert.Equal(StunErrorCode.Unauthenticated, (await bobAgain.AllocateAsync(bobTurn.Username!, bobTurn.Credential!)).Error);
        await using var bobRejoin = await server.ConnectAsync();
        await bobRejoin.SendAsync(new { type = "join", protocol = 1, token = bobToken });
        await bobRejoin.ExpectErrorAsync(ErrorCode.Banned);
    }

    /// <summary>
    /// The server never sees audio, but it relays what sets it up: a listener's offer that would send audio is refused,
    /// one that only receives is relayed; it cannot unmute or chat (canPublishData follows canPublish, as in LiveKit).
    /// </summary>
    [Fact]
    public async Task A_listener_may_negotiate_to_receive_but_not_to_send_audio_nor_unmute_nor_chat()
    {
        using var server = new ParleyServer(TokenMode());
        await using var bob = await JoinWithTokenAsync(server, Mint(server, "bob"));
        var listenerToken = new AccessTokenMinter(server.Time).Mint(Key, Secret, "lis", null, null,
            new VideoGrant { RoomJoin = true, Room = "lobby", CanPublish = false }, TimeSpan.FromHours(1));
        await using var listener = await JoinWithTokenAsync(server, listenerToken);
        var seen = (await bob.ExpectAsync("participant-joined")).GetProperty("participant");
        Assert.False(seen.GetProperty("permissions").GetProperty("canPublish").GetBoolean());
        static string Offer(string direction) =>
            $"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na={direction}\r\n";

        await listener.SendAsync(new { type = "offer", to = bob.Id, sdp = Offer("sendrecv") });
        await listener.ExpectErrorAsync(ErrorCode.Forbidden);
        await listener.SendAsync(new { type = "offer", to = bob.Id, sdp = Offer("recvonly") });
        Assert.Contains("a=recvonly", (await bob.ExpectAsync("offer")).GetProperty("sdp").GetString(), StringComparison.Ordinal);
        await listener.SendAsync(new { type = "state", muted = false });
        await listener.ExpectErrorAsync(ErrorCode.Forbidden);
        await listener.SendAsync(new { type = "chat", text = "hi" });
        await listener.ExpectErrorAsync(ErrorCode.Forbidden);
    }

    /// <summary>A join's offer is checked as an <c>offer</c> message is: a listener's that would send audio reaches nobody.</summary>
    [Fact]
    public async Task A_listeners_join_carrying_an_offer_that_sends_audio_hands_it_to_nobody()
    {
        using var server = new ParleyServer(TokenMode());
        await using var bob = await JoinWithTokenAsync(server, Mint(server, "bob"));
        static string Offer(string direction) =>
            $"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na={direction}\r\n";
        string ListenerToken(string identity) => new AccessTokenMinter(server.Time).Mint(Key, Secret, identity, null, null,
            new VideoGrant { RoomJoin = true, Room = "lobby", CanPublish = false }, TimeSpan.FromHours(1));

        await using var sending = await server.ConnectAsync();
        await sending.JoinWithAsync(new { type = "join", protocol = 1, token = ListenerToken("lis1"), offer = new { sdp = Offer("sendrecv") } });
        await using var receiving = await server.ConnectAsync();
        await receiving.JoinWithAsync(new { type = "join", protocol = 1, token = ListenerToken("lis2"), offer = new { sdp = Offer("recvonly") } });

        Assert.False(sending.Joined.TryGetProperty("offerTo", out _));
        Assert.Equal(bob.Id, receiving.Joined.GetProperty("offerTo").GetString());
        Assert.Equal("lis1", (await bob.ExpectAsync("participant-joined")).GetProperty("participant").GetProperty("identity").GetString());
        Assert.Equal("lis2", (await bob.ReceiveAsync()).GetProperty("participant").GetProperty("identity").GetString());
        var offer = await bob.ReceiveAsync();
        Assert.Equal(receiving.Id, offer.GetProperty("from").GetString());
        Assert.Contains("a=recvonly", offer.GetProperty("sdp").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_about_a_token_is_written_to_the_logs_even_at_trace_level()
    {
        var logs = new CapturedLogs();
        using var server = new ParleyServer(TokenMode(new() { ["Logging:LogLevel:Default"] = "Trace", ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace" }),
            services => services.AddSingleton<ILoggerProvider>(logs));
        var good = Mint(server, "ann");
        var forged = Mint(server, "eve", secret: new string('x', 40));
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/?token=" + good)).StatusCode);
        }

        await using (var ann = await JoinWithTokenAsync(server, good, inQuery: true))
        {
            await using var eve = await server.ConnectAsync();
            await eve.SendAsync(new { type = "join", protocol = 1, token = forged });
            await eve.ExpectErrorAsync("token-signature");
        }

        Assert.Contains(logs.Messages, message => message.Contains("joined", StringComparison.OrdinalIgnoreCase)); // the logs were captured
        foreach (var token in (string[])[good, forged])
        {
            var parts = token.Split('.');
            Assert.DoesNotContain(logs.Messages, message => message.Contains(parts[1], StringComparison.Ordinal) || message.Contains(parts[2], StringComparison.Ordinal));
        }
    }

    /// <summary>Every message every logger writes, whatever its level.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturedLogs logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Messages.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
