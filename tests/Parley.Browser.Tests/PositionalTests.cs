using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Browser.Tests;

/// <summary>
/// Positional voice, whisper and talk groups (issue 17), measured on what each page plays: the fade of the room's
/// model with distance, HRTF placement left and right, silence and no packets at all beyond the audible distance, and
/// a whisper only its target hears. The pages are driven through <c>window.parley.room</c>, as an embedding game would.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class PositionalTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task A_speaker_at_distance_1_is_louder_than_at_10_by_the_inverse_models_20_dB()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInPositionalRoomAsync(call, "fade");
        await alice.WaitToHearAsync(bob);

        // Alice stays at the origin facing -z; Bob straight ahead, so the HRTF filter is the same at both distances.
        await MoveAsync(bob, 0, 0, -1);
        await SeesAtAsync(alice, bob, 0, 0, -1);
        // The sender's automatic gain control settles over the first seconds of a call (from -15 to -30 dBFS seen here):
        // the reference is taken once two measurements in a row agree within 1 dB.
        var near = await SteadyLevelAsync(alice, bob);
        await MoveAsync(bob, 0, 0, -10);
        await SeesAtAsync(alice, bob, 0, 0, -10);
        // Vivox's inverse model with its defaults: 1 / (1 + (10 - 1)) = 0.1, 20 dB quieter. 3 dB of tolerance for the
        // sender's gain control, which drifts a little between the two measurements.
        var far = await alice.WaitForAudioAsync([bob],
            heard => heard[bob.Name].IsTone(bob.ToneHz, Participant.ToleranceHz, -200) && Math.Abs(near - heard[bob.Name].RmsDb - 20) <= 3,
            string.Create(CultureInfo.InvariantCulture, $"hear Bob at distance 10 20 ± 3 dB below distance 1 ({near:F1} dBFS)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"distance 1: {near:F1} dBFS; distance 10: {far[bob.Name].RmsDb:F1} dBFS"));
    }

    [Fact]
    public async Task Beyond_the_audible_distance_both_are_silent_and_send_no_packets_until_a_shared_talk_group()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInPositionalRoomAsync(call, "range", recordConnections: true);
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        Assert.True(await SentAudioBytesDuringAsync(bob, TimeSpan.FromSeconds(1)) > 0);

        await MoveAsync(bob, 0, 0, -33);
        await SeesAtAsync(alice, bob, 0, 0, -33);
        await Task.WhenAll(alice.WaitForSilenceFromAsync(bob), bob.WaitForSilenceFromAsync(alice));
        // Both senders are paused for each other (no track on the sender), and the connection stays up: no renegotiation.
        await WaitForNoSentAudioAsync(bob);
        await WaitForNoSentAudioAsync(alice);
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected");

        // A talk group both are in is heard at any distance (Vivox's team channel on top of the positional one).
        await Task.WhenAll(JoinGroupAsync(alice, "red"), JoinGroupAsync(bob, "red"));
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        Assert.True(await SentAudioBytesDuringAsync(bob, TimeSpan.FromSeconds(1)) > 0);
        Assert.True(await SentAudioBytesDuringAsync(alice, TimeSpan.FromSeconds(1)) > 0);
    }

    [Fact]
    public async Task A_speaker_on_the_listeners_right_is_louder_in_the_right_channel()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob) = await TwoInPositionalRoomAsync(call, "right");
        await alice.WaitToHearAsync(bob);

        // The head shadows a 660 Hz tone only a little (the ILD grows with frequency): about 5 dB measured at 90 degrees.
        await MoveAsync(bob, 3, 0, 0);
        await SeesAtAsync(alice, bob, 3, 0, 0);
        var (left, right) = await WaitForStereoAsync(alice, bob, (l, r) => r - l >= 3, "hear Bob at least 3 dB louder on the right");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bob at +x: left {left:F1} dBFS, right {right:F1} dBFS"));

        await MoveAsync(bob, -3, 0, 0);
        await SeesAtAsync(alice, bob, -3, 0, 0);
        (left, right) = await WaitForStereoAsync(alice, bob, (l, r) => l - r >= 3, "hear Bob at least 3 dB louder on the left");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Bob at -x: left {left:F1} dBFS, right {right:F1} dBFS"));
    }

    [Fact]
    public async Task A_whisper_is_heard_by_its_target_only_who_sees_it_and_ends_with_null()
    {
        await using var call = new CallScope(suite, output);
        var everyone = await call.JoinAsync(CallScope.NewRoom("whisper"), 3);
        await CallScope.ExpectAllConnectedAsync(everyone);
        var (alice, bob, carol) = (everyone[0], everyone[1], everyone[2]);
        await Task.WhenAll(bob.WaitToHearAsync(alice), carol.WaitToHearAsync(alice));

        await RunAsync(alice, "room => room.setTargets(['Bob'])");
        await Task.WhenAll(bob.WaitToHearAsync(alice), carol.WaitForSilenceFromAsync(alice));
        await WaitForAsync(bob, "room => room.participants.find(p => p.name === 'Alice')?.whisperingToMe === true", "see Alice whispering to Bob");
        Assert.False(await carol.Page.EvaluateAsync<bool>("() => window.parley.room.participants.find(p => p.name === 'Alice').whisperingToMe"));
        // The whisper is Alice's alone: Carol and Bob still hear each other.
        await Task.WhenAll(carol.WaitToHearAsync(bob), bob.WaitToHearAsync(carol));

        await RunAsync(alice, "room => room.setTargets(null)");
        await Task.WhenAll(carol.WaitToHearAsync(alice), bob.WaitToHearAsync(alice));
        await WaitForAsync(bob, "room => room.participants.find(p => p.name === 'Alice')?.whisperingToMe === false", "see Alice stop whispering");
    }

    private static async Task<double> SteadyLevelAsync(Participant listener, Participant speaker)
    {
        var previous = double.NaN;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var level = (await listener.WaitToHearAsync(speaker))[speaker.Name].RmsDb;
            if (Math.Abs(level - previous) <= 1 || deadline.Elapsed > Participant.AudioTimeout)
            {
                return level;
            }

            previous = level;
        }
    }

    private async Task<(Participant Alice, Participant Bob)> TwoInPositionalRoomAsync(CallScope call, string prefix, bool recordConnections = false)
    {
        var room = CallScope.NewRoom(prefix);
        var opened = await Task.WhenAll(
            call.OpenAsync(suite.BrowserFor(BrowserSuite.AliceHz), BrowserSuite.AliceHz, PositionalPage(room, "Alice"), "Alice"),
            call.OpenAsync(suite.BrowserFor(BrowserSuite.BobHz), BrowserSuite.BobHz, PositionalPage(room, "Bob"), "Bob"));
        foreach (var participant in opened)
        {
            if (recordConnections)
            {
                await participant.Page.AddInitScriptAsync(PageScripts.RecordPeerConnections);
                await participant.Page.ReloadAsync();
            }

            await participant.JoinAsync();
            await WaitForAsync(participant, "room => room.channel?.audibleDistance === 32", "join a positional room");
        }

        await CallScope.ExpectAllConnectedAsync(opened);
        return (opened[0], opened[1]);
    }

    private Uri PositionalPage(string room, string name) => new(suite.Server.PageFor(room, name) + "&positional=1");

    private static async Task MoveAsync(Participant who, double x, double y, double z)
    {
        who.Log(string.Create(CultureInfo.InvariantCulture, $"move to ({x}, {y}, {z})"));
        await who.Page.EvaluateAsync("([x, y, z]) => window.parley.room.setPosition({ x, y, z })", new[] { x, y, z });
    }

    private static async Task JoinGroupAsync(Participant who, string group)
    {
        who.Log($"join talk group {group}");
        await who.Page.EvaluateAsync("group => window.parley.room.joinGroup(group)", group);
    }

    private static async Task RunAsync(Participant who, string action)
    {
        who.Log(action);
        await who.Page.EvaluateAsync($"() => ({action})(window.parley.room)");
    }

    /// <summary>Waits until <paramref name="listener"/>'s SDK has <paramref name="speaker"/> at that position (it came over the data channel).</summary>
    private static Task SeesAtAsync(Participant listener, Participant speaker, double x, double y, double z) =>
        WaitForAsync(listener, string.Create(CultureInfo.InvariantCulture,
            $"room => {{ const p = room.participants.find(p => p.name === {JsonSerializer.Serialize(speaker.Name)})?.position; return p && p.x === {x} && p.y === {y} && p.z === {z}; }}"),
            $"see {speaker.Name} at ({x}, {y}, {z})");

    private static async Task WaitForAsync(Participant who, string predicate, string what)
    {
        try
        {
            await who.Page.WaitForFunctionAsync($"() => ({predicate})(window.parley.room)", null, new() { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            throw new XunitException($"{who.Name} did not {what} within 10 s.");
        }
    }

    /// <summary>Audio RTP bytes the page sent over all its connections during <paramref name="window"/>.</summary>
    private static async Task<long> SentAudioBytesDuringAsync(Participant who, TimeSpan window)
    {
        const string Total = """
            async () => {
              let bytes = 0;
              for (const pc of window.__peerConnections.filter(pc => pc.connectionState !== 'closed')) {
                for (const s of (await pc.getStats()).values()) if (s.type === 'outbound-rtp' && s.kind === 'audio') bytes += s.bytesSent ?? 0;
              }
              return bytes;
            }
            """;
        var before = await who.Page.EvaluateAsync<long>(Total);
        await Task.Delay(window);
        var sent = await who.Page.EvaluateAsync<long>(Total) - before;
        who.Log(string.Create(CultureInfo.InvariantCulture, $"sent {sent} audio RTP bytes in {window.TotalSeconds:F1} s"));
        return sent;
    }

    private static async Task WaitForNoSentAudioAsync(Participant who)
    {
        var deadline = Stopwatch.StartNew();
        while (await SentAudioBytesDuringAsync(who, TimeSpan.FromSeconds(1.5)) > 0)
        {
            if (deadline.Elapsed > Participant.AudioTimeout)
            {
                throw new XunitException($"{who.Name} still sends audio packets {Participant.AudioTimeout.TotalSeconds} s after moving out of range.");
            }
        }
    }

    /// <summary>
    /// Left and right rms (dBFS) of what <paramref name="listener"/> plays for <paramref name="speaker"/>: the page's playback
    /// output (after the PannerNode) split into its two channels, polled until <paramref name="condition"/> holds.
    /// </summary>
    private static async Task<(double Left, double Right)> WaitForStereoAsync(Participant listener, Participant speaker,
        Func<double, double, bool> condition, string what)
    {
        const string Script = """
            async (name) => {
              const sdk = await import('/sdk/index.js');
              const el = document.querySelector(`[data-peer][data-name="${CSS.escape(name)}"] audio`);
              const output = el && sdk.playbackOutput(el);
              if (!output) return [-200, -200];
              const ctx = output.context;
              const splitter = ctx.createChannelSplitter(2);
              const analysers = [0, 1].map(i => { const a = ctx.createAnalyser(); a.fftSize = 4096; splitter.connect(a, i); return a; });
              const sink = ctx.createGain();
              sink.gain.value = 0;
              output.connect(splitter);
              analysers.forEach(a => a.connect(sink));
              sink.connect(ctx.destination);
              const squares = [0, 0], buffer = new Float32Array(4096);
              let count = 0;
              await new Promise(r => setTimeout(r, 200));
              for (let i = 0; i < 10; i++) {
                analysers.forEach((a, c) => { a.getFloatTimeDomainData(buffer); for (const s of buffer) squares[c] += s * s; });
                count += buffer.length;
                await new Promise(r => setTimeout(r, 100));
              }
              output.disconnect(splitter);
              sink.disconnect();
              return squares.map(s => (s > 0 ? Math.max(-200, 10 * Math.log10(s / count)) : -200));
            }
            """;
        var deadline = Stopwatch.StartNew();
        double[] last;
        do
        {
            last = await listener.Page.EvaluateAsync<double[]>(Script, speaker.Name);
            listener.Log(string.Create(CultureInfo.InvariantCulture, $"stereo {speaker.Name}: left {last[0]:F1} dBFS, right {last[1]:F1} dBFS"));
            if (last[0] > Participant.AudibleDb - 20 || last[1] > Participant.AudibleDb - 20)
            {
                if (condition(last[0], last[1]))
                {
                    return (last[0], last[1]);
                }
            }
        }
        while (deadline.Elapsed < Participant.AudioTimeout);

        throw new XunitException(string.Create(CultureInfo.InvariantCulture,
            $"{listener.Name} did not {what} within {Participant.AudioTimeout.TotalSeconds} s: left {last[0]:F1}, right {last[1]:F1} dBFS."));
    }
}
