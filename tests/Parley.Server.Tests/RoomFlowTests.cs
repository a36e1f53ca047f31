using System.Text.Json;

namespace Parley.Server.Tests;

/// <summary>Joining, relaying, state and leaving over real WebSockets.</summary>
public sealed class RoomFlowTests : IClassFixture<RoomFlowTests.Server>
{
    public sealed class Server() : IDisposable
    {
        public ParleyServer Parley { get; } = new(new()
        {
            ["Signaling:IceServers:0:Urls:0"] = "stun:127.0.0.1:3478",
            ["Signaling:IceServers:1:Urls:0"] = "turn:127.0.0.1:3478",
            ["Signaling:IceServers:1:Username"] = "user",
            ["Signaling:IceServers:1:Credential"] = "secret",
        });

        public void Dispose() => Parley.Dispose();
    }

    private readonly ParleyServer server;

    public RoomFlowTests(Server fixture) => server = fixture.Parley;

    private static string NewRoom() => "room-" + Guid.NewGuid().ToString("N")[..8];

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Hello_announces_the_protocol_and_the_limits(string transport)
    {
        await using var client = await server.ConnectAsync(transport);

        Assert.Equal(1, client.Hello.GetProperty("protocol").GetInt32());
        var limits = client.Hello.GetProperty("limits");
        Assert.Equal(65536, limits.GetProperty("maxMessageBytes").GetInt32());
        Assert.Equal(16, limits.GetProperty("maxParticipantsPerRoom").GetInt32());
        Assert.Equal(50, limits.GetProperty("messagesPerSecond").GetInt32());
        Assert.Equal(10, limits.GetProperty("heartbeatSeconds").GetInt32());
        Assert.Equal(25, limits.GetProperty("heartbeatTimeoutSeconds").GetInt32());
        Assert.Equal(20, limits.GetProperty("resumeGraceSeconds").GetInt32());
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Joiner_gets_its_id_the_room_and_the_ice_servers_and_the_others_are_told(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        await using var bob = await server.ConnectAsync(transport);
        await bob.JoinAsync(room.ToUpperInvariant(), "  Bob  ", muted: true);

        Assert.Matches("^p_[A-Za-z0-9_-]{12}$", bob.Id);
        Assert.NotEqual(ann.Id, bob.Id);
        Assert.Equal(room, bob.Joined.GetProperty("room").GetString());
        var self = bob.Joined.GetProperty("self");
        Assert.Equal("Bob", self.GetProperty("name").GetString());
        Assert.True(self.GetProperty("muted").GetBoolean());
        var others = bob.Joined.GetProperty("participants").EnumerateArray().ToList();
        Assert.Equal(ann.Id, Assert.Single(others).GetProperty("id").GetString());
        Assert.Equal("Ann", others[0].GetProperty("name").GetString());

        var ice = bob.Joined.GetProperty("iceServers");
        Assert.Equal("stun:127.0.0.1:3478", ice[0].GetProperty("urls")[0].GetString());
        Assert.False(ice[0].TryGetProperty("username", out _));
        Assert.Equal("user", ice[1].GetProperty("username").GetString());
        Assert.Equal("secret", ice[1].GetProperty("credential").GetString());

        var joined = await ann.ExpectAsync("participant-joined");
        Assert.Equal(bob.Id, joined.GetProperty("participant").GetProperty("id").GetString());
        Assert.True(joined.GetProperty("participant").GetProperty("muted").GetBoolean());
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Offers_answers_and_candidates_reach_one_participant_stamped_by_the_server(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        await using var bob = await server.JoinAsync(room, "Bob", transport);
        await using var cy = await server.JoinAsync(room, "Cy", transport);

        await ann.SendAsync(new { type = "offer", to = bob.Id, from = cy.Id, sdp = "v=0\r\nann-offer" });
        var offer = await bob.ExpectAsync("offer");
        Assert.Equal(ann.Id, offer.GetProperty("from").GetString());
        Assert.Equal("v=0\r\nann-offer", offer.GetProperty("sdp").GetString());
        Assert.False(offer.TryGetProperty("to", out _));

        await bob.SendAsync(new { type = "answer", to = ann.Id, sdp = "v=0\r\nbob-answer" });
        var answer = await ann.ExpectAsync("answer");
        Assert.Equal(bob.Id, answer.GetProperty("from").GetString());

        var candidate = new { candidate = "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host", sdpMid = "0", sdpMLineIndex = 0, usernameFragment = "abcd", extra = "dropped" };
        await bob.SendAsync(new { type = "candidate", to = ann.Id, candidate });
        var relayed = await ann.ExpectAsync("candidate");
        Assert.Equal(bob.Id, relayed.GetProperty("from").GetString());
        Assert.Equal(candidate.candidate, relayed.GetProperty("candidate").GetProperty("candidate").GetString());
        Assert.Equal(0, relayed.GetProperty("candidate").GetProperty("sdpMLineIndex").GetInt32());
        Assert.False(relayed.GetProperty("candidate").TryGetProperty("extra", out _));

        await bob.SendAsync(new { type = "candidate", to = ann.Id, candidate = (object?)null });
        var end = await ann.ExpectAsync("candidate");
        Assert.Equal(JsonValueKind.Null, end.GetProperty("candidate").ValueKind);

        // Cy received none of it: its next message is the answer to its own ping.
        await cy.AssertAliveAsync();
    }

    /// <summary>
    /// docs/protocol.md, "An offer with the join": the first connected participant <c>joined</c> lists gets the offer a
    /// join carried, right after its <c>participant-joined</c>, as if the newcomer had sent it; nobody else does.
    /// </summary>
    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_join_carrying_an_offer_hands_it_to_the_first_participant_listed_after_announcing_the_newcomer(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        await using var cy = await server.JoinAsync(room, "Cy", transport);
        Assert.False(cy.Joined.TryGetProperty("offerTo", out _)); // it carried none
        await ann.ExpectAsync("participant-joined");
        await using var bob = await server.ConnectAsync(transport);
        const string sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\"Bob\" <é>\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n";

        await bob.JoinWithAsync(new { type = "join", protocol = 1, room, name = "Bob", offer = new { sdp } });

        Assert.Equal(ann.Id, bob.Joined.GetProperty("offerTo").GetString());
        Assert.Equal(ann.Id, bob.Joined.GetProperty("participants")[0].GetProperty("id").GetString());
        var announced = await ann.ReceiveAsync();
        Assert.Equal("participant-joined", announced.GetProperty("type").GetString());
        Assert.Equal(bob.Id, announced.GetProperty("participant").GetProperty("id").GetString());
        var offer = await ann.ReceiveAsync();
        Assert.Equal("offer", offer.GetProperty("type").GetString());
        Assert.Equal(bob.Id, offer.GetProperty("from").GetString());
        Assert.Equal(sdp, offer.GetProperty("sdp").GetString());
        Assert.Equal(bob.Id, (await cy.ExpectAsync("participant-joined")).GetProperty("participant").GetProperty("id").GetString());
        await cy.AssertAliveAsync(); // and nothing else

        // Ann answers as usual.
        await ann.SendAsync(new { type = "answer", to = bob.Id, sdp = "v=0\r\nann-answer" });
        Assert.Equal(ann.Id, (await bob.ExpectAsync("answer")).GetProperty("from").GetString());
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_join_carrying_an_offer_into_an_empty_room_hands_it_to_nobody_and_a_malformed_one_is_refused(string transport)
    {
        await using var bob = await server.ConnectAsync(transport);
        await bob.SendAsync(new { type = "join", protocol = 1, room = NewRoom(), name = "Bob", offer = new { sdp = "" } });
        var refused = await bob.ExpectErrorAsync("invalid-message");
        Assert.Equal("join", refused.GetProperty("ref").GetString());
        await bob.SendAsync(new { type = "join", protocol = 1, room = NewRoom(), name = "Bob", offer = "v=0" });
        Assert.Equal("join", (await bob.ExpectErrorAsync("malformed-json")).GetProperty("ref").GetString());

        await bob.JoinWithAsync(new { type = "join", protocol = 1, room = NewRoom(), name = "Bob", offer = new { sdp = "v=0\r\n" } });

        Assert.False(bob.Joined.TryGetProperty("offerTo", out _));
        Assert.Empty(bob.Joined.GetProperty("participants").EnumerateArray());
        await bob.AssertAliveAsync();
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Nobody_reaches_a_participant_of_another_room(string transport)
    {
        await using var ann = await server.JoinAsync(NewRoom(), "Ann", transport);
        await using var eve = await server.JoinAsync(NewRoom(), "Eve", transport);

        await eve.SendAsync(new { type = "offer", to = ann.Id, sdp = "v=0" });
        var error = await eve.ExpectErrorAsync("unknown-participant");
        Assert.Equal("offer", error.GetProperty("ref").GetString());

        await eve.SendAsync(new { type = "candidate", to = ann.Id, candidate = new { candidate = "" } });
        await eve.ExpectErrorAsync("unknown-participant");

        await eve.SendAsync(new { type = "offer", to = eve.Id, sdp = "v=0" });
        await eve.ExpectErrorAsync("unknown-participant");

        await ann.AssertAliveAsync();
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task State_changes_reach_everyone_else(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        await using var bob = await server.JoinAsync(room, "Bob", transport);
        await ann.ExpectAsync("participant-joined");

        await bob.SendAsync(new { type = "state", muted = true });
        var state = await ann.ExpectAsync("participant-state");
        Assert.Equal(bob.Id, state.GetProperty("id").GetString());
        Assert.True(state.GetProperty("muted").GetBoolean());
        Assert.False(state.GetProperty("speaking").GetBoolean());

        await bob.SendAsync(new { type = "state", speaking = true });
        state = await ann.ExpectAsync("participant-state");
        Assert.True(state.GetProperty("muted").GetBoolean());
        Assert.True(state.GetProperty("speaking").GetBoolean());

        // A newcomer sees the current state in its joined list.
        await using var cy = await server.JoinAsync(room, "Cy", transport);
        var bobSeenByCy = cy.Joined.GetProperty("participants").EnumerateArray().Single(p => p.GetProperty("id").GetString() == bob.Id);
        Assert.True(bobSeenByCy.GetProperty("muted").GetBoolean());
        Assert.True(bobSeenByCy.GetProperty("speaking").GetBoolean());

        // The sender is not echoed its own state.
        await bob.ExpectAsync("participant-joined");
        await bob.AssertAliveAsync();
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Leave_and_disconnect_tell_the_others_why(string transport)
    {
        var room = NewRoom();
        await using var ann = await server.JoinAsync(room, "Ann", transport);
        var bob = await server.JoinAsync(room, "Bob", transport);
        await using var cy = await server.JoinAsync(room, "Cy", transport);
        await ann.ExpectAsync("participant-joined");
        await ann.ExpectAsync("participant-joined");

        await cy.SendAsync(new { type = "leave" });
        var left = await ann.ExpectAsync("participant-left");
        Assert.Equal(cy.Id, left.GetProperty("id").GetString());
        Assert.Equal("left", left.GetProperty("reason").GetString());

        await bob.DisposeAsync();
        left = await ann.ExpectAsync("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal("disconnected", left.GetProperty("reason").GetString());

        // After leave, the same socket may join another room, as a new participant.
        var firstId = cy.Id;
        await cy.JoinAsync(NewRoom(), "Cy");
        Assert.NotEqual(firstId, cy.Id);
        Assert.Empty(cy.Joined.GetProperty("participants").EnumerateArray());
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task A_room_message_before_join_or_a_second_join_is_refused(string transport)
    {
        await using var client = await server.ConnectAsync(transport);
        foreach (var message in new object[]
        {
            new { type = "leave" },
            new { type = "state", muted = true },
            new { type = "offer", to = "p_x", sdp = "v=0" },
            new { type = "answer", to = "p_x", sdp = "v=0" },
            new { type = "candidate", to = "p_x", candidate = new { candidate = "" } },
        })
        {
            await client.SendAsync(message);
            await client.ExpectErrorAsync("not-joined");
        }

        await client.JoinAsync(NewRoom(), "Ann");
        await client.SendAsync(new { type = "join", protocol = 1, room = "other", name = "Ann" });
        var error = await client.ExpectErrorAsync("already-joined");
        Assert.Equal("join", error.GetProperty("ref").GetString());
    }

    [Theory, ClassData(typeof(AllTransports))]
    public async Task Ping_is_answered_in_and_out_of_a_room(string transport)
    {
        await using var client = await server.ConnectAsync(transport);
        await client.SendTextAsync("""{"type":"ping","id":42}""");
        var pong = await client.ExpectAsync("pong");
        Assert.Equal(42, pong.GetProperty("id").GetInt32());

        await client.SendTextAsync("""{"type":"ping"}""");
        pong = await client.ExpectAsync("pong");
        Assert.False(pong.TryGetProperty("id", out _));

        await client.SendTextAsync("""{"type":"ping","id":{"nested":true}}""");
        await client.ExpectErrorAsync("invalid-message");
    }
}
