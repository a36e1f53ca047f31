using Microsoft.Playwright;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// How a Chromium with a fake microphone is launched (docs browser-testing.md), shared by the browser tests and
/// the join benchmark (bench/Parley.Bench.Join links this file).
/// </summary>
public static class ChromiumLaunch
{
    /// <summary>Debian's Chromium, or <c>PARLEY_CHROMIUM</c>.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("PARLEY_CHROMIUM") ?? "/usr/bin/chromium";

    /// <summary>The flags of docs browser-testing.md, with <paramref name="microphoneFile"/> as the fake microphone.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string microphoneFile, string? executable = null, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = executable ?? ChromiumPath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + microphoneFile,
                // Mandatory on a loopback-only network: without it Chromium gathers no ICE candidates at all.
                "--allow-loopback-in-peer-connection",
                .. extraArgs,
            ],
        });
}
