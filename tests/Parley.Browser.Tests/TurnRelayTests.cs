using System.Globalization;
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
    // only the TURN URIs of the transport(s) under test (as behind a firewall that lets only TCP out), and is
    // recorded so the test can read its selected candidate pair. Takes one transport or an array of them.
    internal const string ForceRelay = """
        (transports) => {
          const Native = window.RTCPeerConnection;
          window.__relayTest = [];
          const wanted = u => [].concat(transports).some(transport =>
            transport === 'tls' ? u.startsWith('turns:') : u.startsWith('turn:') && u.endsWith('?transport=' + transport));
          const only = servers => (servers ?? [])
            .map(s => ({ ...s, urls: [].concat(s.urls).filter(wanted) }))
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
        await CallThroughRelayAsync(opened, transport, @"turn:127\.0\.0\.1:\d+\?transport=" + transport);
    }

    /// <summary>
    /// Over TLS alone (<c>turns:</c>, RFC 8656 §3.1, the port 443 way out of a strict firewall), with Chromium's own
    /// TLS client. Chromium checks a TURN server's certificate (without the flag this test fails) and this one is
    /// self-signed, so these two browsers are told to accept it.
    /// </summary>
    [Fact]
    public async Task Two_participants_relay_through_parley_turn_over_tls_alone()
    {
        using var certificate = new Parley.Turn.Tests.TestCertificate();
        await using var relayServer = await ParleyServer.StartAsync(
            "--Turn:RelayAddress=127.0.0.1", "--Turn:AllowedPeerRanges:0=127.0.0.0/8",
            $"--Turn:CertificatePath={certificate.PemPath}", $"--Turn:CertificateKeyPath={certificate.KeyPath}",
            string.Create(CultureInfo.InvariantCulture, $"--Turn:TlsPort={ParleyServer.FreeLoopbackPort()}"));
        await using var aliceBrowser = await suite.LaunchWithAsync(BrowserSuite.AliceHz, "--ignore-certificate-errors");
        await using var bobBrowser = await suite.LaunchWithAsync(BrowserSuite.BobHz, "--ignore-certificate-errors");
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("relay-tls");
        var opened = await Task.WhenAll(
            call.OpenAsync(aliceBrowser, BrowserSuite.AliceHz, relayServer.PageFor(room, "Alice"), "Alice"),
            call.OpenAsync(bobBrowser, BrowserSuite.BobHz, relayServer.PageFor(room, "Bob"), "Bob"));
        await CallThroughRelayAsync(opened, "tls", @"turns:127\.0\.0\.1:\d+\?transport=tcp");
    }

    /// <summary>
    /// The newcomer's first connection and offer, made on the join form before the room's ICE servers are known
    /// (docs/protocol.md, "Prewarm"), gathers its candidates with the TURN servers <c>joined</c> gave it: limited to
    /// relay candidates, it connects through Parley's TURN server, and it is the only connection the page made.
    /// </summary>
    [Fact]
    public async Task The_connection_made_on_the_join_form_gathers_with_the_turn_servers_joined_gives_it()
    {
        await using var relayServer = await ParleyServer.StartAsync(
            "--Turn:RelayAddress=127.0.0.1", "--Turn:AllowedPeerRanges:0=127.0.0.0/8");
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("relay-ahead");
        var opened = await Task.WhenAll(
            call.OpenAsync(relayServer, BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(relayServer, BrowserSuite.BobHz, room, "Bob"));
        var bob = opened[1];
        await bob.Page.AddInitScriptAsync(RecordSentMessages);
        await CallThroughRelayAsync(opened, "udp", @"turn:127\.0\.0\.1:\d+\?transport=udp", async () =>
        {
            await bob.Page.Locator("#join-form").HoverAsync();
            await bob.Page.WaitForFunctionAsync("() => window.parley.room.prewarmed.offer && window.__relayTest.length === 1");
            Assert.Equal("[]", await bob.Page.EvaluateAsync<string>(
                "() => JSON.stringify(window.__relayTest[0].getConfiguration().iceServers)")); // none yet: not gathering
        });
        Assert.Equal(1, await bob.Page.EvaluateAsync<int>("() => window.__relayTest.length"));

        // Its offer went with the join (docs/protocol.md, "An offer with the join"), and was not sent again.
        var sent = await bob.Page.EvaluateAsync<string[]>("() => window.__sentTypes");
        bob.Log($"sent: {string.Join(", ", sent)}");
        Assert.Contains("join+offer", sent);
        Assert.DoesNotContain("offer", sent);
    }

    /// <summary>Records the type of every message the page sends on its signaling WebSocket (<c>+offer</c>: one carrying an offer).</summary>
    private const string RecordSentMessages = """
        (() => {
          window.__sentTypes = [];
          const send = WebSocket.prototype.send;
          WebSocket.prototype.send = function (data) {
            try { const m = JSON.parse(data); window.__sentTypes.push(m.type + (m.offer ? '+offer' : '')); } catch { }
            return send.call(this, data);
          };
        })()
        """;

    /// <summary>
    /// Limits both pages to relay candidates from the <paramref name="transport"/> URIs, joins, and checks that they
    /// hear each other over one relay-to-relay pair whose local end reached the TURN server over that transport.
    /// <paramref name="beforeBobJoins"/> runs on the form, after Alice joined.
    /// </summary>
    private static async Task CallThroughRelayAsync(Participant[] opened, string transport, string urlPattern, Func<Task>? beforeBobJoins = null)
    {
        var (alice, bob) = (opened[0], opened[1]);
        foreach (var participant in opened)
        {
            await participant.Page.AddInitScriptAsync($"({ForceRelay})('{transport}')");
            await participant.Page.ReloadAsync();
        }

        await alice.JoinAsync();
        if (beforeBobJoins is not null)
        {
            await beforeBobJoins();
        }

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
            Assert.All(pair.Urls, url => Assert.Matches($"^{urlPattern}$", url));
        }
    }
}
