using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Xunit.Sdk;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// One person using the Parley page in its own BrowserContext, with the selectors of the page contract:
/// Join/Leave/Mute buttons, the "Participants" list of <c>[data-peer]</c> entries, errors in role=alert.
/// </summary>
public sealed partial class Participant : IAsyncDisposable
{
    /// <summary>A received tone must be within this many Hz of what the speaker's microphone plays.</summary>
    public const double ToleranceHz = 15;

    /// <summary>A clearly audible tone: the fake microphone plays -9 dBFS rms, audio processing roughly halves it.</summary>
    public const double AudibleDb = -40;

    /// <summary>Silence: no sound at all reaches the element (a muted sender transmits digital silence).</summary>
    public const double SilentDb = -70;

    /// <summary>How long audio conditions are polled before the test fails.</summary>
    public static readonly TimeSpan AudioTimeout = TimeSpan.FromSeconds(15);

    private readonly IBrowserContext context;
    private readonly ConcurrentQueue<string> log = new();
    private readonly Stopwatch clock;

    private Participant(string name, int toneHz, IBrowserContext context, IPage page, Stopwatch clock)
    {
        this.clock = clock;
        Name = name;
        ToneHz = toneHz;
        this.context = context;
        Page = page;
        page.Console += (_, message) => Log($"console.{message.Type}: {message.Text}");
        page.PageError += (_, error) => Log($"page error: {error}");
        page.Dialog += (_, dialog) =>
        {
            Dialogs.Enqueue(dialog.Message);
            Log($"dialog {dialog.Type}: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
    }

    public string Name { get; }

    /// <summary>What this participant's microphone plays.</summary>
    public int ToneHz { get; }

    public IPage Page { get; }

    /// <summary>Messages of alert/confirm/prompt dialogs the page opened (there should be none).</summary>
    public ConcurrentQueue<string> Dialogs { get; } = new();

    public ILocator JoinButton => Page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true });

    public ILocator LeaveButton => Page.GetByRole(AriaRole.Button, new() { Name = "Leave", Exact = true });

