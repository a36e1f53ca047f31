namespace Parley.Bench.Join;

/// <summary>The in-page scripts (scripts/*.js, next to the executable): tracer, detectors, Parley tap, floor.</summary>
public sealed class PageScripts
{
    private PageScripts(string trace, string hear, string hearWorklet, string parleyPage, string floor)
    {
        Trace = trace;
        Hear = hear;
        HearWorklet = hearWorklet;
        ParleyPage = parleyPage;
        Floor = floor;
    }

    /// <summary>Timestamps of every step (init script).</summary>
    public string Trace { get; }

    /// <summary>The tone detector, <c>__bench.listen</c> (init script).</summary>
    public string Hear { get; }

    /// <summary>The detector on the audio thread, an AudioWorklet module (loaded from a blob: URL).</summary>
    public string HearWorklet { get; }

    /// <summary>Taps Parley's playback of the first remote participant (init script).</summary>
    public string ParleyPage { get; }

    /// <summary>The floor, evaluated in a page with <c>{hz, constraints}</c>.</summary>
    public string Floor { get; }

    public static async Task<PageScripts> LoadAsync()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "scripts");
        async Task<string> Read(string name) => await File.ReadAllTextAsync(Path.Combine(dir, name));
        return new PageScripts(await Read("trace.js"), await Read("hear.js"), await Read("hear-worklet.js"), await Read("parley-page.js"), await Read("floor.js"));
    }
}
