using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// What I hear: Deafen silences everyone for me and mutes me; per-participant volume (0-200 %) and local
/// mute change only what I hear. Measured on the page's playback output, the signal sent to the speakers.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class HearingTests(BrowserSuite suite, ITestOutputHelper output)
{
    [Fact]
    public async Task Deafen_silences_everyone_for_me_and_me_for_everyone_and_undeafen_restores_both()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob, carol) = await ThreeInOneCallAsync(call, "deafen");
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), alice.WaitToHearAsync(bob), carol.WaitToHearAsync(bob));

        await bob.ClickAsync(bob.DeafenButton, "Deafen");
        await Expect(bob.DeafenButton).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(bob.MuteButton).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-muted", "true");
        await Task.WhenAll(
            bob.WaitForSilenceFromAsync(alice, carol),
            alice.WaitForSilenceFromAsync(bob),
            carol.WaitForSilenceFromAsync(bob));
        // Alice and Carol still hear each other: deafen is Bob's alone.
        await alice.WaitToHearAsync(carol);

        await bob.ClickAsync(bob.DeafenButton, "Undeafen");
        await Expect(bob.DeafenButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bob.MuteButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), alice.WaitToHearAsync(bob), carol.WaitToHearAsync(bob));

        // Muted before deafening: undeafening keeps the mute. Unmuting while deafened undeafens.
        await bob.ClickMuteAsync();
        await bob.ClickAsync(bob.DeafenButton, "Deafen");
        await Expect(bob.DeafenButton).ToHaveAttributeAsync("aria-pressed", "true");
        await bob.ClickAsync(bob.DeafenButton, "Undeafen");
        await Expect(bob.DeafenButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bob.MuteButton).ToHaveAttributeAsync("aria-pressed", "true");
        await bob.ClickAsync(bob.DeafenButton, "Deafen");
        await bob.ClickMuteAsync();
        await Expect(bob.MuteButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bob.DeafenButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), alice.WaitToHearAsync(bob));
    }

    [Fact]
    public async Task Volume_and_local_mute_change_only_what_I_hear_and_are_remembered_per_name()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob, carol) = await ThreeInOneCallAsync(call, "volume");
        await alice.WaitToHearAsync(bob, carol);

        await Expect(alice.VolumeFor(bob)).ToHaveValueAsync("100");
        await alice.SetVolumeAsync(bob, 0);
        await alice.WaitForAudioAsync([bob, carol],
            heard => heard[bob.Name] is { Found: true } b && b.RmsDb <= Participant.SilentDb
                && heard[carol.Name].IsTone(carol.ToneHz, Participant.ToleranceHz, Participant.AudibleDb),
            "hear nothing from Bob at volume 0 while still hearing Carol");
        // Only Alice turned Bob down.
        await carol.WaitToHearAsync(bob);

        // The reference level is taken just before the change: the sender's automatic gain control drifts
        // over a call, so a level from the start of the call is no baseline. 200 % is +6 dB; ask for +3.
        await alice.SetVolumeAsync(bob, 100);
        var bobAt100 = (await alice.WaitToHearAsync(bob))[bob.Name].RmsDb;
        await alice.SetVolumeAsync(bob, 200);
        var louder = await alice.WaitForAudioAsync([bob],
            heard => heard[bob.Name].IsTone(bob.ToneHz, Participant.ToleranceHz, bobAt100 + 3),
            $"hear Bob at 200 % at least 3 dB louder than at 100 % ({bobAt100:F1} dBFS)");
        output.WriteLine($"Bob at 100 %: {bobAt100:F1} dBFS; at 200 %: {louder[bob.Name].RmsDb:F1} dBFS");

        await alice.ClickAsync(alice.LocalMuteFor(carol), "Mute Carol");
        await Expect(alice.LocalMuteFor(carol)).ToHaveAttributeAsync("aria-pressed", "true");
        await Task.WhenAll(alice.WaitForSilenceFromAsync(carol), bob.WaitToHearAsync(carol));
        await Expect(bob.Peer(carol.Name)).ToHaveAttributeAsync("data-muted", "false");

        // Remembered in the browser by display name: a new session starts with the same choices.
        await alice.ClickLeaveAsync();
        await alice.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob, carol]);
        await Expect(alice.VolumeFor(bob)).ToHaveValueAsync("200");
        await Expect(alice.LocalMuteFor(carol)).ToHaveAttributeAsync("aria-pressed", "true");
        await alice.WaitForAudioAsync([bob, carol],
            heard => heard[bob.Name].IsTone(bob.ToneHz, Participant.ToleranceHz, bobAt100 + 3)
                && heard[carol.Name] is { Found: true } c && c.RmsDb <= Participant.SilentDb,
            "hear Bob loud and Carol not at all after rejoining");
    }

    private static async Task<(Participant Alice, Participant Bob, Participant Carol)> ThreeInOneCallAsync(CallScope call, string prefix)
    {
        var everyone = await call.JoinAsync(CallScope.NewRoom(prefix), 3);
        await CallScope.ExpectAllConnectedAsync(everyone);
        return (everyone[0], everyone[1], everyone[2]);
    }
}
