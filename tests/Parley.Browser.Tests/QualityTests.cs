using System.Text.RegularExpressions;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>Connection quality on demand: round-trip time, loss and jitter read from the live call's getStats().</summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed partial class QualityTests(BrowserSuite suite, ITestOutputHelper output)
{
    [GeneratedRegex(@"Round trip \d+(\.\d+)? ms · packet loss \d+(\.\d+)? % · jitter \d+(\.\d+)? ms")]
    private static partial Regex MeasuredQuality();

    [Fact]
    public async Task Connection_details_show_measured_round_trip_loss_and_jitter_and_a_loopback_call_is_not_poor()
    {
        await using var call = new CallScope(suite, output);
        var everyone = await call.JoinAsync(CallScope.NewRoom("quality"), 2);
        var (alice, bob) = (everyone[0], everyone[1]);
        await alice.ExpectConnectedToAsync(bob);
        await alice.WaitToHearAsync(bob);

        var details = alice.Page.GetByRole(Microsoft.Playwright.AriaRole.Button, new() { Name = $"Connection details for {bob.Name}", Exact = true });
        await alice.ClickAsync(details, "Connection details for Bob");
        await Expect(details).ToHaveAttributeAsync("aria-expanded", "true");

        // Numbers, not placeholders: the figures come from the RTCPeerConnection's candidate pair and inbound RTP.
        await Expect(alice.Peer(bob.Name)).ToContainTextAsync(MeasuredQuality(), new() { Timeout = 20_000 });
        await Expect(alice.Peer(bob.Name)).ToHaveAttributeAsync("data-quality", "good");
        await Expect(alice.Peer(bob.Name)).Not.ToContainTextAsync("poor connection");

        await alice.ClickAsync(details, "Hide connection details");
        await Expect(details).ToHaveAttributeAsync("aria-expanded", "false");
    }
}
