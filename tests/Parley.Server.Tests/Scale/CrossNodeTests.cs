using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// One room, participants on different nodes (issue 16): each client sees exactly the single-node protocol, whichever
/// node it reached. Real processes, real sockets, a real redis-server.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class CrossNodeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("sse")]
    public async Task Join_presence_state_chat_relay_and_leave_work_across_nodes(string bobTransport)
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output);
        var room = "cross-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice");
        await using var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob", bobTransport);

        // Presence: each sees the other, as on one node.
        var present = bob.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Equal([alice.Id], present);
        var joined = await alice.ExpectAsync("participant-joined");
        Assert.Equal(bob.Id, joined.GetProperty("participant").GetProperty("id").GetString());
        Assert.Equal("Bob", joined.GetProperty("participant").GetProperty("name").GetString());

        // State, both ways.
        await bob.SendAsync(new { type = "state", muted = true, speaking = false });
        var state = await alice.ExpectAsync("participant-state");
        Assert.Equal(bob.Id, state.GetProperty("id").GetString());
        Assert.True(state.GetProperty("muted").GetBoolean());
        await alice.SendAsync(new { type = "state", speaking = true });
        state = await bob.ExpectAsync("participant-state");
        Assert.Equal(alice.Id, state.GetProperty("id").GetString());
        Assert.True(state.GetProperty("speaking").GetBoolean());

        // Chat reaches everyone, the author included, stamped with the author.
        await alice.SendAsync(new { type = "chat", text = "hello from A" });
        foreach (var reader in new[] { alice, bob })
        {
            var chat = await reader.ExpectAsync("chat");
            Assert.Equal(alice.Id, chat.GetProperty("from").GetString());
            Assert.Equal("hello from A", chat.GetProperty("text").GetString());
        }

        // Offer, answer and a candidate, relayed between the nodes, with the server-stamped sender.
        await bob.SendAsync(new { type = "offer", to = alice.Id, sdp = "v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\n" });
        var offer = await alice.ExpectAsync("offer");
        Assert.Equal(bob.Id, offer.GetProperty("from").GetString());
        Assert.Equal("v=0\r\no=bob 1 1 IN IP4 127.0.0.1\r\n", offer.GetProperty("sdp").GetString());
        await alice.SendAsync(new { type = "answer", to = bob.Id, sdp = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\n" });
        var answer = await bob.ExpectAsync("answer");
        Assert.Equal(alice.Id, answer.GetProperty("from").GetString());
        await alice.SendAsync(new { type = "candidate", to = bob.Id, candidate = Candidate(1) });
        var candidate = await bob.ExpectAsync("candidate");
        Assert.Equal(alice.Id, candidate.GetProperty("from").GetString());
        Assert.Equal(CandidateText(1), candidate.GetProperty("candidate").GetProperty("candidate").GetString());

        // Leave: the other sees it at once, with its reason.
        await bob.SendAsync(new { type = "leave" });
        var left = await alice.ExpectAsync("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal("left", left.GetProperty("reason").GetString());
        await alice.AssertAliveAsync();
        await bob.AssertAliveAsync();
    }

    [Fact]
    public async Task A_hundred_candidates_from_bob_on_B_reach_alice_on_A_in_order()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output);
        var room = "order-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice");
        await using var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        await alice.ExpectAsync("participant-joined");

        // Sent back to back, without waiting: the order is the relay's to keep (the rate limit's burst is 200).
        for (var i = 1; i <= 100; i++)
        {
            await bob.SendAsync(new { type = "candidate", to = alice.Id, candidate = Candidate(i) });
        }

        var received = new List<int>();
        while (received.Count < 100)
        {
            var message = await alice.ExpectAsync("candidate");
            Assert.Equal(bob.Id, message.GetProperty("from").GetString());
            received.Add(Number(message));
        }

        Assert.Equal(Enumerable.Range(1, 100), received);
    }

    /// <summary>An ICE candidate numbered <paramref name="n"/> (its foundation and port), to check order on arrival.</summary>
    internal static object Candidate(int n) => new { candidate = CandidateText(n), sdpMid = "0", sdpMLineIndex = 0 };

    internal static string CandidateText(int n) =>
        string.Create(CultureInfo.InvariantCulture, $"candidate:{n} 1 udp 2122260223 127.0.0.1 {40000 + n} typ host");

    internal static int Number(JsonElement candidateMessage)
    {
        var text = candidateMessage.GetProperty("candidate").GetProperty("candidate").GetString()!;
        return int.Parse(text.AsSpan("candidate:".Length, text.IndexOf(' ', StringComparison.Ordinal) - "candidate:".Length), CultureInfo.InvariantCulture);
    }
}
