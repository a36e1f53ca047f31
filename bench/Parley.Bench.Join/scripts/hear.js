// The detector, the same for Parley's page and for the floor: an AnalyserNode (fftSize 2048: 43 ms at 48 kHz,
// 23 Hz bins) on what plays, read every 5 ms. A tone is heard at the first read whose loudest bin is the expected
// frequency's (±1 bin) with the window's rms at or above -40 dBFS (the browser tests' AudibleDb).
// __bench.listen(node, hz, label) taps an AudioNode; the time goes to __bench.heard[label].
// A second detector runs the same test on the audio rendering thread (hear-worklet.js, whose source the benchmark
// puts in window.__benchHearWorklet): what is rendered, not when a busy main thread gets to read it. Its time goes to
// __bench.heardAudio[label]. Its module is loaded as each AudioContext is made, so it is ready when a stream arrives.
(() => {
  const bench = window.__bench;
  bench.heardAudio = {};
  const worklets = new WeakMap();
  const moduleUrl = URL.createObjectURL(new Blob([window.__benchHearWorklet], { type: 'text/javascript' }));
  const NativeContext = window.AudioContext;
  window.AudioContext = class extends NativeContext {
    constructor(...args) {
      super(...args);
      const loading = this.audioWorklet.addModule(moduleUrl);
      loading.then(() => bench.mark('audio-thread detector loaded'), () => {});
      worklets.set(this, loading);
    }
  };
  const listenOnAudioThread = async (node, want, label) => {
    const ctx = node.context;
    await (worklets.get(ctx) ?? ctx.audioWorklet.addModule(moduleUrl));
    const detector = new AudioWorkletNode(ctx, 'bench-hear', { processorOptions: { want } });
    const sink = ctx.createGain();
    sink.gain.value = 0;
    detector.port.onmessage = ({ data }) => {
      bench.heardAudio[label] = data.at;
      bench.mark(`heard ${label} (audio thread)`, data.at);
      try { node.disconnect(detector); detector.disconnect(); sink.disconnect(); } catch { /* gone */ }
    };
    node.connect(detector);
    detector.connect(sink).connect(ctx.destination);
  };
  bench.listen = (node, hz, label) => {
    const ctx = node.context;
    listenOnAudioThread(node, Math.round(hz / (ctx.sampleRate / 2048)), label)
      .catch((err) => bench.mark(`audio-thread detector failed: ${err?.message ?? err}`));
    const analyser = ctx.createAnalyser();
    analyser.fftSize = 2048;
    analyser.smoothingTimeConstant = 0;
    const sink = ctx.createGain();
    sink.gain.value = 0;
    node.connect(analyser);
    analyser.connect(sink).connect(ctx.destination);
    if (ctx.state !== 'running') ctx.resume().catch(() => {});
    const spectrum = new Float32Array(analyser.frequencyBinCount);
    const samples = new Float32Array(analyser.fftSize);
    const want = Math.round(hz / (ctx.sampleRate / analyser.fftSize));
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const rmsDb = 10 * Math.log10(sum / samples.length || 1e-30);
      if (rmsDb < -40) return;
      analyser.getFloatFrequencyData(spectrum);
      let best = 2;
      for (let i = 3; i < spectrum.length; i++) if (spectrum[i] > spectrum[best]) best = i;
      if (Math.abs(best - want) > 1) return;
      clearInterval(timer);
      bench.heard[label] = bench.now();
      bench.mark(`heard ${label}`);
      try { node.disconnect(analyser); analyser.disconnect(); sink.disconnect(); } catch { /* gone */ }
    }, 5);
  };
})();
