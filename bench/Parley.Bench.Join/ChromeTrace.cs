using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.Bench.Join;

/// <summary>
/// Chromium's own trace of one page (the DevTools protocol's <c>Tracing</c> domain, as the Performance panel records),
/// written as a trace-event JSON file (<c>scripts/chrome-trace-summary.py</c> reads it).
/// </summary>
public sealed class ChromeTrace
{
    private readonly ICDPSession session;
    private readonly List<JsonElement> events = [];
    private readonly TaskCompletionSource complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChromeTrace(ICDPSession session)
    {
        this.session = session;
        session.Event("Tracing.dataCollected").OnEvent += (_, data) =>
        {
            if (data is { } value && value.TryGetProperty("value", out var batch))
            {
                lock (events)
                {
                    events.AddRange(batch.EnumerateArray().Select(e => e.Clone()));
                }
            }
        };
        session.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
    }

    public static async Task<ChromeTrace> StartAsync(IPage page, IEnumerable<string> categories)
    {
        var trace = new ChromeTrace(await page.Context.NewCDPSessionAsync(page));
        await trace.session.SendAsync("Tracing.start", new Dictionary<string, object>
        {
            ["transferMode"] = "ReportEvents",
            ["traceConfig"] = new Dictionary<string, object> { ["includedCategories"] = categories.ToArray() },
        });
        return trace;
    }

    public async Task StopAsync(string path)
    {
        await session.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await using var file = File.Create(path);
        lock (events)
        {
            JsonSerializer.Serialize(file, new { traceEvents = events });
        }

        await session.DetachAsync();
    }
}
