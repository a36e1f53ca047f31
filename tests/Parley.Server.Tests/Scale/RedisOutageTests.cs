using System.Net;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// Redis lost, restarted empty, or frozen: nodes keep what they can serve alone, refuse what they cannot decide,
/// never deliver a stale message late, and rebuild the shared state when Redis is back.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_redis_restarts_empty_the_room_comes_back_and_new_joins_through_any_node_land_in_it()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output);
        var room = "restart-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // node A owns the room
        var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        await new RoomWatch(alice).WaitUntilPresentAsync([bob.Id]);

        await nodes.Redis.RestartAsync();

        // Bob's session was carried to A over Redis: it is reset (goaway, 1012) and he resumes, as the SDK does,
        // once A has put its room (Alice, and Bob's kept place) back into the empty Redis: within a heartbeat.
        await Rejoining.ExpectGoawayAsync(bob);
        await nodes.WaitUntilReassertedAsync(rooms: 1, seats: 2);
        await using var bobAgain = await Rejoining.JoinUntilAcceptedAsync(nodes.B, Rejoining.Resume(bob, room, "Bob"));
        await bob.DisposeAsync();
        Assert.Equal(bob.Id, bobAgain.Id);
        Assert.Contains(alice.Id, bobAgain.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()));

        // A newcomer through B lands in the same room as Alice on A (the room was re-asserted in the empty Redis),
        // and the relay works again between the nodes.
        await using var carol = await Rejoining.JoinAsync(nodes.B, room, "Carol");
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), carol.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        var aliceWatch = new RoomWatch(alice);
        await aliceWatch.WaitForJoinedAsync(carol.Id);
        await carol.SendAsync(new { type = "candidate", to = alice.Id, candidate = CrossNodeTests.Candidate(3) });
        Assert.Equal(carol.Id, (await aliceWatch.WaitForAsync("candidate")).GetProperty("from").GetString());
        aliceWatch.AssertNeverLeft(bob.Id);
    }

    [Fact]
    public async Task Seats_are_reasserted_after_redis_restarts_empty_so_the_limit_still_holds()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output, new Dictionary<string, string?> { ["Signaling__MaxParticipantsPerRoom"] = "2" });
        var room = "seats-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice");
        await using var bob = await Rejoining.JoinAsync(nodes.A, room, "Bob"); // both on the owner: nothing to reset
        await alice.ExpectAsync("participant-joined");

        await nodes.Redis.RestartAsync();

        // The empty Redis forgot the seats; the owner puts them back within a heartbeat, so a third, through the other
        // node, is refused (not admitted into a room that would then hold three).
        await nodes.WaitUntilReassertedAsync(rooms: 1, seats: 2);
        await using var carol = await nodes.B.ConnectAsync();
        var answer = await Rejoining.AnswerAsync(carol, room, "Carol"); // B may still be reconnecting: unavailable, tried again
        Assert.Equal("room-full", answer.TryGetProperty("code", out var code) ? code.GetString() : answer.ToString());
        await alice.AssertAliveAsync();
        await bob.AssertAliveAsync();
    }

    [Fact]
    public async Task A_new_join_while_redis_is_down_gets_unavailable_and_succeeds_once_it_is_back()
    {
        await using var nodes = await ParleyNodes.StartAsync(2, output);
        var room = "down-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice");

        await nodes.Redis.KillAsync();

        // A new room needs Redis to decide who serves it: refused with unavailable, and no joined.
        await using var bob = await nodes.B.ConnectAsync();
        await bob.SendAsync(Rejoining.Join("other-" + room, "Bob"));
        var refusal = await bob.ExpectErrorAsync("unavailable");
        Assert.Equal("join", refusal.GetProperty("ref").GetString());
        await bob.AssertAliveAsync(); // nothing else came: no joined

        // Alice's own node keeps serving her, alone in her room.
        await alice.AssertAliveAsync();

        // Carol joins through B as soon as A serves the room again, whether B's inbox listens again or not: B hands the
        // join over only once it does. Before it waited, the owner's first answer could find nobody listening (one CI
        // run in several): the session was reset as it began, and the retry found the first attempt's participant away.
        await nodes.Redis.RestartAsync();
        await nodes.WaitUntilReassertedAsync(rooms: 1, seats: 1, inboxes: false);
        await using var carol = await Rejoining.JoinAsync(nodes.B, room, "Carol");
        Assert.Equal([alice.Id], carol.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Redis_paused_for_five_seconds_no_crash_no_stale_delivery_and_recovery()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "pause-" + Guid.NewGuid().ToString("N")[..8];
        await using var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // node A owns the room
        var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        var aliceWatch = new RoomWatch(alice);
        await aliceWatch.WaitUntilPresentAsync([bob.Id]);

        nodes.Redis.Pause();
        // Sent into the frozen Redis: it must never reach Alice, whether it is dropped at once or arrives late.
        for (var i = 1; i <= 5; i++)
        {
            await bob.SendAsync(new { type = "candidate", to = alice.Id, candidate = CrossNodeTests.Candidate(900 + i) });
        }

        // While frozen: a new room cannot be decided.
        await using var dave = await nodes.C.ConnectAsync();
        await dave.SendAsync(Rejoining.Join("other-" + room, "Dave"));
        await dave.ExpectErrorAsync("unavailable");

        await Task.Delay(TimeSpan.FromSeconds(5)); // the pause itself: five seconds of a frozen Redis
        nodes.Redis.Resume();

        // No crash: every node still serves.
        foreach (var node in nodes.Nodes)
        {
            Assert.True(node.Running);
            Assert.Equal(HttpStatusCode.OK, (await node.GetAsync("/healthz")).Status);
        }

        // Bob's carried session was reset; he resumes with his id, and his fresh messages reach Alice.
        await Rejoining.ExpectGoawayAsync(bob);
        await using var bobAgain = await Rejoining.JoinUntilAcceptedAsync(nodes.B, Rejoining.Resume(bob, room, "Bob"));
        await bob.DisposeAsync();
        Assert.Equal(bob.Id, bobAgain.Id);
        await bobAgain.SendAsync(new { type = "candidate", to = alice.Id, candidate = CrossNodeTests.Candidate(1) });
        var fresh = await aliceWatch.WaitForAsync("candidate");
        Assert.Equal(1, CrossNodeTests.Number(fresh));

        // Past the time a late message could still arrive (MessageMaxAge, 3 s): none of the stale ones ever came.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await aliceWatch.DrainAsync();
        var stale = aliceWatch.Seen.Where(m => m.GetProperty("type").GetString() == "candidate" && CrossNodeTests.Number(m) > 900).ToList();
        Assert.True(stale.Count == 0, $"stale candidates delivered: {string.Join(", ", stale)}");
        aliceWatch.AssertNeverLeft(bob.Id);

        // Recovery: a newcomer through the third node lands in the same room.
        await using var carol = await Rejoining.JoinAsync(nodes.C, room, "Carol");
        Assert.Equal(new[] { alice.Id, bob.Id }.Order(), carol.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
    }
}
