using System.Text.Json;
using Parley.Browser.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Parley.Browser.Tests;

/// <summary>
/// Trystero apps meet through Parley's WebTorrent tracker: two real Chromium pages running Trystero's torrent strategy
/// (<c>@trystero-p2p/torrent</c> from tests/interop/node_modules), with <c>relayConfig.urls</c> pointing at Parley's
/// <c>/announce</c>, exchange microphones and each hears the other's tone. Trystero encrypts its SDP, so this also
/// proves the tracker relays offers and answers untouched.
/// </summary>
[Collection(BrowserTestGroup.Name)]
[Trait("Category", "Browser")]
public sealed class TrysteroTests(BrowserSuite suite, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Two_Trystero_pages_meet_through_parleys_tracker_and_hear_each_others_microphones()
    {
        var room = $"trystero-{Guid.NewGuid():N}";
        var tracker = $"ws://{suite.Server.BaseAddress.Authority}/announce";
        var alice = await OpenAsync(BrowserSuite.AliceHz, room, tracker);
        var bob = await OpenAsync(BrowserSuite.BobHz, room, tracker);
        try
        {
            await Task.WhenAll(
                HearsAsync(alice, "Alice", BrowserSuite.BobHz),
                HearsAsync(bob, "Bob", BrowserSuite.AliceHz));
        }
        finally
        {
            await alice.Context.CloseAsync();
            await bob.Context.CloseAsync();
        }
    }

    private async Task<IPage> OpenAsync(int toneHz, string room, string tracker)
    {
        // Parley's CSP (script-src 'self') is for Parley's pages; this test page's inline import map and module are not.
        var context = await suite.BrowserFor(toneHz).NewContextAsync(new() { Permissions = ["microphone"], BypassCSP = true });
        var modules = Path.Combine(InteropDirectory, "node_modules", "@trystero-p2p");
        await context.RouteAsync("**/trystero/**", async route =>
        {
            var path = new Uri(route.Request.Url).AbsolutePath;
            var file = path switch
            {
                _ when path.StartsWith("/trystero/torrent/", StringComparison.Ordinal) => Path.Combine(modules, "torrent", "dist", path["/trystero/torrent/".Length..]),
                _ when path.StartsWith("/trystero/core/", StringComparison.Ordinal) => Path.Combine(modules, "core", "dist", path["/trystero/core/".Length..]),
                _ => null,
            };
            if (file is null || file.Contains("..", StringComparison.Ordinal) || !File.Exists(file))
            {
                await route.FulfillAsync(new() { Status = 404 });
                return;
            }

            await route.FulfillAsync(new()
            {
                Status = 200,
                ContentType = "text/javascript",
                BodyBytes = await File.ReadAllBytesAsync(file),
            });
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"[{toneHz} Hz] {message.Type}: {message.Text}");
        page.PageError += (_, error) => output.WriteLine($"[{toneHz} Hz] page error: {error}");
        // The document itself comes from Parley over the network (any page of it, here /healthz), and is then replaced:
        // a page that Playwright fulfils has no network address, and Chromium's local network access checks would
        // then block its WebSocket to the loopback tracker.
        await page.GotoAsync(new Uri(suite.Server.BaseAddress, $"/healthz?room={Uri.EscapeDataString(room)}&tracker={Uri.EscapeDataString(tracker)}").ToString());
        await page.SetContentAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Trystero", "room.html")));
        await Expect(page.Locator("#status")).ToHaveTextAsync("joined", new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>Polls until the page plays one remote stream carrying <paramref name="toneHz"/>, audibly.</summary>
    private async Task HearsAsync(IPage page, string name, int toneHz)
    {
        await Expect(page.Locator("[data-stream]")).ToHaveCountAsync(1, new() { Timeout = 45_000 });
        Heard[] last = [];
        var deadline = DateTime.UtcNow + Participant.AudioTimeout;
        while (DateTime.UtcNow < deadline)
        {
            last = JsonSerializer.Deserialize<Heard[]>(await page.EvaluateAsync<string>("async () => JSON.stringify(await window.hear())"), Json) ?? [];
            output.WriteLine($"{name} hears {string.Join(", ", last.Select(h => $"{h.Frequency:F1} Hz at {h.RmsDb:F1} dBFS"))}");
            if (last.Length == 1 && Math.Abs(last[0].Frequency - toneHz) <= Participant.ToleranceHz && last[0].RmsDb >= Participant.AudibleDb)
            {
                return;
            }
        }

        Assert.Fail($"{name} never heard {toneHz} Hz; last: {string.Join(", ", last.Select(h => $"{h.Frequency:F1} Hz at {h.RmsDb:F1} dBFS"))}");
    }

    private static string InteropDirectory
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var interop = Path.Combine(directory.FullName, "tests", "interop");
                if (Directory.Exists(Path.Combine(interop, "node_modules", "@trystero-p2p", "torrent")))
                {
                    return interop;
                }
            }

            throw new InvalidOperationException($"No tests/interop/node_modules/@trystero-p2p/torrent above {AppContext.BaseDirectory}: run `npm ci --prefix tests/interop`.");
        }
    }

    private sealed record Heard(string PeerId, double Frequency, double RmsDb);
}
