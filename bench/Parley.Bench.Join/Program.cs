using System.Globalization;
using Microsoft.Playwright;
using Parley.Bench.Join;
using Parley.Browser.Tests.Infrastructure;

// Join to hearing, Parley vs the in-page floor, alternating round by round. See bench/README.md.
// Usage: Parley.Bench.Join [--rounds 7] [--form-ms 1000] [--one-browser] [--trace] [--chrome-trace DIR] [--steady SECONDS]
var rounds = 7;
var steadySeconds = 0;
var oneBrowser = false;
var formMs = 1000;
var printTraces = false;
string? chromeTraces = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--form-ms": formMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--one-browser": oneBrowser = true; break;
        case "--steady": steadySeconds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--trace": printTraces = true; break;
        case "--chrome-trace": chromeTraces = Directory.CreateDirectory(args[++i]).FullName; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}"); return 2;
    }
}

if (rounds is < 1 or > 100 || formMs is < 0 or > 60_000 || steadySeconds is < 0 or > 600)
{
    Console.Error.WriteLine("--rounds 1..100, --form-ms 0..60000, --steady 1..600");
    return 2;
}

// Two browsers: each microphone plays its own tone. One browser (--one-browser, as the floor runs in one): Chromium
// has one fake microphone per browser, so both play Alice's tone; a page never plays its own microphone, so hearing
// the tone is still hearing the other.
const int AliceHz = 440;
var bobHz = oneBrowser ? AliceHz : 660;
using var tones = await ToneFiles.CreateAsync(oneBrowser ? [AliceHz] : [AliceHz, bobHz]);
var scripts = await PageScripts.LoadAsync();
await using var server = await ParleyServer.StartAsync();
using var playwright = await Playwright.CreateAsync();
var aliceBrowser = await ChromiumLaunch.LaunchAsync(playwright, tones.Tone(AliceHz));
var bobBrowser = oneBrowser ? aliceBrowser : await ChromiumLaunch.LaunchAsync(playwright, tones.Tone(bobHz));
if (steadySeconds > 0)
{
    // Not a join: the CPU of two pages sitting in a call (SteadyCall), round after round.
    for (var round = 1; round <= rounds; round++)
    {
        var percent = await SteadyCall.MeasureAsync(server, aliceBrowser, bobBrowser, steadySeconds);
        Console.WriteLine($"round {round}: {SteadyCall.Format(percent)}   load {LoadAverage()}");
    }

    await CloseBrowsersAsync();
    return 0;
}

var runs = new JoinRuns(server, aliceBrowser, bobBrowser, scripts, AliceHz, bobHz) { ChromeTraceDirectory = chromeTraces };

// A warm-up of each, not counted: first use of the pages, the JIT of the server, the browsers' caches.
await runs.ParleyAsync(0, formMs);
await runs.FloorAsync();

var parley = new List<RunResult>();
var floor = new List<RunResult>();
for (var round = 1; round <= rounds; round++)
{
    // Alternate which goes first, so neither always runs right after the other.
    if (round % 2 == 1)
    {
        parley.Add(await runs.ParleyAsync(round, formMs));
        floor.Add(await runs.FloorAsync());
    }
    else
    {
        floor.Add(await runs.FloorAsync());
        parley.Add(await runs.ParleyAsync(round, formMs));
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {round}: parley {parley[^1].Ms,7:F1} ms   floor {floor[^1].Ms,7:F1} ms   (audio thread: parley {parley[^1].AudioMs,7:F1} ms   floor {floor[^1].AudioMs,7:F1} ms)   load {LoadAverage()}"));
    if (printTraces)
    {
        Console.WriteLine("  parley (ms after Bob's click):");
        Console.WriteLine(parley[^1].Trace.Format(parley[^1].Start));
        Console.WriteLine("  floor (ms after createOffer):");
        Console.WriteLine(floor[^1].Trace.Format(floor[^1].Start));
    }
}

Console.WriteLine();
PrintMedians($"median over {rounds}:", r => r.Ms);
PrintMedians($"audio thread, median over {rounds}:", r => r.AudioMs);
Console.WriteLine();
PrintMedianSteps("Parley, ms after Bob's click (median of each step's first occurrence)", parley);
PrintMedianSteps("Floor, ms after createOffer", floor);
await CloseBrowsersAsync();
return 0;

async Task CloseBrowsersAsync()
{
    await aliceBrowser.CloseAsync();
    if (!oneBrowser)
    {
        await bobBrowser.CloseAsync();
    }
}

static void PrintMedianSteps(string title, List<RunResult> results)
{
    Console.WriteLine(title + ":");
    var firsts = results.Select(r => r.Trace.FirstTimes(r.Start)).ToList();
    var steps = firsts.SelectMany(f => f.Keys).Distinct(StringComparer.Ordinal)
        .Select(name => (name, times: firsts.Where(f => f.ContainsKey(name)).Select(f => f[name]).ToList()))
        .Select(s => (s.name, median: Median(s.times), s.times.Count))
        .OrderBy(s => s.median);
    foreach (var (name, median, count) in steps)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {median,8:F1} ms  {name}{(count < results.Count ? $" ({count} of {results.Count} runs)" : "")}"));
    }
}

void PrintMedians(string title, Func<RunResult, double> ms)
{
    var parleyMedian = Median(parley.Select(ms));
    var floorMedian = Median(floor.Select(ms));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{title} parley {parleyMedian:F1} ms (min {parley.Min(ms):F1}, max {parley.Max(ms):F1})   floor {floorMedian:F1} ms (min {floor.Min(ms):F1}, max {floor.Max(ms):F1})   ratio {parleyMedian / floorMedian:F2}x   load {LoadAverage()}"));
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "?";
    }
}
