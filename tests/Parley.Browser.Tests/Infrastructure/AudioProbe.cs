using System.Globalization;
using System.Text.Json;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>What one listener measured from one remote participant's playing &lt;audio&gt; element.</summary>
public sealed record ProbeResult
{
    /// <summary>False when the page had no playable audio for that participant; <see cref="Problem"/> says why.</summary>
    public bool Found { get; init; }

    public string? Problem { get; init; }

    /// <summary>Dominant frequency in Hz (parabolic interpolation around the loudest FFT bin).</summary>
    public double Frequency { get; init; }

    /// <summary>RMS level over the sampling window, in dBFS (-200 for digital silence).</summary>
    public double RmsDb { get; init; }

    /// <summary>Highest absolute sample, in dBFS.</summary>
    public double PeakDb { get; init; }

    public double SampleRate { get; init; }

    public int Frames { get; init; }

    // Diagnostics: the state of the element and track the page plays.
    public bool Paused { get; init; }

    public bool ElementMuted { get; init; }

    public string? TrackState { get; init; }

    public bool TrackMuted { get; init; }

    public string? ContextState { get; init; }

    public bool IsTone(double hertz, double toleranceHz, double minRmsDb) =>
        Found && Math.Abs(Frequency - hertz) <= toleranceHz && RmsDb >= minRmsDb;

    public override string ToString() => Found
        ? string.Create(CultureInfo.InvariantCulture,
            $"{Frequency:F1} Hz at {RmsDb:F1} dBFS rms / {PeakDb:F1} dBFS peak ({Frames} frames at {SampleRate} Hz; element paused={Paused} muted={ElementMuted}; track {TrackState} muted={TrackMuted}; context {ContextState})")
        : $"no audio: {Problem}";
}

