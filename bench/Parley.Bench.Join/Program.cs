using System.Globalization;
using Microsoft.Playwright;
using Parley.Bench.Join;
using Parley.Browser.Tests.Infrastructure;

// Join to hearing, Parley vs the in-page floor, alternating round by round. See bench/README.md.
// Usage: Parley.Bench.Join [--rounds 7] [--form-ms 1000] [--trace] [--chrome-trace DIR]
var rounds = 7;
var formMs = 1000;
var printTraces = false;
string? chromeTraces = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--form-ms": formMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--trace": printTraces = true; break;
        case "--chrome-trace": chromeTraces = Directory.CreateDirectory(args[++i]).FullName; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}"); return 2;
    }
}

if (rounds is < 1 or > 100 || formMs is < 0 or > 60_000)
{
    Console.Error.WriteLine("--rounds 1..100, --form-ms 0..60000");
    return 2;
}

const int AliceHz = 440;
const int BobHz = 660;
using var tones = await ToneFiles.CreateAsync([AliceHz, BobHz]);
var scripts = await PageScripts.LoadAsync();
await using var server = await ParleyServer.StartAsync();
using var playwright = await Playwright.CreateAsync();
var aliceBrowser = await ChromiumLaunch.LaunchAsync(playwright, tones.Tone(AliceHz));
var bobBrowser = await ChromiumLaunch.LaunchAsync(playwright, tones.Tone(BobHz));
var runs = new JoinRuns(server, aliceBrowser, bobBrowser, scripts, AliceHz, BobHz) { ChromeTraceDirectory = chromeTraces };

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
await aliceBrowser.CloseAsync();
await bobBrowser.CloseAsync();
return 0;

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
