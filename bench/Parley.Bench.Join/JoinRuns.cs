using System.Text.Json;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;

namespace Parley.Bench.Join;

/// <summary>
/// The result of one run: join (or floor) to both hearing, in ms, by the main-thread detector (<c>Ms</c>) and by the
/// audio-thread one (<c>AudioMs</c>, hear-worklet.js), and its steps.
/// </summary>
public sealed record RunResult(double Ms, double AudioMs, double Start, Trace Trace);

/// <summary>
/// The two measurements. Parley: Alice is in the room, Bob's page is on the join form (room and name filled in by
/// the link); Bob points at Join and clicks <c>formMs</c> later; from that click to the later of Alice hearing Bob's
/// tone and Bob hearing Alice's. Floor: <c>floor.js</c> in a page of Bob's browser.
/// </summary>
public sealed class JoinRuns(ParleyServer server, IBrowser aliceBrowser, IBrowser bobBrowser, PageScripts scripts, int aliceHz, int bobHz)
{
    private static readonly float TimeoutMs = 15_000;

    /// <summary>
    /// Where Chromium's own trace of Bob's browser is written for each counted round (<c>--chrome-trace DIR</c>): every
    /// task of its main threads, with the script functions, events, layout and GC inside
    /// (<c>scripts/chrome-trace-summary.py</c> lists them); null: none.
    /// </summary>
    public string? ChromeTraceDirectory { get; init; }

    private static readonly string[] ChromeTraceCategories =
        ["toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "blink.user_timing"];

    public async Task<RunResult> ParleyAsync(int round, int formMs)
    {
        var room = $"join-{round}-{Guid.NewGuid():N}"[..20];
        await using var alice = await OpenAsync(aliceBrowser, server.PageFor(room, "Alice"), bobHz);
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await alice.Page.GetByRole(AriaRole.Button, new() { Name = "Leave", Exact = true }).WaitForAsync(new() { Timeout = TimeoutMs });

        await using var bob = await OpenAsync(bobBrowser, server.PageFor(room, "Bob"), aliceHz);
        var chromeTrace = ChromeTraceDirectory is not null && round > 0
            ? await ChromeTrace.StartAsync(bob.Page, ChromeTraceCategories)
            : null;

        // Bob points at Join, and clicks formMs later, as a person does (the page may use that time: prewarm).
        var join = bob.Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });
        await join.HoverAsync();
        await Task.Delay(formMs);
        await join.ClickAsync();
        var heard = "() => window.__bench.heard.remote !== undefined && window.__bench.heardAudio.remote !== undefined";
        try
        {
            await Task.WhenAll(
                alice.Page.WaitForFunctionAsync(heard, null, new() { Timeout = TimeoutMs, PollingInterval = 20 }),
                bob.Page.WaitForFunctionAsync(heard, null, new() { Timeout = TimeoutMs, PollingInterval = 20 }));
        }
        catch (TimeoutException)
        {
            // What each page's detectors did (a detector that failed to load says why).
            const string detectors = "() => JSON.stringify(window.__bench.marks.filter(m => /detector|heard|tapped/.test(m.name)))";
            Console.Error.WriteLine($"alice's detectors: {await alice.Page.EvaluateAsync<string>(detectors)}");
            Console.Error.WriteLine($"bob's detectors: {await bob.Page.EvaluateAsync<string>(detectors)}");
            throw;
        }
        finally
        {
            if (chromeTrace is not null)
            {
                await chromeTrace.StopAsync(Path.Combine(ChromeTraceDirectory!, $"bob-round-{round}.json"));
            }
        }

        var trace = new Trace();
        trace.Add("alice", await alice.Page.EvaluateAsync<string>("() => JSON.stringify(window.__bench.marks)"));
        trace.Add("bob", await bob.Page.EvaluateAsync<string>("() => JSON.stringify(window.__bench.marks)"));
        var click = trace.Marks.First(m => m.Name == "bob: click Join").T;
        var aliceHeard = await alice.Page.EvaluateAsync<double>("() => window.__bench.heard.remote");
        var bobHeard = await bob.Page.EvaluateAsync<double>("() => window.__bench.heard.remote");
        var aliceHeardAudio = await alice.Page.EvaluateAsync<double>("() => window.__bench.heardAudio.remote");
        var bobHeardAudio = await bob.Page.EvaluateAsync<double>("() => window.__bench.heardAudio.remote");
        return new RunResult(Math.Max(aliceHeard, bobHeard) - click, Math.Max(aliceHeardAudio, bobHeardAudio) - click, click, trace);
    }

    public async Task<RunResult> FloorAsync()
    {
        var context = await NewContextAsync(bobBrowser);
        try
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(server.BaseAddress, "/healthz").ToString());
            // The SDK's VOICE_CONSTRAINTS (sdk/audio.js): the same audio processing as Parley's microphone.
            var arguments = JsonSerializer.Serialize(new
            {
                hz = bobHz,
                constraints = new { echoCancellation = true, noiseSuppression = true, autoGainControl = true, channelCount = 1 },
            });
            var json = await page.EvaluateAsync<string>($"(args) => ({scripts.Floor})(JSON.parse(args))", arguments);
            using var result = JsonDocument.Parse(json);
            var trace = new Trace();
            trace.Add("floor", result.RootElement.GetProperty("marks").GetRawText());
            var ms = result.RootElement.GetProperty("ms").GetDouble();
            var audioMs = result.RootElement.GetProperty("audioMs").GetDouble();
            if (double.IsNaN(ms) || double.IsNaN(audioMs))
            {
                throw new InvalidOperationException("The floor's connections did not hear each other within 15 s.");
            }

            return new RunResult(ms, audioMs, result.RootElement.GetProperty("start").GetDouble(), trace);
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    private async Task<OpenPage> OpenAsync(IBrowser browser, Uri url, int expectHz)
    {
        var context = await NewContextAsync(browser);
        await context.AddInitScriptAsync($"window.__benchExpectHz = {expectHz};");
        await context.AddInitScriptAsync(scripts.ParleyPage);
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        return new OpenPage(context, page);
    }

    /// <summary>
    /// A context with the microphone allowed, the tracer and the detectors. The audio-thread detector's module is
    /// loaded from a blob: URL, which the page's Content-Security-Policy (script-src 'self') would refuse, so the
    /// context bypasses CSP (Playwright cannot serve a worklet's module through a route: its fetch is not intercepted).
    /// </summary>
    private async Task<IBrowserContext> NewContextAsync(IBrowser browser)
    {
        var context = await browser.NewContextAsync(new() { Permissions = ["microphone"], BypassCSP = true });
        await context.AddInitScriptAsync(scripts.Trace);
        await context.AddInitScriptAsync($"window.__benchHearWorklet = {JsonSerializer.Serialize(scripts.HearWorklet)};");
        await context.AddInitScriptAsync(scripts.Hear);
        return context;
    }
}
