using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>Muting silences a participant for everyone (and only them); leaving removes them for everyone.</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class MuteAndLeaveTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>A muted participant must be at least this much quieter than when unmuted.</summary>
    private const double MutedDropDb = 30;

    [Fact]
    public async Task Muting_silences_only_the_muted_participant_and_unmuting_brings_the_tone_back()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob, carol) = await ThreeInOneCallAsync(call, "mute");

        var unmuted = await bob.WaitToHearAsync(alice, carol);
        var aliceUnmutedDb = unmuted[alice.Name].RmsDb;

        await alice.ClickMuteAsync();
        await Expect(alice.MuteButton).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(alice.Self).ToHaveAttributeAsync("data-muted", "true");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "true");
        await Expect(carol.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "true");
        await Expect(bob.Peer(carol.Name)).ToHaveAttributeAsync("data-muted", "false");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-speaking", "false");

        bool AliceSilentCarolAudible(IReadOnlyDictionary<string, ProbeResult> heard) =>
            heard[alice.Name] is { Found: true } a && a.RmsDb <= Participant.SilentDb && a.RmsDb <= aliceUnmutedDb - MutedDropDb
            && heard[carol.Name].IsTone(carol.ToneHz, Participant.ToleranceHz, Participant.AudibleDb);
        await Task.WhenAll(
            bob.WaitForAudioAsync([alice, carol], AliceSilentCarolAudible,
                $"hear silence from muted Alice (unmuted she was {aliceUnmutedDb:F1} dBFS) while still hearing Carol"),
            carol.WaitForAudioAsync([alice], heard => heard[alice.Name] is { Found: true } a && a.RmsDb <= Participant.SilentDb,
                "hear silence from muted Alice"));

        await alice.ClickMuteAsync();
        await Expect(alice.MuteButton).ToHaveAttributeAsync("aria-pressed", "false");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "false");
        await Expect(carol.Peer(alice.Name)).ToHaveAttributeAsync("data-muted", "false");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-speaking", "true");
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), carol.WaitToHearAsync(alice));
    }

    [Fact]
    public async Task Leaving_removes_the_participant_for_everyone_the_others_keep_talking_and_they_can_rejoin()
    {
        await using var call = new CallScope(suite, output);
        var (alice, bob, carol) = await ThreeInOneCallAsync(call, "leave");

        await alice.ClickLeaveAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0);
        await Expect(carol.Peer(alice.Name)).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(2);
        await Expect(carol.Peers).ToHaveCountAsync(2);
        await Expect(alice.LeaveButton).ToBeHiddenAsync();
        await Expect(alice.JoinButton).ToBeVisibleAsync();

        await Task.WhenAll(bob.WaitToHearAsync(carol), carol.WaitToHearAsync(bob));

        // Same page, same room, new session: everyone connects to her again and hears her.
        await alice.JoinAsync();
        await CallScope.ExpectAllConnectedAsync([alice, bob, carol]);
        await Task.WhenAll(bob.WaitToHearAsync(alice, carol), alice.WaitToHearAsync(bob, carol));
    }

    [Fact]
    public async Task Closing_the_tab_without_leaving_removes_the_participant_for_the_others()
    {
        await using var call = new CallScope(suite, output);
        var both = await call.JoinAsync(CallScope.NewRoom("close"), 2);
        var (alice, bob) = (both[0], both[1]);
        await bob.ExpectConnectedToAsync(alice);

        await alice.ClosePageAsync();
        await Expect(bob.Peer(alice.Name)).ToHaveCountAsync(0);
        await Expect(bob.Peers).ToHaveCountAsync(1);
        await Expect(bob.Self).ToHaveCountAsync(1);
    }

    private static async Task<(Participant Alice, Participant Bob, Participant Carol)> ThreeInOneCallAsync(CallScope call, string prefix)
    {
        var everyone = await call.JoinAsync(CallScope.NewRoom(prefix), 3);
        await CallScope.ExpectAllConnectedAsync(everyone);
        return (everyone[0], everyone[1], everyone[2]);
    }
}
