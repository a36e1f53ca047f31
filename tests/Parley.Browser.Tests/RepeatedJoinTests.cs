using System.Diagnostics;
using System.Globalization;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Negotiation that hangs only sometimes (docs/browser-testing.md saw 3 hangs in 8 calls with textbook
/// perfect negotiation) passes a single join. Join many fresh calls, one after the other and at once.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class RepeatedJoinTests(BrowserSuite suite, ITestOutputHelper output)
{
    private const int Rounds = 6;

    [Fact]
    public async Task Every_one_of_many_two_party_calls_connects_with_audio_both_ways()
    {
        var failures = new List<string>();
        for (var round = 1; round <= Rounds; round++)
        {
            // Odd rounds: Bob joins once Alice is in. Even rounds: both press Join at the same moment.
            var together = round % 2 == 0;
            var mode = together ? "joining at once" : "joining one after the other";
            var clock = Stopwatch.StartNew();
            await using var call = new CallScope(suite, output) { WriteHistory = false };
            try
            {
                var room = CallScope.NewRoom(string.Create(CultureInfo.InvariantCulture, $"round{round}"));
                var opened = await Task.WhenAll(
                    call.OpenAsync(BrowserSuite.AliceHz, room, "Alice"),
                    call.OpenAsync(BrowserSuite.BobHz, room, "Bob"));
                var (alice, bob) = (opened[0], opened[1]);
                if (together)
                {
                    await Task.WhenAll(alice.JoinAsync(), bob.JoinAsync());
                }
                else
                {
                    await alice.JoinAsync();
                    await bob.JoinAsync();
                }

                await CallScope.ExpectAllConnectedAsync(opened);
                await Task.WhenAll(alice.WaitToHearAsync(bob), bob.WaitToHearAsync(alice));
                output.WriteLine($"round {round} ({mode}): connected with audio both ways in {clock.Elapsed.TotalSeconds:F1} s");
            }
            catch (Exception e)
            {
                // Count any failure of one round and keep going: the report says how often calls fail.
                call.WriteHistory = true;
                failures.Add($"round {round} ({mode}) after {clock.Elapsed.TotalSeconds:F1} s: {e.Message}");
                output.WriteLine($"round {round} ({mode}): FAILED after {clock.Elapsed.TotalSeconds:F1} s");
            }
        }

        Assert.True(failures.Count == 0,
            $"{failures.Count} of {Rounds} calls failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures)}");
    }
}