/// <summary>
/// Measures what a participant hears. The page keeps each remote participant's stream on a (muted) &lt;audio&gt;
/// element inside its <c>[data-peer]</c> entry and plays it through Web Audio: source, then a GainNode (volume,
/// local mute, deafen), then the speakers. The probe asks the page's SDK for that GainNode
/// (<c>playbackOutput(audio)</c>) and taps its output, the exact signal sent to the speakers, with an
/// AnalyserNode (fftSize 16384, ~2.9 Hz bins at 48 kHz) for about a second (less when it waits for tones it then hears).
/// Several participants are probed at once.
/// </summary>
public static class AudioProbe
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Sampling window; the analyser first fills its 16384-sample buffer (~0.35 s).</summary>
    public const int SampleMilliseconds = 1000;

    /// <summary>
    /// Frames (0.1 s apart, each the analyser's last 0.37 s) a probe that waits to hear takes at least: 0.57 s of sound,
    /// dozens of periods of the lowest tone.
    /// </summary>
    public const int MinimumFramesToHear = 3;

    // Arguments travel as a JSON string (passing a JsonElement to EvaluateAsync throws) and the result comes
    // back as one too, so it deserialises with the same rules as everything else here.
    private const string Script = """
        async (argsJson) => {
          const { names, sampleMs, expect, minFrames } = JSON.parse(argsJson);
          // The page's own SDK module (same URL, same instance): it knows the node that feeds the speakers.
          const sdk = await import('/sdk/index.js');
          let ctx = null;
          const db = x => (x > 0 ? Math.max(-200, 20 * Math.log10(x)) : -200);
          const probes = names.map(name => {
            const peer = document.querySelector(`[data-peer][data-name="${CSS.escape(name)}"]`);
            if (!peer) return { name, result: { found: false, problem: `no [data-peer] named ${JSON.stringify(name)}` } };
            const el = peer.querySelector('audio');
            if (!el) return { name, result: { found: false, problem: 'no <audio> inside its [data-peer]' } };
            const stream = el.srcObject;
            if (!(stream instanceof MediaStream)) return { name, result: { found: false, problem: '<audio> has no MediaStream srcObject' } };
            const track = stream.getAudioTracks()[0];
            if (!track) return { name, result: { found: false, problem: 'the MediaStream has no audio track' } };
            const source = sdk.playbackOutput?.(el);
            if (!source) return { name, result: { found: false, problem: 'its <audio> is not played through Web Audio (no playbackOutput)' } };
            ctx = source.context;
            const analyser = ctx.createAnalyser();
            analyser.fftSize = 16384;
            analyser.smoothingTimeConstant = 0;
            const sink = ctx.createGain();
            sink.gain.value = 0;
            source.connect(analyser);
            analyser.connect(sink).connect(ctx.destination);
            return { name, el, track, source, analyser, sink,
                     power: new Float64Array(analyser.frequencyBinCount), spectrum: new Float32Array(analyser.frequencyBinCount),
                     samples: new Float32Array(analyser.fftSize), squares: 0, count: 0, peak: 0, frames: 0 };
          });
          const live = probes.filter(p => p.analyser);
          if (ctx && ctx.state !== 'running') {
            await Promise.race([ctx.resume(), new Promise(r => setTimeout(r, 1000))]);
          }
          if (live.length) {
            const fill = Math.ceil(1000 * 16384 / ctx.sampleRate);
            await new Promise(r => setTimeout(r, fill));
            const end = performance.now() + sampleMs;
            do {
              for (const p of live) {
                p.analyser.getFloatFrequencyData(p.spectrum);
                for (let i = 0; i < p.spectrum.length; i++) p.power[i] += Math.pow(10, p.spectrum[i] / 10);
                p.analyser.getFloatTimeDomainData(p.samples);
                for (const s of p.samples) { p.squares += s * s; p.peak = Math.max(p.peak, Math.abs(s)); }
                p.count += p.samples.length;
                p.frames++;
              }
              // Waiting to hear tones: once every one is heard, as ProbeResult.IsTone decides it, over enough frames,
              // the measurement is what the full window would confirm; a poll that does not hear them takes the window.
              if (expect && live.length === names.length && live[0].frames >= minFrames &&
                  live.every(p => heard(summary(p), expect[p.name]))) break;
              await new Promise(r => setTimeout(r, 100));
            } while (performance.now() < end);
          }
          const results = {};
          for (const p of probes) {
            if (!p.analyser) { results[p.name] = p.result; continue; }
            p.source.disconnect(p.analyser); p.analyser.disconnect(); p.sink.disconnect();
            results[p.name] = { ...summary(p),
              paused: p.el.paused, elementMuted: p.el.muted, trackState: p.track.readyState, trackMuted: p.track.muted,
              contextState: ctx.state };
          }
          return JSON.stringify(results);

          // The dominant frequency (the averaged power spectrum's peak, interpolated between bins) and the levels so far.
          function summary(p) {
            const binHz = ctx.sampleRate / p.analyser.fftSize;
            let best = 2;   // skip DC
            for (let i = 3; i < p.power.length - 1; i++) if (p.power[i] > p.power[best]) best = i;
            const [a, b, c] = [p.power[best - 1], p.power[best], p.power[best + 1]].map(x => 10 * Math.log10(x || 1e-30));
            const denominator = a - 2 * b + c;
            const offset = denominator === 0 ? 0 : Math.max(-0.5, Math.min(0.5, 0.5 * (a - c) / denominator));
            return { found: true, frequency: (best + offset) * binHz,
              rmsDb: db(Math.sqrt(p.squares / Math.max(1, p.count))), peakDb: db(p.peak),
              sampleRate: ctx.sampleRate, frames: p.frames };
          }

          function heard(result, tone) {
            return Boolean(tone) && Math.abs(result.frequency - tone.hz) <= tone.toleranceHz && result.rmsDb >= tone.minRmsDb;
          }
        }
        """;

    public static Task<IReadOnlyDictionary<string, ProbeResult>> MeasureAsync(IPage page, params string[] remoteNames) =>
        MeasureAsync(page, remoteNames, expected: null);

    /// <summary>
    /// Measures as <see cref="MeasureAsync(IPage, string[])"/>, but returns as soon as every remote is heard at its
    /// <paramref name="expected"/> tone (<see cref="ProbeResult.IsTone"/>'s rule, over at least
    /// <see cref="MinimumFramesToHear"/> frames) instead of sampling the whole window: for polls that wait to hear.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, ProbeResult>> MeasureAsync(IPage page, string[] remoteNames,
        IReadOnlyDictionary<string, ExpectedTone>? expected)
    {
        var arguments = JsonSerializer.Serialize(new { names = remoteNames, sampleMs = SampleMilliseconds, expect = expected, minFrames = MinimumFramesToHear }, Json);
        var json = await page.EvaluateAsync<string>(Script, arguments);
        return JsonSerializer.Deserialize<Dictionary<string, ProbeResult>>(json, Json)
            ?? throw new InvalidOperationException("The audio probe returned nothing.");
    }
}

/// <summary>A tone a probe waits to hear: within <see cref="ToleranceHz"/> of <see cref="Hz"/>, at <see cref="MinRmsDb"/> or louder.</summary>
public sealed record ExpectedTone(double Hz, double ToleranceHz, double MinRmsDb);
