using Parley.Access;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// One extra hop at most (issue 16): offers, answers and candidates between two participants connected to nodes other
/// than the room's owner go from one client node to the other, not through the owner. Proven by freezing the owner.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class DirectRelayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Relays_between_two_client_nodes_arrive_in_order_while_the_owner_is_frozen()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "direct-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // A serves the room
        await using var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        await using var carol = await Rejoining.JoinAsync(nodes.C, room, "Carol");
        var carolJoined = await bob.ExpectAsync("participant-joined");
        Assert.Equal(carol.Id, carolJoined.GetProperty("participant").GetProperty("id").GetString());

        await nodes.A.PauseAsync();
        try
        {
            await bob.SendAsync(new { type = "offer", to = carol.Id, sdp = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\n" });
            var offer = await carol.ExpectAsync("offer");
            Assert.Equal(bob.Id, offer.GetProperty("from").GetString());
            Assert.Equal("v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\n", offer.GetProperty("sdp").GetString());

            await carol.SendAsync(new { type = "answer", to = bob.Id, sdp = "v=0\r\no=carol 1 1 IN IP4 127.0.0.1\r\n" });
            var answer = await bob.ExpectAsync("answer");
            Assert.Equal(carol.Id, answer.GetProperty("from").GetString());

            for (var i = 1; i <= 50; i++)
            {
                await bob.SendAsync(new { type = "candidate", to = carol.Id, candidate = CrossNodeTests.Candidate(i) });
            }

            var received = new List<int>();
            while (received.Count < 50)
            {
                var candidate = await carol.ExpectAsync("candidate");
                Assert.Equal(bob.Id, candidate.GetProperty("from").GetString());
                received.Add(CrossNodeTests.Number(candidate));
            }

            Assert.Equal(Enumerable.Range(1, 50), received);
        }
        finally
        {
            await nodes.A.ResumeAsync();
        }

        // A relay to the owner's own client still goes through the owner, now that it runs again.
        await bob.SendAsync(new { type = "candidate", to = alice.Id, candidate = CrossNodeTests.Candidate(99) });
        var toAlice = await alice.ExpectAsync("candidate");
        Assert.Equal(bob.Id, toAlice.GetProperty("from").GetString());
    }

    /// <summary>
    /// The offer a join carries (docs/protocol.md, "An offer with the join") reaches a room mate on a third node, after
    /// the newcomer's <c>participant-joined</c>, and the answer comes back straight from node to node: the room mate's
    /// node knew of the newcomer by then.
    /// </summary>
    [Fact]
    public async Task A_join_carrying_an_offer_reaches_a_room_mate_on_another_node_and_its_answer_comes_back_directly()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "direct-" + Guid.NewGuid().ToString("N")[..8];
        var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // A serves the room
        await using var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        await alice.SendAsync(new { type = "leave" });
        Assert.Equal(alice.Id, (await bob.ExpectAsync("participant-left")).GetProperty("id").GetString());
        await alice.DisposeAsync();
        const string sdp = "v=0\r\no=carol 1 1 IN IP4 127.0.0.1\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n";

        await using var carol = await Rejoining.JoinUntilAcceptedAsync(nodes.C,
            new { type = "join", protocol = 1, room, name = "Carol", muted = false, offer = new { sdp } });

        Assert.Equal(bob.Id, carol.Joined.GetProperty("offerTo").GetString());
        var announced = await bob.ReceiveAsync();
        Assert.Equal("participant-joined", announced.GetProperty("type").GetString());
        Assert.Equal(carol.Id, announced.GetProperty("participant").GetProperty("id").GetString());
        var offer = await bob.ReceiveAsync();
        Assert.Equal("offer", offer.GetProperty("type").GetString());
        Assert.Equal(carol.Id, offer.GetProperty("from").GetString());
        Assert.Equal(sdp, offer.GetProperty("sdp").GetString());

        await nodes.A.PauseAsync();
        try
        {
            await bob.SendAsync(new { type = "answer", to = carol.Id, sdp = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\n" });
            Assert.Equal(bob.Id, (await carol.ExpectAsync("answer")).GetProperty("from").GetString());
        }
        finally
        {
            await nodes.A.ResumeAsync();
        }
    }

    /// <summary>
    /// A hidden participant reaches nobody, on one node or several: its offer to a room mate on another node is
    /// answered <c>unknown-participant</c> by the owner, as one node answers, not sent there and silently dropped.
    /// </summary>
    [Fact]
    public async Task A_hidden_participants_relay_to_a_room_mate_on_another_node_is_refused_as_on_one_node()
    {
        const string key = "APIscale";
        var secret = new string('k', 40);
        await using var nodes = await ParleyNodes.StartAsync(3, output, new Dictionary<string, string?> { [$"Auth__Keys__{key}"] = secret });
        var room = "hidden-" + Guid.NewGuid().ToString("N")[..8];
        string Token(string identity, bool hidden = false) => new AccessTokenMinter(TimeProvider.System)
            .Mint(key, secret, identity, identity, null, new VideoGrant { RoomJoin = true, Room = room, Hidden = hidden }, TimeSpan.FromHours(1));
        await using var alice = await Rejoining.JoinUntilAcceptedAsync(nodes.A, new { type = "join", protocol = 1, token = Token("alice") });
        await using var bob = await Rejoining.JoinUntilAcceptedAsync(nodes.B, new { type = "join", protocol = 1, token = Token("bob") });
        await using var ghost = await Rejoining.JoinUntilAcceptedAsync(nodes.C, new { type = "join", protocol = 1, token = Token("ghost", hidden: true) });
        Assert.Contains(bob.Id, ghost.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        await ghost.SendAsync(new { type = "offer", to = bob.Id, sdp = "v=0\r\no=ghost 1 1 IN IP4 127.0.0.1\r\n" });

        Assert.Equal("offer", (await ghost.ExpectErrorAsync("unknown-participant")).GetProperty("ref").GetString());
        await bob.AssertAliveAsync(); // nothing reached him
    }

    [Fact]
    public async Task A_relay_to_someone_who_left_is_refused_by_the_owner_and_a_newcomer_is_reached_directly()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "direct-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice");
        await using var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        var carol = await Rejoining.JoinAsync(nodes.C, room, "Carol");
        await bob.ExpectAsync("participant-joined");

        // Carol leaves: bob's node forgets her, so his next candidate goes to the owner, which answers for the room.
        await carol.SendAsync(new { type = "leave" });
        var left = await bob.ExpectAsync("participant-left");
        Assert.Equal(carol.Id, left.GetProperty("id").GetString());
        await bob.SendAsync(new { type = "candidate", to = carol.Id, candidate = CrossNodeTests.Candidate(1) });
        var refused = await bob.ReceiveAsync();
        Assert.Equal("error", refused.GetProperty("type").GetString());
        Assert.Equal("unknown-participant", refused.GetProperty("code").GetString());
        await carol.DisposeAsync();

        // Dave, new on C, is introduced to bob with where he is: bob's offer reaches him with the owner frozen.
        await using var dave = await Rejoining.JoinAsync(nodes.C, room, "Dave");
        var daveJoined = await bob.ExpectAsync("participant-joined");
        Assert.Equal(dave.Id, daveJoined.GetProperty("participant").GetProperty("id").GetString());
        await nodes.A.PauseAsync();
        try
        {
            await bob.SendAsync(new { type = "offer", to = dave.Id, sdp = "v=0\r\n" });
            var offer = await dave.ExpectAsync("offer");
            Assert.Equal(bob.Id, offer.GetProperty("from").GetString());
        }
        finally
        {
            await nodes.A.ResumeAsync();
        }
    }
}
