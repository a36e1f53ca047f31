using System.Globalization;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Input modes decide when the others hear my microphone: push to talk only while the key (or button) is
/// held, plus a short release delay; voice activation only while my microphone picks up sound.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class InputModeTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Push_to_talk_reaches_the_others_only_while_the_key_is_held_plus_the_release_delay()
    {
        await using var call = new CallScope(suite, output);
        var both = await call.JoinAsync(CallScope.NewRoom("ptt"), 2);
        var (alice, bob) = (both[0], both[1]);
        await bob.ExpectConnectedToAsync(alice);
        await bob.WaitToHearAsync(alice);

        await alice.SelectInputModeAsync("Push to talk");
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "false");
        await Expect(alice.PushToTalkButton).ToBeVisibleAsync();
        await bob.WaitForSilenceFromAsync(alice);

        alice.Log("hold Space");
        await alice.Page.Keyboard.DownAsync("Space");
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "true");
        await bob.WaitToHearAsync(alice);

        // Timed in the page: from just before the key goes up to the moment transmission stops.
        await alice.Page.EvaluateAsync("""
            () => {
              const self = document.querySelector('[data-peer][data-self="true"]');
              window.__pttStoppedAt = null;
              new MutationObserver((_, observer) => {
                if (self.getAttribute('data-transmitting') !== 'false') return;
                window.__pttStoppedAt = performance.now();
                observer.disconnect();
              }).observe(self, { attributes: true, attributeFilter: ['data-transmitting'] });
              window.__pttReleasedAt = performance.now();
            }
            """);
        alice.Log("release Space");
        await alice.Page.Keyboard.UpAsync("Space");
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "false");
        var delayMs = await alice.Page.EvaluateAsync<double>("() => window.__pttStoppedAt - window.__pttReleasedAt");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Transmission stopped {delayMs:F0} ms after the key went up."));
        Assert.InRange(delayMs, 195, 1500);
        await bob.WaitForSilenceFromAsync(alice);

        // The on-screen button works the same way while pressed.
        await alice.PushToTalkButton.HoverAsync();
        alice.Log("press and hold Push to talk");
        await alice.Page.Mouse.DownAsync();
        await Expect(alice.PushToTalkButton).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "true");
        await bob.WaitToHearAsync(alice);
        await alice.Page.Mouse.UpAsync();
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "false");
        await bob.WaitForSilenceFromAsync(alice);

        // Space typed into a text field is text, not push to talk.
        await alice.MessageBox.FocusAsync();
        await alice.Page.Keyboard.DownAsync("Space");
        await Task.Delay(300);
        await Expect(alice.Self).ToHaveAttributeAsync("data-transmitting", "false");
        await alice.Page.Keyboard.UpAsync("Space");
    }

    [Fact]
    public async Task Voice_activation_sends_nothing_while_the_microphone_is_silent_and_starts_with_the_tone()
    {
        await suite.DaveBrowserAsync();
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("vad");
        var opened = await Task.WhenAll(call.OpenAsync(BrowserSuite.DaveHz, room, "Dave"), call.OpenAsync(BrowserSuite.BobHz, room, "Bob"));
        var (dave, bob) = (opened[0], opened[1]);
        await dave.JoinAsync();
        await bob.JoinAsync();
        await bob.ExpectConnectedToAsync(dave);

        await dave.SelectInputModeAsync("Voice activation");
        await Expect(dave.Page.GetByRole(AriaRole.Meter, new() { Name = "Microphone level" })).ToBeVisibleAsync();

        // Dave's microphone alternates 5 s of silence and 5 s of tone. While silent, the gate is closed (the
        // track is disabled) and Bob hears nothing; when the tone plays, the gate opens and Bob hears it.
        await Expect(dave.Self).ToHaveAttributeAsync("data-transmitting", "false");
        await bob.WaitForSilenceFromAsync(dave);
        await Expect(dave.Self).ToHaveAttributeAsync("data-transmitting", "true");
        await bob.WaitToHearAsync(dave);
    }
}
