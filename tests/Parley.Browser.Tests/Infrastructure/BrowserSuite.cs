using System.Diagnostics;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// Shared by every browser test: the tone files, one Parley server, and one Chromium process per test
/// participant (a Chromium process has one fake microphone, so each tone needs its own). Tests open a fresh
/// BrowserContext per participant and a fresh room, so nothing leaks between them.
/// </summary>
public sealed class BrowserSuite(IMessageSink diagnostics) : IAsyncLifetime
{
    public const int AliceHz = 440;
    public const int BobHz = 660;
    public const int CarolHz = 880;

    /// <summary>How long Playwright's web-first assertions keep retrying.</summary>
    public static readonly TimeSpan ExpectTimeout = TimeSpan.FromSeconds(15);

    private IPlaywright? playwright;
    private ToneFiles? tones;
    private ParleyServer? server;
    private readonly Dictionary<int, IBrowser> browsers = [];

    public ParleyServer Server => server ?? throw new InvalidOperationException("Not initialised.");

    public ToneFiles Tones => tones ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Dave's microphone: silent for <see cref="DaveSilentSeconds"/>, then this tone for as long, looped.</summary>
    public const int DaveHz = 550;

    public const int DaveSilentSeconds = 5;

    private Task<IBrowser>? dave;

    private Task<ParleyServer>? tokenServer;

    /// <summary>
    /// A second server, in token mode (<c>Auth:Keys</c> holds <see cref="AccessTokens.ApiKey"/>), started on first
    /// use; the suite's own <see cref="Server"/> stays in open mode for the tests that join by room and name.
    /// </summary>
    public Task<ParleyServer> TokenServerAsync()
    {
        lock (browsers)
        {
            return tokenServer ??= ParleyServer.StartAsync(AccessTokens.ServerSetting);
        }
    }

    /// <summary>The Chromium whose fake microphone plays <paramref name="hertz"/>.</summary>
    public IBrowser BrowserFor(int hertz) => hertz == DaveHz && dave is { IsCompletedSuccessfully: true }
        ? dave.Result
        : browsers[hertz];

    /// <summary>A fourth Chromium, launched on first use (only voice activation needs it): silence, then a tone.</summary>
    public Task<IBrowser> DaveBrowserAsync()
    {
        lock (browsers)
        {
            return dave ??= LaunchDaveAsync();
        }
    }

    private async Task<IBrowser> LaunchDaveAsync()
    {
        var file = await Tones.SilenceThenToneAsync(DaveHz, DaveSilentSeconds, DaveSilentSeconds);
        return await LaunchAsync(playwright ?? throw new InvalidOperationException("Not initialised."), file);
    }

    public async Task InitializeAsync()
    {
        var clock = Stopwatch.StartNew();
        SetDefaultExpectTimeout((float)ExpectTimeout.TotalMilliseconds);
        int[] frequencies = [AliceHz, BobHz, CarolHz];
        tones = await ToneFiles.CreateAsync(frequencies);
        var serverStart = ParleyServer.StartAsync();
        playwright = await Playwright.CreateAsync();
        var launches = frequencies.Select(hz => LaunchAsync(playwright, tones.Tone(hz))).ToArray();
        var launched = await Task.WhenAll(launches);
        for (var i = 0; i < frequencies.Length; i++)
        {
            browsers[frequencies[i]] = launched[i];
        }

        server = await serverStart;
        diagnostics.OnMessage(new DiagnosticMessage(
            $"Browser suite ready in {clock.Elapsed.TotalSeconds:F1} s: server {server.BaseAddress}, Chromium {launched[0].Version} x{launched.Length}"));
    }

    /// <summary>Debian's Chromium, or <c>PARLEY_CHROMIUM</c>.</summary>
    public static string ChromiumPath => ChromiumLaunch.ChromiumPath;

    /// <summary>
    /// Another Chromium whose fake microphone plays <paramref name="hertz"/>, running in <paramref name="network"/>
    /// and using <paramref name="server"/> over plain http on <see cref="SecondNetwork.HereAddress"/>, which it is
    /// told to treat as a secure origin (getUserMedia needs one; loopback is one by itself). The caller closes it.
    /// </summary>
    public Task<IBrowser> LaunchInAsync(SecondNetwork network, int hertz, ParleyServer server) =>
        LaunchAsync(playwright ?? throw new InvalidOperationException("Not initialised."), Tones.Tone(hertz), network.ChromiumWrapper,
            "--unsafely-treat-insecure-origin-as-secure=" + new Uri(server.PageFor("", "", SecondNetwork.HereAddress), "/").GetLeftPart(UriPartial.Authority));

    /// <summary>Another Chromium whose fake microphone plays <paramref name="hertz"/>, with extra flags. The caller closes it.</summary>
    public Task<IBrowser> LaunchWithAsync(int hertz, params string[] extraArgs) =>
        LaunchAsync(playwright ?? throw new InvalidOperationException("Not initialised."), Tones.Tone(hertz), null, extraArgs);

    /// <summary>Another Chromium whose fake microphone plays <paramref name="hertz"/>, which the test can crash. The caller disposes it.</summary>
    public Task<CrashableBrowser> LaunchCrashableAsync(int hertz) =>
        CrashableBrowser.LaunchAsync(executable => LaunchAsync(playwright ?? throw new InvalidOperationException("Not initialised."), Tones.Tone(hertz), executable));

    /// <summary>The flags of docs browser-testing.md, with <paramref name="microphoneFile"/> as the fake microphone.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string microphoneFile, string? executable = null, params string[] extraArgs) =>
        ChromiumLaunch.LaunchAsync(playwright, microphoneFile, executable, extraArgs);

    public async Task DisposeAsync()
    {
        var clock = Stopwatch.StartNew();
        foreach (var browser in browsers.Values)
        {
            await browser.CloseAsync();
        }

        if (dave is { IsCompletedSuccessfully: true })
        {
            await dave.Result.CloseAsync();
        }

        playwright?.Dispose();
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        if (tokenServer is { IsCompletedSuccessfully: true })
        {
            await tokenServer.Result.DisposeAsync();
        }

        tones?.Dispose();
        diagnostics.OnMessage(new DiagnosticMessage($"Browser suite torn down in {clock.Elapsed.TotalSeconds:F1} s"));
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserTestGroup : ICollectionFixture<BrowserSuite>
{
    public const string Name = "Browser";
}
