using System.Globalization;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;

namespace Parley.Bench.Join;

/// <summary>
/// <c>--steady SECONDS</c>: what two pages in a call cost the machine. Alice and Bob join one room in their own
/// browsers (both speaking: their fake microphones play tones without a pause), and once both hear each other the CPU
/// time of every Chromium process (<c>/proc/PID/stat</c>, user + system) is read over SECONDS, summed by process type.
/// No detectors or tracer in these pages: only what the app itself does.
/// </summary>
public static class SteadyCall
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static async Task<SortedDictionary<string, double>> MeasureAsync(ParleyServer server, IBrowser alice, IBrowser bob, int seconds)
    {
        var room = $"steady-{Guid.NewGuid():N}"[..20];
        await using var alicePage = await JoinAsync(alice, server.PageFor(room, "Alice"));
        await using var bobPage = await JoinAsync(bob, server.PageFor(room, "Bob"));

        // Both connected (the other's entry says so), then a moment for the join's own work to end.
        foreach (var page in new[] { alicePage.Page, bobPage.Page })
        {
            await page.WaitForFunctionAsync("() => document.querySelectorAll('#participants .peer[data-state=\"connected\"]').length >= 1",
                null, new() { Timeout = 15_000 });
        }

        await Task.Delay(3000);
        var before = ChromiumTicks();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = ChromiumTicks();
        var percent = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (type, ticks) in after)
        {
            percent[type] = (ticks - before.GetValueOrDefault(type)) / TicksPerSecond / seconds * 100;
        }

        return percent;
    }

    public static string Format(SortedDictionary<string, double> percent) =>
        string.Create(CultureInfo.InvariantCulture, $"{percent.Values.Sum(),6:F1} % of a core: ")
        + string.Join(", ", percent.Where(p => p.Value >= 0.5).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:F1}")));

    private static async Task<OpenPage> JoinAsync(IBrowser browser, Uri url)
    {
        var context = await browser.NewContextAsync(new() { Permissions = ["microphone"] });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Join", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Leave", Exact = true }).WaitForAsync(new() { Timeout = 15_000 });
        return new OpenPage(context, page);
    }

    /// <summary>CPU ticks of every process of Debian's Chromium binary, by its <c>--type</c> (and utility sub-type).</summary>
    private static Dictionary<string, long> ChromiumTicks()
    {
        var ticks = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                // Chromium's child processes rewrite their command line into one string, arguments joined by spaces.
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', ' ');
                if (!commandLine[0].EndsWith("/chromium", StringComparison.Ordinal))
                {
                    continue;
                }

                var type = Argument(commandLine, "--type=") ?? "browser";
                if (Argument(commandLine, "--utility-sub-type=") is { } subType)
                {
                    type += ":" + subType.Split('.')[0];
                }

                // Fields after the command name's closing parenthesis: utime and stime are the 12th and 13th.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks[type] = ticks.GetValueOrDefault(type) + long.Parse(fields[11], CultureInfo.InvariantCulture)
                    + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                // Not a process, or it ended while being read.
            }
        }

        return ticks;
    }

    private static string? Argument(string[] commandLine, string prefix) =>
        commandLine.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
}
