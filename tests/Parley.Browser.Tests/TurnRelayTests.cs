using System.Text.Json;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Chromium's own TURN client against Parley's embedded TURN server: with ICE limited to relay candidates,
/// a call connects through the credentials signaling handed out, and the audio arrives.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class TurnRelayTests(BrowserSuite suite, ITestOutputHelper output)
{
    // Test-side instrumentation, not a page feature: every RTCPeerConnection the page makes gathers relay
    // candidates only (browser-testing.md: with 'all', ICE prefers host pairs even when TURN is offered), keeps
    // only the TURN URIs of the transport under test (as behind a firewall that lets only TCP out), and is
    // recorded so the test can read its selected candidate pair.
    private const string ForceRelay = """
        (transport) => {
          const Native = window.RTCPeerConnection;
          window.__relayTest = [];
          const only = servers => (servers ?? [])
            .map(s => ({ ...s, urls: [].concat(s.urls).filter(u => u.startsWith('turn:') && u.endsWith('?transport=' + transport)) }))
            .filter(s => s.urls.length > 0);
          window.RTCPeerConnection = class extends Native {
            constructor(config = {}) {
              super({ ...config, iceServers: only(config.iceServers), iceTransportPolicy: 'relay' });
              window.__relayTest.push(this);
            }
            setConfiguration(config = {}) {
              super.setConfiguration({ ...config, iceServers: only(config.iceServers), iceTransportPolicy: 'relay' });
            }
          };
        }
        """;

    private const string SelectedPairs = """
        async () => {
          const pairs = [];
          for (const pc of window.__relayTest) {
            if (pc.connectionState !== 'connected') continue;
            const stats = await pc.getStats();
            let pair = null;
            stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId); });
            if (!pair) continue;
            const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
            pairs.push({ local: local.candidateType, localProtocol: local.relayProtocol ?? local.protocol, remote: remote.candidateType,
                         urls: (pc.getConfiguration().iceServers ?? []).flatMap(s => [].concat(s.urls)) });
          }
          return JSON.stringify(pairs);
        }
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Pair(string Local, string? LocalProtocol, string Remote, string[] Urls);

    /// <summary>
    /// Over UDP, and over TCP alone: the browser reaches Parley's TURN server over a TCP connection (RFC 8656 §3.1)
    /// and the relay still speaks UDP to the peer, which is what a browser behind a UDP-blocking firewall does.
    /// </summary>
    [Theory]
    [InlineData("udp")]
    [InlineData("tcp")]
    public async Task Two_participants_limited_to_relay_candidates_connect_through_parley_turn_and_hear_each_other(string transport)
    {
        // Loopback peers are denied by default; this test exempts them explicitly, as browser-testing.md says.
        await using var relayServer = await ParleyServer.StartAsync(
            "--Turn:RelayAddress=127.0.0.1", "--Turn:AllowedPeerRanges:0=127.0.0.0/8");
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom($"relay-{transport}");
        var opened = await Task.WhenAll(
            call.OpenAsync(relayServer, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(relayServer, BrowserSuite.BobHz, room, "Bob"));
        var (alice, bob) = (opened[0], opened[1]);
        foreach (var participant in opened)
        {
            await participant.Page.AddInitScriptAsync($"({ForceRelay})('{transport}')");
            await participant.Page.ReloadAsync();
        }

        await alice.JoinAsync();
        await bob.JoinAsync();
        await alice.ExpectConnectedToAsync(bob);
        await bob.ExpectConnectedToAsync(alice);
        await alice.WaitToHearAsync(bob);
        await bob.WaitToHearAsync(alice);

        foreach (var participant in opened)
        {
            var pairs = JsonSerializer.Deserialize<Pair[]>(await participant.Page.EvaluateAsync<string>(SelectedPairs), Web)!;
            participant.Log($"selected pairs: {string.Join("; ", pairs.Select(p => $"{p.Local}/{p.LocalProtocol} -> {p.Remote}"))}");
            var pair = Assert.Single(pairs);
            Assert.Equal("relay", pair.Local);
            Assert.Equal("relay", pair.Remote);
            Assert.Equal(transport, pair.LocalProtocol);
            Assert.All(pair.Urls, url => Assert.Matches($@"^turn:127\.0\.0\.1:\d+\?transport={transport}$", url));
        }
    }
}
