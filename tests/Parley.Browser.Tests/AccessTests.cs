using System.Diagnostics;
using System.Globalization;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Token mode in the real page against a real token-mode server (docs/access.md): pages opened with
/// <c>/?token=JWT</c> minted by <see cref="AccessTokens"/>, refusals in the role="alert" element, a listener who is
/// never heard, a moderator's mute that the muted page cannot undo, and a removal that keeps the token out.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class AccessTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>From the moderator's click to the removed person's entry leaving every other list (issue 13).</summary>
    private static readonly TimeSpan RemovedWithin = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Pages_opened_with_tokens_show_the_tokens_room_and_name_read_only_join_and_hear_each_other()
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("token-join");
        var opened = await Task.WhenAll(
            call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, AccessTokens.Mint(room, "alice-1", "Alice"), "Alice"),
            call.OpenWithTokenAsync(server, BrowserSuite.BobHz, AccessTokens.Mint(room, "bob-1", "Bob"), "Bob"));
        var (alice, bob) = (opened[0], opened[1]);
        foreach (var participant in opened)
        {
            await Expect(participant.RoomField).ToHaveValueAsync(room);
            await Expect(participant.NameField).ToHaveValueAsync(participant.Name);
            await Expect(participant.RoomField).Not.ToBeEditableAsync();
            await Expect(participant.NameField).Not.ToBeEditableAsync();
        }

        await alice.JoinAsync();
        await bob.JoinAsync();
        await CallScope.ExpectAllConnectedAsync(opened);
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        Assert.Empty(alice.Dialogs);
        Assert.Empty(bob.Dialogs);
    }

    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "expired", "expired" },
        { "signed with another secret", "invalid" },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task A_refused_token_shows_why_in_an_alert_and_the_person_appears_in_nobodys_list(string token, string says)
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("token-refused");
        var bob = await call.OpenWithTokenAsync(server, BrowserSuite.BobHz, AccessTokens.Mint(room, "bob-1", "Bob"), "Bob");
        await bob.JoinAsync();
        await bob.WatchListAdditionsAsync();

        var refused = token switch
        {
            "expired" => AccessTokens.Mint(room, "alice-1", "Alice", issuedAt: DateTimeOffset.UtcNow - TimeSpan.FromHours(2)),
            _ => AccessTokens.Mint(room, "alice-1", "Alice", secret: AccessTokens.NewSecret()),
        };
        var alice = await call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, refused, "Alice");
        await Expect(alice.RoomField).ToHaveValueAsync(room);
        await alice.ClickJoinAsync();

        await Expect(alice.Alert).ToContainTextAsync(says);
        alice.Log($"alert: {await alice.Alert.TextContentAsync()}");
        await Expect(alice.JoinButton).ToBeEnabledAsync();
        await Expect(alice.Peers).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(1);
        Assert.Empty(await bob.ListAdditionsAsync());
    }

    [Fact]
    public async Task A_listener_is_never_heard_while_the_publishers_are_and_every_page_says_listening()
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("listener");
        var opened = await Task.WhenAll(
            call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, AccessTokens.Mint(room, "alice-1", "Alice"), "Alice"),
            call.OpenWithTokenAsync(server, BrowserSuite.BobHz, AccessTokens.Mint(room, "bob-1", "Bob"), "Bob"),
            call.OpenWithTokenAsync(server, BrowserSuite.CarolHz, AccessTokens.Mint(room, "carol-1", "Carol", canPublish: false), "Carol"));
        var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
        await carol.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
        await carol.Page.ReloadAsync();
        foreach (var participant in opened)
        {
            await participant.JoinAsync();
        }

        await CallScope.ExpectAllConnectedAsync(opened);
        await Expect(carol.Self).ToContainTextAsync("listening");
        await Expect(alice.Peer(carol.Name)).ToContainTextAsync("listening");
        await Expect(bob.Peer(carol.Name)).ToContainTextAsync("listening");
        await Expect(alice.Peer(bob.Name)).Not.ToContainTextAsync("listening");

        // The listener hears the others, and they hear each other but never the listener.
        await carol.WaitToHearAsync(alice, bob);
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await alice.ExpectToHearOnlyAsync(heard: [bob], neverHeard: [carol]);
        await bob.ExpectToHearOnlyAsync(heard: [alice], neverHeard: [carol]);

        // Its own page sends nothing (every connection negotiated recvonly) and cannot unmute.
        var senders = await carol.SendersAsync();
        Assert.Equal(2, senders.Count);
        Assert.All(senders, s => Assert.Equal("recvonly", s.CurrentDirection));
        await carol.ClickMuteAsync();
        await Expect(carol.Alert).ToContainTextAsync("only listen");
        await alice.ExpectToHearOnlyAsync(heard: [bob], neverHeard: [carol], probes: 1);
    }

    [Fact]
    public async Task A_server_mute_cannot_be_undone_by_the_muted_page_until_a_moderator_allows_it()
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("server-mute");
        var opened = await Task.WhenAll(
            call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, AccessTokens.Mint(room, "alice-1", "Alice"), "Alice"),
            call.OpenWithTokenAsync(server, BrowserSuite.BobHz, AccessTokens.Mint(room, "bob-1", "Bob"), "Bob"),
            call.OpenWithTokenAsync(server, BrowserSuite.CarolHz, AccessTokens.Mint(room, "carol-1", "Carol", admin: true), "Carol"));
        var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
        await alice.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
        await alice.Page.ReloadAsync();
        foreach (var participant in opened)
        {
            await participant.JoinAsync();
        }

        await CallScope.ExpectAllConnectedAsync(opened);
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), carol.WaitToHearAsync(alice, bob));

        await carol.ClickAsync(carol.MuteForEveryoneButton(alice), "Mute Alice for everyone");
        await Expect(carol.AllowToUnmuteButton(alice)).ToBeVisibleAsync();
        await Expect(alice.Self).ToContainTextAsync("muted by a moderator");
        await Expect(bob.Peer(alice.Name)).ToContainTextAsync("muted by a moderator");
        await Expect(carol.Peer(alice.Name)).ToContainTextAsync("muted by a moderator");
        await Task.WhenAll(bob.WaitToHearNothingFromAsync(alice), carol.WaitToHearNothingFromAsync(alice));
        await WaitUntilAsync(alice, async () => (await alice.SendersAsync()).All(s => !s.Sends), "renegotiate every connection recvonly");

        // The muted page tries by hand: its microphone track enabled again on every sender, and Unmute clicked.
        var enabled = await alice.Page.EvaluateAsync<int>(EnableMicrophoneByHand);
        alice.Log($"enabled {enabled} microphone track(s) by hand");
        Assert.True(enabled > 0, "The muted page has no microphone track on its senders to enable.");
        await alice.ClickMuteAsync();
        await Expect(alice.Alert).ToContainTextAsync("moderator");
        await Expect(alice.MuteButton).ToHaveAttributeAsync("aria-pressed", "true");
        await bob.ExpectToHearOnlyAsync(heard: [carol], neverHeard: [alice]);
        await carol.ExpectToHearOnlyAsync(heard: [bob], neverHeard: [alice]);

        // Allowed again: still muted (only Alice may unmute herself), then heard once she unmutes.
        await carol.ClickAsync(carol.AllowToUnmuteButton(alice), "Allow Alice to unmute");
        await Expect(carol.MuteForEveryoneButton(alice)).ToBeVisibleAsync();
        await Expect(bob.Peer(alice.Name)).Not.ToContainTextAsync("muted by a moderator");
        await Expect(alice.Self).Not.ToContainTextAsync("muted by a moderator");
        await Expect(alice.MuteButton).ToHaveAttributeAsync("aria-pressed", "true");
        await alice.ClickMuteAsync();
        await Expect(alice.MuteButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), carol.WaitToHearAsync(alice, bob));
    }

    [Fact]
    public async Task A_modified_page_that_keeps_sending_after_a_server_mute_is_still_not_played()
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("mute-modified");
        var opened = await Task.WhenAll(
            call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, AccessTokens.Mint(room, "alice-1", "Alice"), "Alice"),
            call.OpenWithTokenAsync(server, BrowserSuite.CarolHz, AccessTokens.Mint(room, "carol-1", "Carol", admin: true), "Carol"));
        var (alice, carol) = (opened[0], opened[1]);
        await alice.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections + KeepSendingWhenTold);
        await carol.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
        await Task.WhenAll(alice.Page.ReloadAsync(), carol.Page.ReloadAsync());
        await alice.JoinAsync();
        await carol.JoinAsync();
        await CallScope.ExpectAllConnectedAsync(opened);
        await carol.WaitToHearAsync(alice);
        var unmuted = await carol.ReceivedAudioDuringAsync(TimeSpan.FromSeconds(1));

        // Alice's page ignores what its SDK does about the mute: its connections stay sendrecv, its track enabled.
        await alice.Page.EvaluateAsync("() => { window.__keepSending = true; }");
        await carol.ClickAsync(carol.MuteForEveryoneButton(alice), "Mute Alice for everyone");
        await Expect(carol.Peer(alice.Name)).ToContainTextAsync("muted by a moderator");
        await Expect(alice.Self).ToContainTextAsync("muted by a moderator");
        await carol.WaitToHearNothingFromAsync(alice);

        // Her tone is still on the wire (as many packets, as large, as before the mute), and Carol's SDK does not play it.
        var senders = await alice.SendersAsync();
        Assert.All(senders, s => Assert.True(s.Sends && s.TrackEnabled == true, $"Alice's modified page should still send: {s}"));
        var muted = await carol.ReceivedAudioDuringAsync(TimeSpan.FromSeconds(1));
        Assert.True(muted.Packets >= unmuted.Packets / 2 && muted.Bytes >= unmuted.Bytes / 2,
            $"Alice's audio should still arrive: {muted.Packets} packets, {muted.Bytes} bytes in 1 s after the mute; {unmuted.Packets}, {unmuted.Bytes} before");
        await carol.ExpectToHearOnlyAsync(heard: [], neverHeard: [alice]);
    }

    [Fact]
    public async Task A_removed_person_leaves_every_list_within_2_s_and_cannot_join_again_with_the_same_token()
    {
        var server = await suite.TokenServerAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("removal");
        var aliceToken = AccessTokens.Mint(room, "alice-1", "Alice");
        var opened = await Task.WhenAll(
            call.OpenWithTokenAsync(server, BrowserSuite.AliceHz, aliceToken, "Alice"),
            call.OpenWithTokenAsync(server, BrowserSuite.BobHz, AccessTokens.Mint(room, "bob-1", "Bob"), "Bob"),
            call.OpenWithTokenAsync(server, BrowserSuite.CarolHz, AccessTokens.Mint(room, "carol-1", "Carol", admin: true), "Carol"));
        var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
        // Alice's page will not let go (its connections stay open, no bye): only the server's word removes her.
        await alice.Page.AddInitScriptAsync(KeepConnectionsWhenTold);
        foreach (var participant in new[] { bob, carol })
        {
            await participant.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
        }

        await Task.WhenAll(opened.Select(p => p.Page.ReloadAsync()));
        foreach (var participant in opened)
        {
            await participant.JoinAsync();
        }

        await CallScope.ExpectAllConnectedAsync(opened);
        await Expect(carol.RemoveButton(alice)).ToBeVisibleAsync();
        await alice.Page.EvaluateAsync("() => { window.__keepConnections = true; }");

        var sinceClick = Stopwatch.StartNew();
        await carol.ClickAsync(carol.RemoveButton(alice), "Remove Alice");
        var gone = await Task.WhenAll(new[] { bob, carol }.Select(async listener =>
        {
            // Polled in the page every 50 ms (a web-first assertion polls ever more slowly).
            await listener.Page.WaitForFunctionAsync("name => !document.querySelector(`[data-peer][data-name=\"${name}\"]`)", alice.Name,
                new() { PollingInterval = 50, Timeout = 15_000 });
            var elapsed = sinceClick.Elapsed;
            listener.Log(string.Create(CultureInfo.InvariantCulture, $"Alice gone from the list {elapsed.TotalSeconds:F2} s after the click"));
            return elapsed;
        }));
        Assert.True(gone.All(elapsed => elapsed < RemovedWithin),
            $"Alice left Bob's list {gone[0].TotalSeconds:F2} s and Carol's {gone[1].TotalSeconds:F2} s after the click; expected under {RemovedWithin.TotalSeconds} s.");
        await Expect(alice.Alert).ToContainTextAsync("You were removed from the room");
        await Expect(alice.Peers).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(2);
        await Expect(carol.Peers).ToHaveCountAsync(2);
        // Bob and Carol closed their connections to her: one each is left open, between the two of them.
        Assert.Equal(1, await bob.Page.EvaluateAsync<int>(OpenConnections));
        Assert.Equal(1, await carol.Page.EvaluateAsync<int>(OpenConnections));

        // The same invitation link again: refused, and nobody's list shows her.
        await Task.WhenAll(bob.WatchListAdditionsAsync(), carol.WatchListAdditionsAsync());
        alice.Log("open the same link again");
        await alice.Page.GotoAsync(server.PageWithToken(aliceToken).ToString());
        await Expect(alice.RoomField).ToHaveValueAsync(room);
        await alice.ClickJoinAsync();
        await Expect(alice.Alert).ToContainTextAsync("removed");
        alice.Log($"alert: {await alice.Alert.TextContentAsync()}");
        await Expect(alice.Peers).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(2);
        await Expect(carol.Peers).ToHaveCountAsync(2);
        Assert.Empty(await bob.ListAdditionsAsync());
        Assert.Empty(await carol.ListAdditionsAsync());
        await Task.WhenAll(bob.WaitToHearAsync(carol), carol.WaitToHearAsync(bob));
    }

    // What a person at the muted page can do by hand: turn every microphone track on the page's senders back on,
    // and put it on its sender again. Returns how many tracks it enabled.
    private const string EnableMicrophoneByHand = """
        async () => {
          let enabled = 0;
          for (const pc of window.__peerConnections.filter(pc => pc.connectionState !== 'closed')) {
            for (const sender of pc.getSenders()) {
              const track = sender.track;
              if (track?.kind !== 'audio') continue;
              track.enabled = true;
              await sender.replaceTrack(track);
              enabled++;
            }
          }
          return enabled;
        }
        """;

    // A modified client: once window.__keepSending is set, the page's audio transceivers keep sending (direction
    // changes away from sendrecv are ignored, so nothing renegotiates) and its audio tracks cannot be disabled.
    private const string KeepSendingWhenTold = """
        (() => {
          const direction = Object.getOwnPropertyDescriptor(RTCRtpTransceiver.prototype, 'direction');
          Object.defineProperty(RTCRtpTransceiver.prototype, 'direction', { configurable: true, get: direction.get,
            set(value) { if (!(window.__keepSending && value !== 'sendrecv')) direction.set.call(this, value); } });
          const enabled = Object.getOwnPropertyDescriptor(MediaStreamTrack.prototype, 'enabled');
          Object.defineProperty(MediaStreamTrack.prototype, 'enabled', { configurable: true, get: enabled.get,
            set(value) { enabled.set.call(this, window.__keepSending && this.kind === 'audio' ? true : value); } });
        })();
        """;

    // A modified client that ignores its removal: once window.__keepConnections is set, closing a peer connection
    // or a data channel does nothing and nothing is sent on a data channel (no `bye`).
    private const string KeepConnectionsWhenTold = """
        (() => {
          for (const proto of [RTCPeerConnection.prototype, RTCDataChannel.prototype]) {
            const close = proto.close;
            proto.close = function () { if (!window.__keepConnections) close.call(this); };
          }
          const send = RTCDataChannel.prototype.send;
          RTCDataChannel.prototype.send = function (data) { if (!window.__keepConnections) send.call(this, data); };
        })();
        """;

    private const string OpenConnections = "() => window.__peerConnections.filter(pc => pc.connectionState !== 'closed').length";

    /// <summary>Polls <paramref name="condition"/> every 200 ms for up to the audio timeout.</summary>
    private static async Task WaitUntilAsync(Participant participant, Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < Participant.AudioTimeout, $"{participant.Name} did not {what} within {Participant.AudioTimeout.TotalSeconds} s.");
            await Task.Delay(200);
        }
    }
}
