using System.Net;
using System.Text.Json;
using Parley.Browser.Tests.Infrastructure;
using Parley.Server.Tests;
using Parley.Stun;
using Parley.Turn.Tests;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Turn:MaxAllocationsPerUser against Chromium's own TURN client in a full room: a browser allocates once per TURN
/// URI for every peer connection, 2 × 15 = 30 for a participant of a room of 16, and with a quota below that the
/// peer connections made last get no relay candidates and never connect when both sides must relay.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class FullRoomRelayTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>Members that signaling and TURN see, without a Chromium each (about 6 live pages saturate 2 cores).</summary>
    private const int ScriptedMembers = 13;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Ice(string[] Urls, string? Username, string? Credential);

    /// <summary>
    /// 13 scripted members join and each holds a relay per TURN URI with the credential from its <c>joined</c>; then
    /// three pages limited to relay candidates over UDP and TCP join the room, filling it to 16. Each page offers to
    /// every member it finds (one RTCPeerConnection each, each allocating over both URIs), so the first page's
    /// allocations for the scripted members come before those for the pages that join after it: with the old quota
    /// of 10 it has none left by then, and the pages never hear each other.
    /// </summary>
    [Fact]
    public async Task Relay_only_pages_joining_a_room_whose_members_hold_relays_fill_it_and_all_hear_each_other()
    {
        // Loopback peers are denied by default; this test exempts them explicitly, as browser-testing.md says.
        await using var relayServer = await ParleyServer.StartAsync("--Turn:RelayAddress=127.0.0.1", "--Turn:AllowedPeerRanges:0=127.0.0.0/8");
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("full-relay");
        var opened = await Task.WhenAll(
            call.OpenAsync(relayServer, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(relayServer, BrowserSuite.BobHz, room, "Bob"),
            call.OpenAsync(relayServer, BrowserSuite.CarolHz, room, "Carol"));
        foreach (var participant in opened)
        {
            await participant.Page.AddInitScriptAsync($"({TurnRelayTests.ForceRelay})(['udp', 'tcp'])");
            await participant.Page.ReloadAsync();
        }

        List<SignalingClient> members = [];
        List<TurnSocketClient> relays = [];
        try
        {
            var socket = new Uri($"ws://{relayServer.BaseAddress.Authority}/ws");
            for (var i = 0; i < ScriptedMembers; i++)
            {
                var member = await SignalingClient.ConnectAsync(socket);
                members.Add(member);
                await member.JoinAsync(room, $"Member {i + 1}");
                relays.AddRange(await HoldRelaysAsync(member));
            }

            output.WriteLine($"{ScriptedMembers} scripted members hold {relays.Count} allocations");
            foreach (var participant in opened)
            {
                await participant.JoinAsync();
            }

            var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
            await Task.WhenAll(alice.ExpectConnectedToAsync(bob), alice.ExpectConnectedToAsync(carol),
                bob.ExpectConnectedToAsync(alice), bob.ExpectConnectedToAsync(carol),
                carol.ExpectConnectedToAsync(alice), carol.ExpectConnectedToAsync(bob));
            await alice.WaitToHearAsync(bob, carol);
            await bob.WaitToHearAsync(alice, carol);
            await carol.WaitToHearAsync(alice, bob);
        }
        finally
        {
            relays.ForEach(r => r.Dispose());
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    /// <summary>One allocation per TURN URI handed to <paramref name="member"/>, each on a socket of its own, as a browser makes.</summary>
    private static async Task<List<TurnSocketClient>> HoldRelaysAsync(SignalingClient member)
    {
        var turn = member.Joined.GetProperty("iceServers").Deserialize<Ice[]>(Web)!
            .Single(s => s.Username is not null);
        List<TurnSocketClient> held = [];
        foreach (var url in turn.Urls)
        {
            // turn:127.0.0.1:PORT?transport=udp|tcp
            var address = new Uri(url.Replace("turn:", "turn://", StringComparison.Ordinal));
            var client = await TurnSocketClient.ConnectAsync(new IPEndPoint(IPAddress.Parse(address.Host), address.Port),
                tcp: url.EndsWith("?transport=tcp", StringComparison.Ordinal));
            held.Add(client);
            var answer = await client.AllocateAsync(turn.Username!, turn.Credential!);
            Assert.True(answer.Class == StunClass.SuccessResponse, $"{url}: {answer.Error}");
        }

        return held;
    }
}