    public ILocator MuteButton => Page.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true });

    /// <summary>Visible role=alert elements that hold some text.</summary>
    public ILocator Alert => Page.GetByRole(AriaRole.Alert).Filter(new() { HasTextRegex = new("\\S") });

    public ILocator Participants => Page.Locator("[aria-label=\"Participants\"]");

    public ILocator Peers => Participants.Locator("[data-peer]");

    public ILocator Self => Participants.Locator("[data-peer][data-self=\"true\"]");

    /// <summary>The list entry of the participant called <paramref name="name"/> (exact attribute match).</summary>
    public ILocator Peer(string name) => Participants.Locator($"[data-peer][data-name=\"{CssString(name)}\"]");

    // Logs every change of the participant list and of the alert to the console, so a failed test's output
    // shows what the page went through (e.g. a peer that stayed "connecting").
    private const string DomTracer = """
        addEventListener('DOMContentLoaded', () => {
          const trace = (line) => console.debug(`[dom] ${line}`);
          new MutationObserver(records => {
            for (const r of records) {
              const alert = r.target.closest?.('[role=alert]') ?? r.target.parentElement?.closest?.('[role=alert]');
              if (alert) { trace(`alert: ${JSON.stringify(alert.textContent)}`); continue; }
              if (r.type === 'attributes' && r.target.matches('[data-peer]')) {
                trace(`${JSON.stringify(r.target.getAttribute('data-name'))} ${r.attributeName}=${r.target.getAttribute(r.attributeName)}`);
              }
              for (const n of r.addedNodes) if (n.matches?.('[data-peer]')) trace(`+ peer ${n.getAttribute('data-peer')}`);
              for (const n of r.removedNodes) if (n.matches?.('[data-peer]')) trace(`- peer ${JSON.stringify(n.getAttribute('data-name'))}`);
            }
          }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true,
                                      attributeFilter: ['data-name', 'data-state', 'data-muted', 'data-speaking'] });
        });
        """;

    /// <param name="clock">Timestamps of <see cref="Log"/>; shared by the participants of one test.</param>
    /// <param name="initScripts">Run in the page before its own scripts (<see cref="PageScripts"/>).</param>
    public static Task<Participant> OpenAsync(IBrowser browser, int toneHz, Uri page, string name, Stopwatch clock, params string[] initScripts) =>
        OpenAsync(browser, toneHz, page, name, clock, _ => Task.CompletedTask, initScripts);

    /// <param name="prepare">Runs on the new context before the page loads: routes that serve a page which is not Parley's.</param>
    public static async Task<Participant> OpenAsync(IBrowser browser, int toneHz, Uri page, string name, Stopwatch clock,
        Func<IBrowserContext, Task> prepare, params string[] initScripts)
    {
        var context = await browser.NewContextAsync(new() { Permissions = ["microphone"] });
        try
        {
            await prepare(context);
            await context.AddInitScriptAsync(DomTracer);
            foreach (var script in initScripts)
            {
                await context.AddInitScriptAsync(script);
            }

            var tab = await context.NewPageAsync();
            var participant = new Participant(name, toneHz, context, tab, clock);
            participant.Log($"goto {page}");
            var response = await tab.GotoAsync(page.ToString());
            participant.Log("loaded");
            if (response is null || !response.Ok)
            {
                throw new InvalidOperationException($"GET {page} answered {response?.Status}.");
            }

            return participant;
        }
        catch
        {
            await context.CloseAsync();
            throw;
        }
    }

    /// <summary>Clicks Join and waits until the page shows this participant joined (Leave button, self entry).</summary>
    public async Task JoinAsync()
    {
        await ClickJoinAsync();
        await Expect(LeaveButton).ToBeVisibleAsync();
        await Expect(Self).ToHaveCountAsync(1);
        await Expect(Self).ToHaveAttributeAsync("data-name", Name);
        Log("joined");
    }

    public async Task ClickJoinAsync()
    {
        Log("click Join");
        await JoinButton.ClickAsync();
    }

    public async Task ClickMuteAsync()
    {
        Log("click Mute");
        await MuteButton.ClickAsync();
    }

    public async Task ClickLeaveAsync()
    {
        Log("click Leave");
        await LeaveButton.ClickAsync();
    }

    /// <summary>Closes the tab, as a person does who just goes away (no Leave click).</summary>
    public async Task ClosePageAsync()
    {
        Log("close the tab");
        await Page.CloseAsync(new() { RunBeforeUnload = true });
    }

    /// <summary>Waits until this participant's entry for <paramref name="remote"/> reports a connected peer.</summary>
    public async Task ExpectConnectedToAsync(Participant remote)
    {
        await Expect(Peer(remote.Name)).ToHaveAttributeAsync("data-state", "connected");
        Log($"sees {remote.Name} connected");
    }

    public Task<IReadOnlyDictionary<string, ProbeResult>> ProbeAsync(params Participant[] remotes) => ProbeAsync(remotes, expected: null);

    private async Task<IReadOnlyDictionary<string, ProbeResult>> ProbeAsync(Participant[] remotes, IReadOnlyDictionary<string, ExpectedTone>? expected)
    {
        var results = await AudioProbe.MeasureAsync(Page, [.. remotes.Select(r => r.Name)], expected);
        foreach (var (name, result) in results)
        {
            Log($"probe {name}: {result}");
        }

        return results;
    }

    /// <summary>Polls the probe until each of <paramref name="remotes"/> is heard at its own tone.</summary>
    public Task<IReadOnlyDictionary<string, ProbeResult>> WaitToHearAsync(params Participant[] remotes) =>
        WaitForAudioAsync(remotes, r => remotes.All(p => r[p.Name].IsTone(p.ToneHz, ToleranceHz, AudibleDb)),
            "hear " + string.Join(", ", remotes.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} at {p.ToneHz} Hz"))),
            remotes.ToDictionary(p => p.Name, p => new ExpectedTone(p.ToneHz, ToleranceHz, AudibleDb)));

    /// <summary>Polls the probe until <paramref name="condition"/> holds for the measurements of <paramref name="remotes"/>.</summary>
    /// <param name="expected">The tones <paramref name="condition"/> waits for, if that is what it does: each probe then
    /// ends as soon as they are heard (<see cref="AudioProbe.MeasureAsync(IPage, string[], IReadOnlyDictionary{string, ExpectedTone})"/>).</param>
    public async Task<IReadOnlyDictionary<string, ProbeResult>> WaitForAudioAsync(
        Participant[] remotes, Func<IReadOnlyDictionary<string, ProbeResult>, bool> condition, string description,
        IReadOnlyDictionary<string, ExpectedTone>? expected = null)
    {
        var deadline = Stopwatch.StartNew();
        IReadOnlyDictionary<string, ProbeResult> last;
        do
        {
            last = await ProbeAsync(remotes, expected);
            if (condition(last))
            {
                return last;
            }
        }
        while (deadline.Elapsed < AudioTimeout);

        throw new XunitException(
            $"{Name} did not {description} within {AudioTimeout.TotalSeconds} s. Last measurement:{Environment.NewLine}" +
            string.Join(Environment.NewLine, last.Select(kv => $"  {kv.Key}: {kv.Value}")));
    }

    /// <summary>Notes what happened, with a timestamp; written to the test output at the end of the test.</summary>
    public void Log(string line) =>
        log.Enqueue(string.Create(CultureInfo.InvariantCulture, $"{clock.Elapsed.TotalSeconds,7:F2}s {line}"));

    public string History => string.Join(Environment.NewLine, log);

    /// <summary>Escapes a value for a double-quoted CSS attribute selector string.</summary>
    private static string CssString(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    public async ValueTask DisposeAsync() => await context.CloseAsync();
}
