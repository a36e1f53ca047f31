using System.Diagnostics;
using Parley.Browser.Tests.Infrastructure;
using Parley.Server.Tests.Scale;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Browser.Tests;

/// <summary>
/// Two Parley nodes sharing one room through a real redis-server (issue 16), each serving the web app: a call whose
/// participants sit on different nodes survives one node's crash, and the page on it resumes by itself when it is back.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ScaleTests(BrowserSuite suite, ITestOutputHelper output)
{
    private static readonly TimeSpan NodeDownFor = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect backoff (up to 5 s), the node's start, the hand-over and the resume: generous on a shared machine.</summary>
    private static readonly LocatorAssertionsToBeHiddenOptions RejoinTimeout = new() { Timeout = 45_000 };

    [Fact]
    public async Task Alice_on_node_A_and_bob_on_node_B_keep_hearing_each_other_when_B_is_killed_and_bob_resumes_when_it_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] settings = [$"--Redis:Configuration={redis.Configuration}", $"--Redis:Prefix=browser-{Guid.NewGuid():N}",
            "--Redis:NodeHeartbeatSeconds=1", "--Redis:NodeTimeoutSeconds=5", "--Redis:OperationTimeoutMilliseconds=2500"];
        await using var nodeA = await ParleyServer.StartAsync(settings);
        await using var nodeB = await ParleyServer.StartAsync(settings);
        try
        {
            await using var call = new CallScope(suite, output);
            var room = CallScope.NewRoom("nodes");
            var alice = await call.OpenAsync(nodeA, BrowserSuite.AliceHz, room, "Alice");
            var bob = await call.OpenAsync(nodeB, BrowserSuite.BobHz, room, "Bob");
            await alice.JoinAsync(); // node A owns the room; Bob's session on B is carried to it
            await bob.JoinAsync();
            await CallScope.ExpectAllConnectedAsync([alice, bob]);
            var ids = await alice.PeerIdsAsync();
            Assert.Equal(2, ids.Count);
            Assert.Equal(ids, await bob.PeerIdsAsync());
            await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));

            await nodeB.KillAsync();
            bob.Log("node B killed");
            alice.Log("node B killed");
            var down = Stopwatch.StartNew();
            await Expect(bob.ConnectionBanner).ToHaveAttributeAsync("data-signaling", "reconnecting");

            // Ten seconds with Bob's node dead (longer than it takes A to notice): each still hears the other.
            var rounds = 0;
            while (down.Elapsed < NodeDownFor)
            {
                var heard = await Task.WhenAll(alice.ProbeAsync(bob), bob.ProbeAsync(alice));
                rounds++;
                AssertTone(heard[0][bob.Name], bob, alice, down.Elapsed);
                AssertTone(heard[1][alice.Name], alice, bob, down.Elapsed);
            }

            Assert.True(rounds >= 3, $"only {rounds} measurements in {NodeDownFor.TotalSeconds} s");
            await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected");

            // B back on the same port: Bob's page reconnects and resumes through it, with no click, as the same participant.
            await nodeB.StartAgainAsync();
            bob.Log("node B started again");
            await Expect(bob.ConnectionBanner).ToBeHiddenAsync(RejoinTimeout);
            await Expect(bob.ConnectionBanner).ToHaveAttributeAsync("data-signaling", "connected");
            Assert.Equal(ids, await alice.PeerIdsAsync());
            Assert.Equal(ids, await bob.PeerIdsAsync());
            await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));

            // Back in Alice's room on A, through B: chat crosses the nodes both ways.
            await bob.SendChatAsync("back through B");
            await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("back through B");
            await alice.SendChatAsync("welcome back");
            await Expect(bob.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("welcome back");

            // Alice's list never dropped Bob, not even for a moment (the page traces every removal).
            Assert.DoesNotContain("- peer \"Bob\"", alice.History, StringComparison.Ordinal);
            Assert.DoesNotContain("- peer \"Alice\"", bob.History, StringComparison.Ordinal);
        }
        finally
        {
            output.WriteLine($"[A]{Environment.NewLine}{nodeA.Output}{Environment.NewLine}[B]{Environment.NewLine}{nodeB.Output}{Environment.NewLine}[redis]{Environment.NewLine}{redis.Output}");
        }
    }

    private static void AssertTone(ProbeResult heard, Participant speaker, Participant listener, TimeSpan sinceKill)
    {
        if (!heard.IsTone(speaker.ToneHz, Participant.ToleranceHz, Participant.AudibleDb))
        {
            throw new XunitException(
                $"{sinceKill.TotalSeconds:F1} s after node B was killed, {listener.Name} did not hear {speaker.Name} at {speaker.ToneHz} Hz: {heard}");
        }
    }
}
