using System.Globalization;
using System.Text.Json;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// Token mode and moderation on the page (docs/access.md): the join form a token fills, the moderator's controls
/// (accessible names carry the participant's name), and what a participant hears, or must never hear.
/// </summary>
public sealed partial class Participant
{
    public ILocator RoomField => Page.GetByLabel("Room", new() { Exact = true });

    public ILocator NameField => Page.GetByLabel("Your name", new() { Exact = true });

    public ILocator MuteForEveryoneButton(Participant remote) =>
        Page.GetByRole(AriaRole.Button, new() { Name = $"Mute {remote.Name} for everyone", Exact = true });

    public ILocator AllowToUnmuteButton(Participant remote) =>
        Page.GetByRole(AriaRole.Button, new() { Name = $"Allow {remote.Name} to unmute", Exact = true });

    public ILocator RemoveButton(Participant remote) =>
        Page.GetByRole(AriaRole.Button, new() { Name = $"Remove {remote.Name}", Exact = true });

    /// <summary>
    /// Probes <paramref name="probes"/> times (at least 1 s each): every time, each of <paramref name="heard"/>
    /// is heard at its own tone and nothing at all is played of <paramref name="neverHeard"/>. Hearing the others in
    /// the same measurements shows the analysis works, so the silence means something.
    /// </summary>
    public async Task ExpectToHearOnlyAsync(Participant[] heard, Participant[] neverHeard, int probes = 3)
    {
        for (var i = 0; i < probes; i++)
        {
            // A probe returns at once when the page plays none of them: each still covers a sampling window.
            var window = Task.Delay(AudioProbe.SampleMilliseconds);
            var results = await ProbeAsync([.. heard, .. neverHeard]);
            await window;
            foreach (var remote in heard)
            {
                Assert.True(results[remote.Name].IsTone(remote.ToneHz, ToleranceHz, AudibleDb),
                    $"{Name} should hear {remote.Name} at {remote.ToneHz} Hz (probe {i + 1} of {probes}): {results[remote.Name]}");
            }

            foreach (var remote in neverHeard)
            {
                Assert.True(PlaysNothing(results[remote.Name]),
                    $"{Name} must not hear {remote.Name} (probe {i + 1} of {probes}): {results[remote.Name]}");
            }
        }
    }

    /// <summary>Polls until nothing is played of any of <paramref name="remotes"/> (their entries still listed).</summary>
    public Task<IReadOnlyDictionary<string, ProbeResult>> WaitToHearNothingFromAsync(params Participant[] remotes) =>
        WaitForAudioAsync(remotes, r => remotes.All(p => PlaysNothing(r[p.Name])),
            "stop playing anything of " + string.Join(", ", remotes.Select(p => p.Name)));

    /// <summary>
    /// Nothing of that participant reaches the speakers: its entry is listed, and either the page plays no stream
    /// for it (the SDK's rule for who may not be heard: the element is detached) or what it plays is silence.
    /// </summary>
    private static bool PlaysNothing(ProbeResult result) => result.Found
        ? result.RmsDb <= SilentDb
        : result.Problem?.StartsWith("no [data-peer]", StringComparison.Ordinal) == false;

    /// <summary>
    /// The audio transceivers of the page's peer connections (needs <see cref="PageScripts.RecordPeerConnections"/>):
    /// their negotiated direction and whether the track they send is enabled.
    /// </summary>
    public async Task<IReadOnlyList<SenderState>> SendersAsync()
    {
        var json = await Page.EvaluateAsync<string>("""
            () => JSON.stringify(window.__peerConnections
              .filter(pc => pc.connectionState !== 'closed')
              .flatMap(pc => pc.getTransceivers())
              .filter(t => t.receiver.track?.kind === 'audio')
              .map(t => ({ currentDirection: t.currentDirection, direction: t.direction,
                           trackEnabled: t.sender.track?.enabled ?? null })))
            """);
        var senders = JsonSerializer.Deserialize<SenderState[]>(json, ProbeJson) ?? [];
        Log("senders: " + string.Join("; ", senders.Select(s => s.ToString())));
        return senders;
    }

    /// <summary>
    /// Audio RTP received over all the page's connections (needs <see cref="PageScripts.RecordPeerConnections"/>)
    /// during <paramref name="window"/>: what is on the wire, whether or not the page plays it.
    /// </summary>
    public async Task<(long Packets, long Bytes)> ReceivedAudioDuringAsync(TimeSpan window)
    {
        const string Totals = """
            async () => {
              let packets = 0, bytes = 0;
              for (const pc of window.__peerConnections.filter(pc => pc.connectionState !== 'closed')) {
                for (const s of (await pc.getStats()).values()) {
                  if (s.type === 'inbound-rtp' && s.kind === 'audio') { packets += s.packetsReceived ?? 0; bytes += s.bytesReceived ?? 0; }
                }
              }
              return [packets, bytes];
            }
            """;
        var before = await Page.EvaluateAsync<long[]>(Totals);
        await Task.Delay(window);
        var after = await Page.EvaluateAsync<long[]>(Totals);
        var received = (Packets: after[0] - before[0], Bytes: after[1] - before[1]);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"received audio RTP in {window.TotalSeconds:F1} s: {received.Packets} packets, {received.Bytes} bytes"));
        return received;
    }

    /// <summary>From now on, records the name of every entry added to the participant list (<see cref="ListAdditionsAsync"/>).</summary>
    public Task WatchListAdditionsAsync() => Page.EvaluateAsync("""
        () => {
          window.__listAdditions = [];
          new MutationObserver(records => {
            for (const r of records) for (const n of r.addedNodes) {
              if (n.matches?.('[data-peer]')) window.__listAdditions.push(n.getAttribute('data-name'));
            }
          }).observe(document.querySelector('[aria-label="Participants"]'), { childList: true, subtree: true });
        }
        """);

    /// <summary>The names added to the list since <see cref="WatchListAdditionsAsync"/>.</summary>
    public async Task<IReadOnlyList<string>> ListAdditionsAsync() =>
        await Page.EvaluateAsync<string[]>("() => window.__listAdditions");

    private static readonly JsonSerializerOptions ProbeJson = new(JsonSerializerDefaults.Web);
}

/// <summary>One audio transceiver of a page: its negotiated and wished direction, and whether its track is enabled.</summary>
public sealed record SenderState(string? CurrentDirection, string? Direction, bool? TrackEnabled)
{
    public bool Sends => CurrentDirection is "sendrecv" or "sendonly";
}
