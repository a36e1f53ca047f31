using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Parley's page meeting through a WebTorrent tracker instead of its server (docs/protocol.md, "Meeting through
/// WebTorrent trackers"): the reference tracker (npm bittorrent-tracker, started by the test on loopback) only
/// introduces the pages; the participant list, mute, chat and the audio connection's negotiation then go peer to peer.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class TrackerTests(BrowserSuite suite, ITestOutputHelper output)
{
    private const double MutedDropDb = 30;

    [Fact]
    public async Task Two_pages_meeting_through_a_tracker_hear_each_other_mute_and_chat_without_ever_contacting_the_server_signaling()
    {
        await using var tracker = await ReferenceTracker.StartAsync();
        await using var server = await ServerAllowingAsync(tracker);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("tracker");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, PageFor(server, tracker, room, "Alice", "&password=s3cret"), "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, PageFor(server, tracker, room, "Bob", "&password=s3cret"), "Bob");
        var sockets = new ConcurrentQueue<string>();
        var signalingRequests = new ConcurrentQueue<string>();
        foreach (var participant in new[] { alice, bob })
        {
            participant.Page.WebSocket += (_, socket) => sockets.Enqueue($"{participant.Name}: {socket.Url}");
            participant.Page.Request += (_, request) =>
            {
                if (request.Url.Contains("/signal", StringComparison.Ordinal)) signalingRequests.Enqueue(request.Url);
            };
        }

        try
        {
            await alice.JoinAsync();
            await bob.JoinAsync();
            await CallScope.ExpectAllConnectedAsync([alice, bob]);
            await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "tracker");
            await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "tracker");
            var unmuted = await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
            var aliceUnmutedDb = unmuted[1][alice.Name].RmsDb;

            // Mute: `state` on the link between the two pages, no server to relay it.
            await alice.ClickMuteAsync();
            await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "true");
            await bob.WaitForAudioAsync([alice], heard => heard[alice.Name] is { Found: true } a && a.RmsDb <= Participant.SilentDb && a.RmsDb <= aliceUnmutedDb - MutedDropDb,
                $"hear silence from muted Alice (unmuted she was {aliceUnmutedDb:F1} dBFS)");
            await alice.ClickMuteAsync();
            await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "false");

            await bob.SendChatAsync("no server in between");
            await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("no server in between");
            await Expect(bob.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("no server in between");

            // The password is not kept in the address (nor in the share link); the tracker is.
            Assert.DoesNotContain("password", alice.Page.Url, StringComparison.Ordinal);
            Assert.Contains("tracker=", alice.Page.Url, StringComparison.Ordinal);

            await alice.ClickLeaveAsync();
            await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0);
            await Expect(bob.Peers).ToHaveCountAsync(1);

            Assert.NotEmpty(sockets);
            Assert.All(sockets, url => Assert.Contains($": {tracker.Url.ToString().TrimEnd('/')}", url, StringComparison.Ordinal));
            Assert.Empty(signalingRequests);
        }
        finally
        {
            output.WriteLine($"WebSockets opened: {string.Join(", ", sockets)}");
            output.WriteLine($"--- tracker ---{Environment.NewLine}{tracker.History}");
        }
    }

    [Fact]
    public async Task A_page_with_the_wrong_room_password_never_meets_the_others_and_stays_alone()
    {
        await using var tracker = await ReferenceTracker.StartAsync();
        await using var server = await ServerAllowingAsync(tracker);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("tracker-pw");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, PageFor(server, tracker, room, "Alice", "&password=right"), "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, PageFor(server, tracker, room, "Bob", "&password=wrong"), "Bob");
        var carol = await call.OpenAsync(BrowserSuite.CarolHz, PageFor(server, tracker, room, "Carol", "&password=right"), "Carol");
        try
        {
            await alice.JoinAsync();
            await bob.JoinAsync();
            await carol.JoinAsync();

            // Alice and Carol (the right password) meet through the same tracker at the same time as Bob announces...
            await CallScope.ExpectAllConnectedAsync([alice, carol]);
            await Task.WhenAll(alice.WaitToHearAsync(carol), carol.WaitToHearAsync(alice));
            await tracker.WaitForStartsAsync(3, TimeSpan.FromSeconds(15));

            // ...and Bob, with another password, is alone in the page: nobody sees him, he sees nobody, no alert.
            await Expect(bob.Peers).ToHaveCountAsync(1);
            await Expect(alice.Peers).ToHaveCountAsync(2);
            await Expect(carol.Peers).ToHaveCountAsync(2);
            await Expect(alice.Peer(bob.Name)).ToHaveCountAsync(0);
            await Expect(bob.Alert).ToHaveCountAsync(0);
            await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "tracker");
        }
        finally
        {
            output.WriteLine($"--- tracker ---{Environment.NewLine}{tracker.History}");
        }
    }

    [Fact]
    public async Task When_the_server_signaling_cannot_be_reached_pages_with_a_fallback_tracker_meet_through_it()
    {
        await using var tracker = await ReferenceTracker.StartAsync();
        await using var server = await ServerAllowingAsync(tracker);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("tracker-fallback");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, PageFor(server, tracker, room, "Alice", "&tracker-mode=fallback"), "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, PageFor(server, tracker, room, "Bob", "&tracker-mode=fallback"), "Bob");
        var refused = 0;
        foreach (var participant in new[] { alice, bob })
        {
            // The page was served, then the server's signaling is gone: its WebSocket closes at once, HTTP fails.
            await participant.Page.RouteWebSocketAsync(new Regex("/ws$"), socket =>
            {
                Interlocked.Increment(ref refused);
                _ = socket.CloseAsync(new() { Code = 1011, Reason = "server gone (test)" });
            });
            await participant.Page.RouteAsync(new Regex("/signal"), route =>
            {
                Interlocked.Increment(ref refused);
                return route.AbortAsync("connectionrefused");
            });
        }

        try
        {
            await alice.JoinAsync();
            await bob.JoinAsync();
            await CallScope.ExpectAllConnectedAsync([alice, bob]);
            await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "tracker");
            await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "tracker");
            await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
            await bob.SendChatAsync("met through the fallback");
            await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("met through the fallback");
            Assert.True(refused >= 4, $"each page tried the server first (WebSocket, then HTTP): {refused} attempts refused");
        }
        finally
        {
            output.WriteLine($"--- tracker ---{Environment.NewLine}{tracker.History}");
        }
    }

    /// <summary>A server whose page may talk to <paramref name="tracker"/> (Web:Trackers: its CSP connect-src).</summary>
    private static Task<ParleyServer> ServerAllowingAsync(ReferenceTracker tracker) =>
        ParleyServer.StartAsync($"--Web:Trackers:0={tracker.Url}");

    /// <summary><paramref name="server"/>'s page for <paramref name="room"/> meeting through <paramref name="tracker"/>.</summary>
    private static Uri PageFor(ParleyServer server, ReferenceTracker tracker, string room, string name, string extra = "") =>
        new($"{server.PageFor(room, name)}&tracker={Uri.EscapeDataString(tracker.Url.ToString().TrimEnd('/'))}{extra}");
}
