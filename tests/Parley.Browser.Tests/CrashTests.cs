using System.Diagnostics;
using System.Globalization;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// A browser that crashes (killed, or the OS closing its sockets as a laptop lid shuts): no <c>bye</c>, no close
/// frame. The server sees its socket drop and the others' peer connections to it go quiet; together that is
/// enough to tell everyone it left within seconds (docs/protocol.md, <c>participant-away</c> and <c>peer-lost</c>).
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class CrashTests(BrowserSuite suite, ITestOutputHelper output)
{
    /// <summary>From the kill to the participant's entry leaving the others' lists.</summary>
    private static readonly TimeSpan GoneWithin = TimeSpan.FromSeconds(5);

    /// <summary>Long enough to measure how late the old behaviour is (the 20 s grace period) instead of just timing out.</summary>
    private static readonly TimeSpan WaitAtMost = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_crashed_browser_leaves_the_others_lists_within_5_s_and_they_still_hear_each_other()
    {
        await using var carolBrowser = await suite.LaunchCrashableAsync(BrowserSuite.CarolHz);
        await using var call = new CallScope(suite, output);
        var room = CallScope.NewRoom("crash");
        var opened = await Task.WhenAll(
            call.OpenAsync(BrowserSuite.AliceHz, room, "Alice"),
            call.OpenAsync(BrowserSuite.BobHz, room, "Bob"),
            call.OpenAsync(carolBrowser.Browser, BrowserSuite.CarolHz, suite.Server.PageFor(room, "Carol"), "Carol"));
        var (alice, bob, carol) = (opened[0], opened[1], opened[2]);
        foreach (var participant in opened)
        {
            TraceDepartureMessages(participant);
            await participant.JoinAsync();
        }

        await CallScope.ExpectAllConnectedAsync(opened);
        await Task.WhenAll(alice.WaitToHearAsync(bob, carol), bob.WaitToHearAsync(alice, carol));
        var processes = carolBrowser.GroupProcesses().Count;

        var sinceCrash = Stopwatch.StartNew();
        await carolBrowser.CrashAsync();
        foreach (var participant in opened)
        {
            participant.Log(string.Create(CultureInfo.InvariantCulture,
                $"Carol's browser killed ({processes} processes, SIGKILL to the group; all gone {sinceCrash.Elapsed.TotalSeconds:F2} s after the kill)"));
        }

        var gone = await Task.WhenAll(new[] { alice, bob }.Select(async listener =>
        {
            // Polled in the page every 50 ms: a web-first assertion polls ever more slowly (up to 1 s apart).
            await listener.Page.WaitForFunctionAsync("name => !document.querySelector(`[data-peer][data-name=\"${name}\"]`)", carol.Name,
                new() { PollingInterval = 50, Timeout = (float)WaitAtMost.TotalMilliseconds });
            var elapsed = sinceCrash.Elapsed;
            listener.Log(string.Create(CultureInfo.InvariantCulture, $"Carol gone from the list {elapsed.TotalSeconds:F2} s after the kill"));
            return elapsed;
        }));

        Assert.True(gone.All(elapsed => elapsed < GoneWithin),
            $"Carol left Alice's list {gone[0].TotalSeconds:F2} s and Bob's {gone[1].TotalSeconds:F2} s after her browser was killed; expected under {GoneWithin.TotalSeconds} s.");
        await Expect(alice.Peers).ToHaveCountAsync(2);
        await Expect(bob.Peers).ToHaveCountAsync(2);
        await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-state", "connected");
        await Expect(bob.Peer(alice.Name)).ToHaveAttributeAsync("data-state", "connected");
    }

    /// <summary>Logs the signaling messages that tell where the time goes: participant-away and participant-left in, peer-lost out.</summary>
    private static void TraceDepartureMessages(Participant participant) =>
        participant.Page.WebSocket += (_, socket) =>
        {
            socket.FrameReceived += (_, frame) => LogIf(participant, "<-", frame.Text, "participant-away", "participant-left");
            socket.FrameSent += (_, frame) => LogIf(participant, "->", frame.Text, "peer-lost");
        };

    private static void LogIf(Participant participant, string direction, string? text, params string[] types)
    {
        if (text is not null && types.Any(type => text.Contains($"\"type\":\"{type}\"", StringComparison.Ordinal)))
        {
            participant.Log($"signaling {direction} {text}");
        }
    }
}
