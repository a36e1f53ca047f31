using System.Diagnostics;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Scale;

/// <summary>
/// A node killed with SIGKILL (no goodbye to anyone, nothing said to Redis): its participants come back through
/// another node with the same ids, within the resume grace, and nobody sees them leave.
/// </summary>
[Collection(ScaleTestGroup.Name)]
public sealed class NodeDeathTests(ITestOutputHelper output)
{
    /// <summary>NodeTimeoutSeconds (5) plus two heartbeats (1 s): the others must have noticed a death by then.</summary>
    private static readonly TimeSpan NoticedWithin = TimeSpan.FromSeconds(7);

    [Fact]
    public async Task A_participant_whose_node_is_killed_resumes_on_another_node_and_is_only_seen_away()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "death-" + Guid.NewGuid().ToString("N")[..8];
        await using var aliceClient = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // the first join: node A owns the room
        var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        await using var carolClient = await Rejoining.JoinAsync(nodes.C, room, "Carol");
        var (alice, carol) = (new RoomWatch(aliceClient), new RoomWatch(carolClient));
        await alice.WaitUntilPresentAsync([bob.Id, carolClient.Id]);
        await carol.WaitUntilPresentAsync([aliceClient.Id, bob.Id]);

        await nodes.B.KillAsync();
        var killed = Stopwatch.StartNew();
        await bob.DisposeAsync();

        // The owner noticed B's death: Bob is away (reconnecting), not gone.
        foreach (var watch in new[] { alice, carol })
        {
            await watch.WaitForAsync("participant-away", m => m.GetProperty("id").GetString() == bob.Id);
        }

        Assert.True(killed.Elapsed < NoticedWithin + TimeSpan.FromSeconds(3), $"Bob's node's death noticed after {killed.Elapsed}");

        // Bob's client reconnects to another node and resumes: same id, its place was kept.
        await using var bobAgain = await Rejoining.JoinUntilAcceptedAsync(nodes.C, Rejoining.Resume(bob, room, "Bob"));
        Assert.Equal(bob.Id, bobAgain.Id);
        Assert.True(bobAgain.Joined.GetProperty("resumed").GetBoolean(), $"not resumed: {bobAgain.Joined}");
        Assert.Equal(new[] { aliceClient.Id, carolClient.Id }.Order(),
            bobAgain.Joined.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("id").GetString()).Order());
        foreach (var watch in new[] { alice, carol })
        {
            var back = await watch.WaitForJoinedAsync(bob.Id);
            Assert.True(back.GetProperty("resumed").GetBoolean());
        }

        // The relay reaches the resumed Bob through his new node, and his reaches Alice.
        await aliceClient.SendAsync(new { type = "offer", to = bob.Id, sdp = "v=0\r\n" });
        Assert.Equal(aliceClient.Id, (await bobAgain.ExpectAsync("offer")).GetProperty("from").GetString());
        await bobAgain.SendAsync(new { type = "answer", to = aliceClient.Id, sdp = "v=0\r\n" });
        Assert.Equal(bob.Id, (await alice.WaitForAsync("answer")).GetProperty("from").GetString());

        // Long past the time B's death is noticed and acted on, nobody has seen Bob leave.
        var rest = NoticedWithin + TimeSpan.FromSeconds(2) - killed.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        await Task.WhenAll(alice.DrainAsync(), carol.DrainAsync());
        alice.AssertNeverLeft(bob.Id);
        carol.AssertNeverLeft(bob.Id);
    }

    [Fact]
    public async Task When_the_room_owner_is_killed_everyone_resumes_with_the_same_ids_and_nobody_sees_a_leave()
    {
        await using var nodes = await ParleyNodes.StartAsync(3, output);
        var room = "owner-" + Guid.NewGuid().ToString("N")[..8];
        var alice = await Rejoining.JoinAsync(nodes.A, room, "Alice"); // node A owns the room
        var bob = await Rejoining.JoinAsync(nodes.B, room, "Bob");
        var carol = await Rejoining.JoinAsync(nodes.C, room, "Carol");
        await new RoomWatch(alice).WaitUntilPresentAsync([bob.Id, carol.Id]);

        await nodes.A.KillAsync();
        var killed = Stopwatch.StartNew();
        await alice.DisposeAsync();

        // Bob's and Carol's nodes carried their sessions to A: once A's death is noticed they are told to come back.
        var untilReset = await Task.WhenAll(Rejoining.ExpectGoawayAsync(bob), Rejoining.ExpectGoawayAsync(carol));
        Assert.True(killed.Elapsed < NoticedWithin + TimeSpan.FromSeconds(3), $"goaway after {killed.Elapsed}");
        Assert.DoesNotContain(untilReset.SelectMany(m => m), m => m.GetProperty("type").GetString() == "participant-left");

        // Everyone resumes: Alice through B (her node is gone), Bob through B, Carol through C; the room is rebuilt
        // on the node the first of them reaches, with everyone's id.
        var resumed = await Task.WhenAll(
            Rejoining.JoinUntilAcceptedAsync(nodes.B, Rejoining.Resume(alice, room, "Alice")),
            Rejoining.JoinUntilAcceptedAsync(nodes.B, Rejoining.Resume(bob, room, "Bob")),
            Rejoining.JoinUntilAcceptedAsync(nodes.C, Rejoining.Resume(carol, room, "Carol")));
        await bob.DisposeAsync();
        await carol.DisposeAsync();
        try
        {
            Assert.Equal([alice.Id, bob.Id, carol.Id], resumed.Select(c => c.Id));
            var after = resumed.Select(c => new RoomWatch(c)).ToList();
            var ids = resumed.Select(c => c.Id).ToList();
            await Task.WhenAll(after.Select(w => w.WaitUntilPresentAsync(ids.Where(id => id != w.Client.Id))));

            // The rebuilt room relays across nodes: Carol (C) to Alice (B).
            await resumed[2].SendAsync(new { type = "candidate", to = alice.Id, candidate = CrossNodeTests.Candidate(7) });
            Assert.Equal(carol.Id, (await after[0].WaitForAsync("candidate")).GetProperty("from").GetString());

            await Task.WhenAll(after.Select(w => w.DrainAsync()));
            foreach (var watch in after)
            {
                foreach (var id in ids)
                {
                    watch.AssertNeverLeft(id);
                }
            }
        }
        finally
        {
            foreach (var client in resumed)
            {
                await client.DisposeAsync();
            }
        }
    }
}
