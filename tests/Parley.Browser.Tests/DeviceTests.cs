using System.Text.RegularExpressions;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Audio devices: switching microphone in the middle of a call (replaceTrack, no new offer/answer) and the
/// microphone test before joining.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed partial class DeviceTests(BrowserSuite suite, ITestOutputHelper output)
{
    private const int SecondMicHz = 550;

    // Chromium's fake capture has a single microphone: add a second one, "Test tone 550 Hz", made of an
    // oscillator, and count every description set on any RTCPeerConnection (a renegotiation sets two).
    private const string SecondMicrophone = """
        (() => {
          const md = navigator.mediaDevices;
          const enumerate = md.enumerateDevices.bind(md);
          const getUserMedia = md.getUserMedia.bind(md);
          const tone = { deviceId: 'test-tone-550', kind: 'audioinput', label: 'Test tone 550 Hz', groupId: 'test-tone',
                         toJSON() { return { ...this }; } };
          md.enumerateDevices = async () => [...await enumerate(), tone];
          const wantsTone = (constraints) => {
            const id = constraints?.audio?.deviceId;
            const value = id?.exact ?? id?.ideal ?? id;
            return (Array.isArray(value) ? value : [value]).includes(tone.deviceId);
          };
          window.__toneContexts = [];
          md.getUserMedia = async (constraints) => {
            if (!wantsTone(constraints)) return getUserMedia(constraints);
            const context = new AudioContext();
            window.__toneContexts.push(context);
            const oscillator = new OscillatorNode(context, { frequency: 550 });
            const gain = new GainNode(context, { gain: 0.5 });
            const destination = context.createMediaStreamDestination();
            oscillator.connect(gain).connect(destination);
            oscillator.start();
            await context.resume().catch(() => {});
            return destination.stream;
          };
          window.__descriptions = { local: 0, remote: 0 };
          const proto = RTCPeerConnection.prototype;
          const setLocal = proto.setLocalDescription, setRemote = proto.setRemoteDescription;
          proto.setLocalDescription = function (...args) { window.__descriptions.local++; return setLocal.apply(this, args); };
          proto.setRemoteDescription = function (...args) { window.__descriptions.remote++; return setRemote.apply(this, args); };
        })();
        """;

    private const string Descriptions = "() => JSON.stringify(window.__descriptions)";

    [Fact]
    public async Task Switching_microphone_mid_call_changes_the_frequency_the_others_hear_without_a_new_offer_answer()
    {
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("mic-switch");
        var opened = await Task.WhenAll(call.OpenAsync(BrowserSuite.AliceHz, room, "Alice"), call.OpenAsync(BrowserSuite.BobHz, room, "Bob"));
        var (alice, bob) = (opened[0], opened[1]);
        foreach (var participant in opened)
        {
            await participant.Page.AddInitScriptAsync(SecondMicrophone);
            await participant.Page.ReloadAsync();
        }

        await alice.JoinAsync();
        await bob.JoinAsync();
        await bob.ExpectConnectedToAsync(alice);
        await alice.ExpectConnectedToAsync(bob);
        await bob.WaitToHearAsync(alice);

        var before = (Alice: await alice.Page.EvaluateAsync<string>(Descriptions), Bob: await bob.Page.EvaluateAsync<string>(Descriptions));
        alice.Log($"descriptions before the switch: Alice {before.Alice}, Bob {before.Bob}");
        Assert.DoesNotContain(":0", before.Alice + before.Bob, StringComparison.Ordinal); // the counters see the call's own offer/answer

        var microphone = alice.Page.GetByLabel("Microphone", new() { Exact = true });
        await Expect(microphone.Locator("option", new() { HasText = "Test tone 550 Hz" })).ToHaveCountAsync(1);
        alice.Log("choose microphone Test tone 550 Hz");
        await microphone.SelectOptionAsync(new SelectOptionValue { Label = "Test tone 550 Hz" });

        await bob.WaitForAudioAsync([alice], r => r[alice.Name].IsTone(SecondMicHz, Participant.ToleranceHz, Participant.AudibleDb),
            $"hear Alice at {SecondMicHz} Hz");
        var after = (Alice: await alice.Page.EvaluateAsync<string>(Descriptions), Bob: await bob.Page.EvaluateAsync<string>(Descriptions));
        alice.Log($"descriptions after the switch: Alice {after.Alice}, Bob {after.Bob}");
        Assert.Equal(before, after);
        await Expect(alice.Alert).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Test_microphone_before_joining_shows_the_level_moving_and_stops_when_toggled_off()
    {
        await using var call = new CallScope(suite, output);
        var alice = await call.OpenAsync(BrowserSuite.AliceHz, CallScope.NewRoom("mic-test"), "Alice");
        var button = alice.Page.GetByRole(AriaRole.Button, new() { Name = "Test microphone", Exact = true });
        var meter = alice.Page.GetByRole(AriaRole.Meter, new() { Name = "Microphone test level", Exact = true });

        await alice.ClickAsync(button, "Test microphone");
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(meter).ToBeVisibleAsync();
        await Expect(meter).ToHaveAttributeAsync("aria-valuenow", NonZero());

        await alice.ClickAsync(button, "Test microphone");
        await Expect(button).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(meter).ToBeHiddenAsync();
    }

    [GeneratedRegex("^[1-9][0-9]*$")]
    private static partial Regex NonZero();
}
