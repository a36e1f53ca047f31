using System.Diagnostics;
using System.Text.RegularExpressions;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Browser.Tests;

/// <summary>
/// Calls that survive: audio flows peer to peer, so losing the signaling server must not end a call, the page
/// must reconnect by itself, and people who go away must disappear from the list even without the server.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class ReconnectTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>How long the participants must keep hearing each other while the server is dead.</summary>
    private static readonly TimeSpan ServerDownFor = TimeSpan.FromSeconds(10);

    /// <summary>Reconnect backoff is capped at 5 s, plus a resume: generous on a shared 2-core machine.</summary>
    private static readonly LocatorAssertionsToBeHiddenOptions RejoinTimeout = new() { Timeout = 30_000 };

    /// <summary>"Within a few seconds": a closed tab says bye, or its data channel closes.</summary>
    private static readonly LocatorAssertionsToHaveCountOptions GoneWithin = new() { Timeout = 5_000 };

    [Fact]
    public async Task A_killed_server_does_not_interrupt_the_call_and_both_rejoin_by_themselves_when_it_is_back()
    {
        // A server of its own: this test kills it.
        await using var server = await ParleyServer.StartAsync();
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInCallAsync(call, server, "restart");
        var ids = await alice.PeerIdsAsync();
        Assert.Equal(ids, await bob.PeerIdsAsync());
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));

        await server.KillAsync();
        alice.Log("server killed");
        bob.Log("server killed");
        var down = Stopwatch.StartNew();
        foreach (var participant in new[] { alice, bob })
        {
            await Expect(participant.ConnectionBanner).ToBeVisibleAsync();
            await Expect(participant.ConnectionBanner).ToHaveAttributeAsync("data-signaling", "reconnecting");
        }

        // Ten seconds without a server, measured all along: each still hears the other's tone.
        var rounds = 0;
        while (down.Elapsed < ServerDownFor)
        {
            var heard = await Task.WhenAll(alice.ProbeAsync(bob), bob.ProbeAsync(alice));
            rounds++;
            AssertTone(heard[0][bob.Name], bob, alice, down.Elapsed);
            AssertTone(heard[1][alice.Name], alice, bob, down.Elapsed);
        }

        Assert.True(rounds >= 3, $"only {rounds} measurements in {ServerDownFor.TotalSeconds} s");
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-state", "connected");
        await Expect(alice.LeaveButton).ToBeVisibleAsync();

        await server.StartAgainAsync();
        alice.Log("server started again");
        await ExpectBackInTheRoomAsync(alice, bob, ids);
        Assert.Empty(alice.Dialogs);

        // Neither list ever dropped the other, not even for a moment (the page traces every removal).
        Assert.DoesNotContain("- peer \"Bob\"", alice.History, StringComparison.Ordinal);
        Assert.DoesNotContain("- peer \"Alice\"", bob.History, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_stops_gracefully_sends_goaway_and_both_resume_when_it_is_back()
    {
        await using var server = await ParleyServer.StartAsync();
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInCallAsync(call, server, "goaway");
        var ids = await alice.PeerIdsAsync();

        // The page logs why it reconnects: here the SDK's message for `goaway`.
        await alice.Page.RunAndWaitForConsoleMessageAsync(server.StopGracefullyAsync,
            new() { Predicate = message => message.Text.Contains("The server is restarting", StringComparison.Ordinal) });
        alice.Log("server stopped (SIGTERM), goaway received");
        foreach (var participant in new[] { alice, bob })
        {
            await Expect(participant.ConnectionBanner).ToBeVisibleAsync();
        }

        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await server.StartAgainAsync();
        alice.Log("server started again");
        await ExpectBackInTheRoomAsync(alice, bob, ids);
    }

    [Fact]
    public async Task A_dropped_socket_resumes_within_the_grace_period_and_the_others_never_see_a_leave()
    {
        var room = CallScope.NewRoom("drop");
        await using var call = new CallScope(suite, output);
        var opened = await Task.WhenAll(
            call.OpenAsync(BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(BrowserSuite.BobHz, room, "Bob"));
        var (alice, bob) = (opened[0], opened[1]);
        // Test-side only: Alice's signaling socket goes through Playwright, which can cut it.
        IWebSocketRoute? aliceSocket = null;
        await alice.Page.RouteWebSocketAsync(new Regex("/ws$"), socket =>
        {
            socket.ConnectToServer();
            aliceSocket = socket;
        });
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        var ids = await alice.PeerIdsAsync();

        // An abnormal close (not 1000/1001) on both sides: the server keeps Alice's place for the grace period.
        await alice.Page.RunAndWaitForConsoleMessageAsync(
            () => aliceSocket!.CloseAsync(new() { Code = 4001, Reason = "network drop (test)" }),
            new() { Predicate = message => message.Text.Contains("our place in the room was kept", StringComparison.Ordinal), Timeout = 30_000 });
        alice.Log("socket cut, resumed");

        await Expect(alice.ConnectionBanner).ToBeHiddenAsync(RejoinTimeout);
        Assert.Equal(ids, await alice.PeerIdsAsync());
        Assert.Equal(ids, await bob.PeerIdsAsync());
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-state", "connected");
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await alice.SendChatAsync("still here");
        await Expect(bob.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("still here");
        Assert.DoesNotContain("- peer \"Alice\"", bob.History, StringComparison.Ordinal);
    }

    /// <summary>Both rejoined by themselves: no banner, the same list with the same ids, audio, and chat through the server.</summary>
    private static async Task ExpectBackInTheRoomAsync(Participant alice, Participant bob, IReadOnlyList<string> ids)
    {
        foreach (var participant in new[] { alice, bob })
        {
            await Expect(participant.ConnectionBanner).ToBeHiddenAsync(RejoinTimeout);
            participant.Log("banner hidden: reconnected");
            await Expect(participant.ConnectionBanner).ToHaveAttributeAsync("data-signaling", "connected");
            await Expect(participant.Peers).ToHaveCountAsync(2);
        }

        Assert.Equal(ids, await alice.PeerIdsAsync());
        Assert.Equal(ids, await bob.PeerIdsAsync());
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));

        // Both are in the restarted server's room again: a chat message goes through it to the other.
        await bob.SendChatAsync("back again");
        await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("back again");
    }

    [Fact]
    public async Task A_tab_closed_abruptly_disappears_from_the_others_list_within_seconds()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInCallAsync(call, suite.Server, "gone");

        await alice.ClosePageAbruptlyAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0, GoneWithin);
        await Expect(bob.Peers).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Without_a_server_a_participant_whose_browser_context_closes_disappears_through_the_peer_connection()
    {
        await using var server = await ParleyServer.StartAsync();
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInCallAsync(call, server, "nopeer");

        await server.KillAsync();
        await Expect(bob.ConnectionBanner).ToBeVisibleAsync();
        await alice.CloseContextAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0, GoneWithin);
        await Expect(bob.Peers).ToHaveCountAsync(1);
    }

    // The ICE username fragment (a=ice-ufrag) of the connected ones among the connections the page made
    // (recorded by PageScripts.RecordPeerConnections).
    private const string ConnectedIceUsernames = """
        () => window.__peerConnections
          .filter(pc => pc.connectionState === 'connected')
          .map(pc => /^a=ice-ufrag:(\S+)/m.exec(pc.localDescription?.sdp ?? '')?.[1] ?? '')
        """;

    /// <summary>
    /// Bob's browser runs in a network of its own, joined to Alice's and the server's by a link the test takes down
    /// for a while, as when Wi-Fi drops: Alice sees Bob's connection go `reconnecting`, and once the link is back
    /// both recover by themselves (ICE restart, or a new connection if that fails; Bob's signaling resumes),
    /// with nobody ever removed from a list, and they hear each other again. The server's own check after
    /// `peer-lost` is off here (it would remove Bob ~3 s after the restart starts; the next test covers it), so
    /// this one isolates the page's recovery.
    /// </summary>
    [SecondNetworkFact]
    public async Task A_participant_whose_network_drops_for_a_while_shows_reconnecting_then_recovers_by_itself()
    {
        await using var network = await SecondNetwork.CreateAsync();
        await using var server = await ParleyServer.StartAsync([SecondNetwork.HereAddress], "--Signaling:PeerLostCheckSeconds=0");
        await using var bobBrowser = await suite.LaunchInAsync(network, BrowserSuite.BobHz, server);
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await OpenAcrossNetworksAsync(call, server, bobBrowser, "netdrop");
        await alice.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
        await alice.Page.ReloadAsync();
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        var ids = await alice.PeerIdsAsync();
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        var before = await alice.Page.EvaluateAsync<string[]>(ConnectedIceUsernames);
        Assert.Single(before);

        await network.CutAsync();
        alice.Log("Bob's network cut");
        bob.Log("network cut");
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "reconnecting", new() { Timeout = 20_000 });
        alice.Log("Bob shown reconnecting");
        // Long enough for the first recovery step (an ICE restart 2 s after `disconnected`) to run and fail.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await Expect(alice.Peer(bob.Name)).ToHaveCountAsync(1);

        await network.RestoreAsync();
        alice.Log("Bob's network back");
        bob.Log("network back");
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 40_000 });
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 40_000 });
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await Expect(bob.ConnectionBanner).ToBeHiddenAsync(RejoinTimeout);

        // Recovered by the page, not by ICE resuming on its own: an ICE restart or a new connection both
        // carry new ICE credentials (RFC 8839 §4.4.1.1.1), and the restart was due while the link was down.
        var after = await alice.Page.EvaluateAsync<string[]>(ConnectedIceUsernames);
        Assert.Single(after);
        Assert.NotEqual(before[0], after[0]);
        Assert.Equal(ids, await alice.PeerIdsAsync());
        Assert.Equal(ids, await bob.PeerIdsAsync());
        Assert.DoesNotContain("- peer \"Bob\"", alice.History, StringComparison.Ordinal);
        Assert.DoesNotContain("- peer \"Alice\"", bob.History, StringComparison.Ordinal);
    }

    /// <summary>
    /// Bob's network goes and stays gone, as when a laptop loses power, with the server up and default settings:
    /// Alice's page reports `peer-lost` as its ICE restart starts, Bob does not answer the server's check, and the
    /// server tells Alice he left, within seconds instead of the heartbeat's 55 s. When his network is back, his
    /// page resumes by itself with the same id and the call resumes.
    /// </summary>
    [SecondNetworkFact]
    public async Task A_participant_whose_network_stays_gone_is_removed_within_seconds_and_comes_back_with_the_same_id()
    {
        await using var network = await SecondNetwork.CreateAsync();
        await using var server = await ParleyServer.StartAsync([SecondNetwork.HereAddress]);
        await using var bobBrowser = await suite.LaunchInAsync(network, BrowserSuite.BobHz, server);
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await OpenAcrossNetworksAsync(call, server, bobBrowser, "netgone");
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        var ids = await alice.PeerIdsAsync();

        await network.CutAsync();
        var cut = Stopwatch.StartNew();
        alice.Log("Bob's network cut");
        await Expect(alice.Peer(bob.Name)).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        alice.Log($"Bob removed {cut.Elapsed.TotalSeconds:F1} s after the cut");
        Assert.Contains("- peer \"Bob\"", alice.History, StringComparison.Ordinal);
        await Expect(alice.ConnectionBanner).ToBeHiddenAsync();

        await network.RestoreAsync();
        alice.Log("Bob's network back");
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 40_000 });
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 40_000 });
        Assert.Equal(ids, await alice.PeerIdsAsync());
        Assert.Equal(ids, await bob.PeerIdsAsync());
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
    }

    /// <summary>
    /// The server is down and then Bob's network goes too, as when his power fails: no bye, no server to ask.
    /// Alice's page learns it from the peer connection alone (ICE notices in ~5-7 s; the page then gives ICE 2 s
    /// to come back by itself and the server 3 s to come back for a restart) and drops him from her list.
    /// </summary>
    [SecondNetworkFact]
    public async Task Without_a_server_a_participant_whose_network_goes_disappears_through_the_peer_connection_state()
    {
        await using var network = await SecondNetwork.CreateAsync();
        await using var server = await ParleyServer.StartAsync([SecondNetwork.HereAddress]);
        await using var bobBrowser = await suite.LaunchInAsync(network, BrowserSuite.BobHz, server);
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await OpenAcrossNetworksAsync(call, server, bobBrowser, "nopower");
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);

        await server.KillAsync();
        await Expect(alice.ConnectionBanner).ToBeVisibleAsync();
        await network.CutAsync();
        var cut = Stopwatch.StartNew();
        alice.Log("server killed, then Bob's network cut");
        await Expect(alice.Peer(bob.Name)).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        alice.Log($"Bob removed {cut.Elapsed.TotalSeconds:F1} s after the cut");
        await Expect(alice.Peers).ToHaveCountAsync(1);
    }

    /// <summary>Opens the room for Alice here and for Bob in the second network's Chromium (not joined yet).</summary>
    private static async Task<(Participant Alice, Participant Bob)> OpenAcrossNetworksAsync(
        CallScope call, ParleyServer server, IBrowser bobBrowser, string prefix)
    {
        var room = CallScope.NewRoom(prefix);
        var opened = await Task.WhenAll(
            call.OpenAsync(server, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(bobBrowser, BrowserSuite.BobHz, server.PageFor(room, "Bob", SecondNetwork.HereAddress), "Bob"));
        return (opened[0], opened[1]);
    }

    private static async Task<(Participant Alice, Participant Bob)> TwoInCallAsync(CallScope call, ParleyServer server, string prefix)
    {
        var room = CallScope.NewRoom(prefix);
        var opened = await Task.WhenAll(
            call.OpenAsync(server, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(server, BrowserSuite.BobHz, room, "Bob"));
        var (alice, bob) = (opened[0], opened[1]);
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        await Expect(alice.ConnectionBanner).ToBeHiddenAsync();
        return (alice, bob);
    }

    private static void AssertTone(ProbeResult heard, Participant speaker, Participant listener, TimeSpan sinceKill)
    {
        if (!heard.IsTone(speaker.ToneHz, Participant.ToleranceHz, Participant.AudibleDb))
        {
            throw new XunitException(
                $"{sinceKill.TotalSeconds:F1} s after the server was killed, {listener.Name} did not hear {speaker.Name} at {speaker.ToneHz} Hz: {heard}");
        }
    }
}

/// <summary>Skipped where <see cref="SecondNetwork"/> cannot be made (outside test.sh's loopback-only namespace).</summary>
public sealed class SecondNetworkFactAttribute : FactAttribute
{
    public SecondNetworkFactAttribute()
    {
        if (SecondNetwork.WhyUnavailable() is { } reason)
        {
            Skip = "A second network namespace " + reason + ".";
        }
    }
}
