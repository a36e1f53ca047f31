using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Networks that break WebSockets (docs/protocol.md, "Signaling over HTTP"): pages whose WebSocket cannot open signal
/// over HTTP by themselves and the call is the same; behind a real nginx without <c>Upgrade</c> the page connects over
/// HTTP, with it over a WebSocket, and through a proxy that holds event streams back, by long polling.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class HttpSignalingTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>A WebSocket that never gets hello gives way after 3 s, a held-back stream after 4 s more: generous under load.</summary>
    private static readonly LocatorAssertionsToHaveAttributeOptions FallbackTimeout = new() { Timeout = 30_000 };

    /// <summary>Reconnect backoff is capped at 5 s, plus a resume: generous on a shared 2-core machine.</summary>
    private static readonly LocatorAssertionsToBeHiddenOptions RejoinTimeout = new() { Timeout = 30_000 };

    private const double MutedDropDb = 30;

    [Fact]
    public async Task Two_pages_without_WebSockets_hear_each_other_over_HTTP_signaling_and_mute_chat_and_leave_work()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoWithoutWebSocketsAsync(call, suite.Server, "http");
        await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "sse");
        await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "sse");
        var unmuted = await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        var aliceUnmutedDb = unmuted[1][alice.Name].RmsDb;

        // Mute goes through the server (state over a POST, participant-state down the event stream).
        await alice.ClickMuteAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "true");
        await bob.WaitForAudioAsync([alice], heard => heard[alice.Name] is { Found: true } a && a.RmsDb <= Participant.SilentDb && a.RmsDb <= aliceUnmutedDb - MutedDropDb,
            $"hear silence from muted Alice (unmuted she was {aliceUnmutedDb:F1} dBFS)");
        await alice.ClickMuteAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "false");

        await bob.SendChatAsync("over plain HTTP");
        await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("over plain HTTP");

        await alice.ClickLeaveAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_mixed_room_one_over_WebSocket_one_over_HTTP_is_an_ordinary_call()
    {
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("mixed");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, room, "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, suite.Server.PageFor(room, "Bob"), "Bob", PageScripts.BlockWebSockets);
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "websocket");
        await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "sse");
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await alice.ClickMuteAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "true");
        await bob.ClickMuteAsync();
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-muted", "true");
    }

    [Fact]
    public async Task Over_HTTP_a_server_restart_keeps_the_call_and_both_resume_with_the_same_ids()
    {
        await using var server = await ParleyServer.StartAsync();
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoWithoutWebSocketsAsync(call, server, "http-restart");
        var ids = await alice.PeerIdsAsync();

        // goaway arrives on the event stream, then the close event; the SDK reconnects over HTTP again.
        await alice.Page.RunAndWaitForConsoleMessageAsync(server.StopGracefullyAsync,
            new() { Predicate = message => message.Text.Contains("The server is restarting", StringComparison.Ordinal) });
        alice.Log("server stopped (SIGTERM), goaway received over HTTP");
        await Expect(alice.ConnectionBanner).ToBeVisibleAsync();
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));

        await server.StartAgainAsync();
        foreach (var participant in new[] { alice, bob })
        {
            await Expect(participant.ConnectionBanner).ToBeHiddenAsync(RejoinTimeout);
            await Expect(participant.SignalingTransport).ToHaveAttributeAsync("data-transport", "sse");
        }

        Assert.Equal(ids, await alice.PeerIdsAsync());
        Assert.Equal(ids, await bob.PeerIdsAsync());
        await bob.SendChatAsync("back over HTTP");
        await Expect(alice.ChatLog.Locator("li").Last.Locator(".chat-text")).ToHaveTextAsync("back over HTTP");
        Assert.DoesNotContain("- peer \"Bob\"", alice.History, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Over_HTTP_a_tab_closed_abruptly_disappears_from_the_others_list_within_seconds()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoWithoutWebSocketsAsync(call, suite.Server, "http-gone");

        await alice.ClosePageAbruptlyAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0, new() { Timeout = 5_000 });
    }

    [ReverseProxyFact]
    public async Task Behind_nginx_without_upgrade_the_page_signals_over_HTTP_and_with_upgrade_over_a_WebSocket()
    {
        await using var withoutUpgrade = await ReverseProxy.StartAsync(suite.Server, ProxyMode.WithoutUpgrade);
        await using var withUpgrade = await ReverseProxy.StartAsync(suite.Server, ProxyMode.WithUpgrade);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("nginx");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, withoutUpgrade.PageFor(room, "Alice"), "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, withUpgrade.PageFor(room, "Bob"), "Bob");
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "sse", FallbackTimeout);
        await Expect(bob.SignalingTransport).ToHaveAttributeAsync("data-transport", "websocket");
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
    }

    [ReverseProxyFact]
    public async Task Behind_a_proxy_that_holds_event_streams_back_the_page_falls_back_to_long_polling()
    {
        await using var buffering = await ReverseProxy.StartAsync(suite.Server, ProxyMode.BufferingWithoutUpgrade);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("poll");
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, buffering.PageFor(room, "Alice"), "Alice");
        var bob = await call.OpenAsync(BrowserSuite.BobHz, suite.Server.PageFor(room, "Bob"), "Bob");
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        await Expect(alice.SignalingTransport).ToHaveAttributeAsync("data-transport", "long-poll", FallbackTimeout);
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await bob.ClickMuteAsync();
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-muted", "true");
    }

    /// <summary>Alice and Bob in a new room of <paramref name="server"/>, both on pages whose WebSockets cannot open.</summary>
    private static async Task<(Participant Alice, Participant Bob)> TwoWithoutWebSocketsAsync(CallScope call, ParleyServer server, string roomPrefix)
    {
        var room = CallScope.NewRoom(roomPrefix);
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, server.PageFor(room, "Alice"), "Alice", PageScripts.BlockWebSockets);
        var bob = await call.OpenAsync(BrowserSuite.BobHz, server.PageFor(room, "Bob"), "Bob", PageScripts.BlockWebSockets);
        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob]);
        return (alice, bob);
    }
}
