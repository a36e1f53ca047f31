// When the microphone transmits: open mic, voice activation or push to talk. Pure logic (no DOM, no
// timers) except PushToTalkKey, which listens to a document's key events. The room applies the result
// as the mic track's `enabled`: while the gate is closed the others receive silence.

export const INPUT_MODES = Object.freeze(['open-mic', 'voice-activation', 'push-to-talk']);

/**
 * Voice activity from smoothed mic levels: opens at `threshold`, closes once the level stayed below
 * 70 % of it for `holdMs`. Automatic by default: the threshold follows the noise floor (the lowest
 * level of the last `windowMs`), three times above it, within [minThreshold, maxThreshold].
 */
export class VoiceActivityDetector {
  auto = true;
  manualThreshold = 0.02;
  active = false;
  #holdMs; #windowMs; #minT; #maxT;
  #lastLoud = -Infinity;
  #buckets = []; // [{start, min}] one per second

  constructor({ holdMs = 300, windowMs = 8000, minThreshold = 0.008, maxThreshold = 0.2, threshold } = {}) {
    this.#holdMs = holdMs;
    this.#windowMs = windowMs;
    this.#minT = minThreshold;
    this.#maxT = maxThreshold;
    if (typeof threshold === 'number') { this.auto = false; this.manualThreshold = threshold; }
  }

  /** The lowest level seen lately (the noise floor). */
  get floor() {
    return this.#buckets.length ? Math.min(...this.#buckets.map((b) => b.min)) : 0;
  }

  /** The level that opens the gate right now. */
  get threshold() {
    if (!this.auto) return this.manualThreshold;
    return Math.min(this.#maxT, Math.max(this.#minT, this.floor * 3));
  }

  /** @returns {boolean} true if `active` changed */
  update(level, now) {
    const before = this.active;
    const threshold = this.threshold; // judged against the floor before this sample
    const last = this.#buckets.at(-1);
    if (!last || now - last.start >= 1000) this.#buckets.push({ start: now, min: level });
    else last.min = Math.min(last.min, level);
    while (this.#buckets.length && now - this.#buckets[0].start > this.#windowMs) this.#buckets.shift();
    if (level >= threshold || (this.active && level >= threshold * 0.7)) this.#lastLoud = now;
    if (level >= threshold) this.active = true;
    else if (this.active && now - this.#lastLoud >= this.#holdMs) this.active = false;
    return this.active !== before;
  }

  reset() {
    this.active = false;
    this.#lastLoud = -Infinity;
    this.#buckets = [];
  }
}

/** Combines the input mode, the push-to-talk button and voice activity into one open/closed gate. */
export class TransmitGate {
  mode = 'open-mic';
  pressed = false;
  #releasedAt = -Infinity;
  #releaseMs;

  constructor({ mode = 'open-mic', releaseMs = 200, vad = new VoiceActivityDetector() } = {}) {
    this.setMode(mode);
    this.#releaseMs = releaseMs;
    this.vad = vad;
  }

  get releaseMs() { return this.#releaseMs; }

  setMode(mode) {
    if (!INPUT_MODES.includes(mode)) throw new RangeError(`Unknown input mode ${mode}; use ${INPUT_MODES.join(', ')}.`);
    this.mode = mode;
  }

  press() { this.pressed = true; }

  release(now) {
    if (this.pressed) this.#releasedAt = now;
    this.pressed = false;
  }

  /** Whether the microphone transmits at `now` (ms). */
  isOpen(now) {
    switch (this.mode) {
      case 'push-to-talk': return this.pressed || now - this.#releasedAt < this.#releaseMs;
      case 'voice-activation': return this.vad.active;
      default: return true;
    }
  }
}

/**
 * Holds push to talk while `code` (a KeyboardEvent.code, default 'Space') is held in `doc`, unless a
 * text field has focus. Releases when the window loses focus.
 */
export class PushToTalkKey {
  #onPress; #onRelease; #held = false; #listening = new AbortController();
  code;

  constructor(doc, { code = 'Space', onPress, onRelease }) {
    this.code = code;
    this.#onPress = onPress;
    this.#onRelease = onRelease;
    const options = { capture: true, signal: this.#listening.signal };
    doc.addEventListener('keydown', this.#down, options);
    doc.addEventListener('keyup', this.#up, options);
    doc.defaultView?.addEventListener('blur', this.#blur, { signal: this.#listening.signal });
  }

  #down = (ev) => {
    if (ev.code !== this.code || ev.ctrlKey || ev.metaKey || ev.altKey || isTextField(ev.target)) return;
    ev.preventDefault(); // Space would otherwise scroll or click the focused button
    if (this.#held) return;
    this.#held = true;
    this.#onPress();
  };

  #up = (ev) => {
    if (ev.code !== this.code || !this.#held) return;
    ev.preventDefault();
    this.#held = false;
    this.#onRelease();
  };

  #blur = () => {
    if (!this.#held) return;
    this.#held = false;
    this.#onRelease();
  };

  dispose() {
    this.#listening.abort();
    this.#blur();
  }
}

/** Whether typing in `target` must not trigger shortcuts. */
export function isTextField(target) {
  if (!target || typeof target.closest !== 'function') return false;
  const field = target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])');
  if (!field) return false;
  if (field.tagName !== 'INPUT') return true;
  return !['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file'].includes(field.type);
}
