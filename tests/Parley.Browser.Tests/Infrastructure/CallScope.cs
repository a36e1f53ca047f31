using System.Diagnostics;
using System.Security.Cryptography;
using Xunit.Abstractions;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// The participants of one test: opens them, and on dispose writes what each page logged to the test
/// output (shown when a test fails) and closes their contexts.
/// </summary>
public sealed class CallScope(BrowserSuite suite, ITestOutputHelper output) : IAsyncDisposable
{
    private readonly List<Participant> participants = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    /// <summary>A room name no other test uses.</summary>
    public static string NewRoom(string prefix) => $"{prefix}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    public Task<Participant> OpenAsync(int toneHz, string room, string name) =>
        OpenAsync(suite.Server, toneHz, room, name);

    /// <summary>Opens the page of <paramref name="server"/> for <paramref name="room"/> in the browser playing <paramref name="toneHz"/>.</summary>
    public Task<Participant> OpenAsync(ParleyServer server, int toneHz, string room, string name) =>
        OpenAsync(suite.BrowserFor(toneHz), toneHz, server.PageFor(room, name), name);

    /// <summary>Opens <paramref name="server"/>'s page with <paramref name="token"/> (<c>/?token=</c>) in the browser playing <paramref name="toneHz"/>.</summary>
    public Task<Participant> OpenWithTokenAsync(ParleyServer server, int toneHz, string token, string name) =>
        OpenAsync(suite.BrowserFor(toneHz), toneHz, server.PageWithToken(token), name);

    /// <summary>
    /// Opens <paramref name="page"/> (another server's, or through a proxy) in the browser playing <paramref name="toneHz"/>,
    /// with <paramref name="initScripts"/> run before the page's own (<see cref="PageScripts"/>).
    /// </summary>
    public Task<Participant> OpenAsync(int toneHz, Uri page, string name, params string[] initScripts) =>
        OpenAsync(suite.BrowserFor(toneHz), toneHz, page, name, initScripts);

    /// <summary>Opens <paramref name="page"/> in <paramref name="browser"/>, one the test launched itself.</summary>
    public Task<Participant> OpenAsync(IBrowser browser, int toneHz, Uri page, string name, params string[] initScripts) =>
        OpenAsync(browser, toneHz, page, name, _ => Task.CompletedTask, initScripts);

    /// <summary>
    /// Opens <paramref name="page"/> in the browser playing <paramref name="toneHz"/> after <paramref name="prepare"/> set up
    /// its context (routes that serve a page which is not Parley's, e.g. a PeerJS app).
    /// </summary>
    public Task<Participant> OpenAsync(int toneHz, Uri page, string name, Func<IBrowserContext, Task> prepare) =>
        OpenAsync(suite.BrowserFor(toneHz), toneHz, page, name, prepare);

    private async Task<Participant> OpenAsync(IBrowser browser, int toneHz, Uri page, string name, Func<IBrowserContext, Task> prepare, params string[] initScripts)
    {
        var participant = await Participant.OpenAsync(browser, toneHz, page, name, clock, prepare, initScripts);
        lock (participants)
        {
            participants.Add(participant);
        }

        return participant;
    }

    /// <summary>
    /// Opens the page for Alice (440 Hz), Bob (660 Hz) and Carol (880 Hz) in <paramref name="room"/> at once,
    /// then joins them one after another, as people arriving in a room do.
    /// </summary>
    public async Task<Participant[]> JoinAsync(string room, int count)
    {
        (int Hz, string Name)[] people = [(BrowserSuite.AliceHz, "Alice"), (BrowserSuite.BobHz, "Bob"), (BrowserSuite.CarolHz, "Carol")];
        var opened = await Task.WhenAll(people.Take(count).Select(p => OpenAsync(p.Hz, room, p.Name)));
        foreach (var participant in opened)
        {
            await participant.JoinAsync();
        }

        return opened;
    }

    /// <summary>Waits until every participant sees every other one connected.</summary>
    public static async Task ExpectAllConnectedAsync(IReadOnlyList<Participant> everyone)
    {
        foreach (var listener in everyone)
        {
            foreach (var remote in everyone.Where(p => p != listener))
            {
                await listener.ExpectConnectedToAsync(remote);
            }
        }
    }

    /// <summary>Whether dispose writes each participant's history to the test output. Defaults to true.</summary>
    public bool WriteHistory { get; set; } = true;

    public async ValueTask DisposeAsync()
    {
        if (WriteHistory)
        {
            WriteHistoryToOutput();
        }

        foreach (var participant in participants)
        {
            await participant.DisposeAsync();
        }
    }

    private void WriteHistoryToOutput()
    {
        output.WriteLine($"Test took {clock.Elapsed.TotalSeconds:F1} s.");
        foreach (var participant in participants)
        {
            output.WriteLine($"--- {participant.Name} ({participant.ToneHz} Hz) ---");
            output.WriteLine(participant.History);
        }
    }
}
