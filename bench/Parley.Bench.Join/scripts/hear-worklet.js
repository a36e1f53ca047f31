// The detector on the audio rendering thread (AudioWorklet): the same test as hear.js's AnalyserNode reads (the last
// 2048 samples, Blackman window, loudest bin of the spectrum within ±1 bin of the expected tone, rms at or above
// -40 dBFS), applied to every render quantum as it is rendered, so a busy main thread does not delay it. Posts the
// wall-clock time (Date.now(), the clock of the marks, ms) of the first quantum that passes.
const SIZE = 2048;

class BenchHear extends AudioWorkletProcessor {
  constructor({ processorOptions }) {
    super();
    this.want = processorOptions.want;
    this.ring = new Float32Array(SIZE);
    this.at = 0;
    this.filled = 0;
    this.done = false;
    this.re = new Float32Array(SIZE);
    this.im = new Float32Array(SIZE);
    this.window = new Float32Array(SIZE);
    for (let i = 0; i < SIZE; i++) {
      const x = (2 * Math.PI * i) / SIZE; // Blackman, as the AnalyserNode (Web Audio §1.8.3)
      this.window[i] = 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
    }
  }

  process(inputs) {
    const input = inputs[0]?.[0];
    if (this.done || !input) return !this.done;
    for (let i = 0; i < input.length; i++) {
      this.ring[this.at] = input[i];
      this.at = (this.at + 1) % SIZE;
    }
    this.filled = Math.min(SIZE, this.filled + input.length);
    let sum = 0;
    for (let i = 0; i < SIZE; i++) sum += this.ring[i] * this.ring[i];
    if (10 * Math.log10(sum / SIZE || 1e-30) < -40) return true;
    if (Math.abs(this.loudestBin() - this.want) > 1) return true;
    this.done = true;
    this.port.postMessage({ at: Date.now() });
    return false;
  }

  /** The loudest bin from 2 up (as hear.js), by an in-place radix-2 FFT of the windowed ring in time order. */
  loudestBin() {
    const { re, im, ring, window } = this;
    for (let i = 0; i < SIZE; i++) {
      re[i] = ring[(this.at + i) % SIZE] * window[i];
      im[i] = 0;
    }
    for (let i = 1, j = 0; i < SIZE; i++) {
      let bit = SIZE >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) { [re[i], re[j]] = [re[j], re[i]]; }
    }
    for (let len = 2; len <= SIZE; len <<= 1) {
      const angle = (-2 * Math.PI) / len;
      for (let start = 0; start < SIZE; start += len) {
        for (let k = 0; k < len / 2; k++) {
          const wr = Math.cos(angle * k);
          const wi = Math.sin(angle * k);
          const a = start + k;
          const b = a + len / 2;
          const tr = re[b] * wr - im[b] * wi;
          const ti = re[b] * wi + im[b] * wr;
          re[b] = re[a] - tr; im[b] = im[a] - ti;
          re[a] += tr; im[a] += ti;
        }
      }
    }
    let best = 2;
    let bestPower = re[2] * re[2] + im[2] * im[2];
    for (let i = 3; i < SIZE / 2; i++) {
      const power = re[i] * re[i] + im[i] * im[i];
      if (power > bestPower) { best = i; bestPower = power; }
    }
    return best;
  }
}

registerProcessor('bench-hear', BenchHear);
