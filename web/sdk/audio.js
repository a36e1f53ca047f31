// Audio: microphone capture, level metering and speaking detection (remote playback: playback.js).
// Nothing here touches the DOM at import time, so the pure parts (SpeakingDetector, rms) run in node.

import { ParleyError } from './errors.js';

/** Constraints for voice: the browser's echo cancellation, noise suppression and gain control, mono. */
export const VOICE_CONSTRAINTS = Object.freeze({
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
  channelCount: 1,
});

/**
 * Asks for the microphone. Rejects with a ParleyError whose code is one of
 * microphone-denied | microphone-not-found | microphone-busy | microphone-unavailable | microphone-error.
 * @param {MediaTrackConstraints} [constraints] merged over VOICE_CONSTRAINTS (e.g. { deviceId })
 * @returns {Promise<MediaStream>}
 */
export async function getMicrophone(constraints = {}, mediaDevices = globalThis.navigator?.mediaDevices) {
  if (!mediaDevices?.getUserMedia) {
    throw new ParleyError('microphone-unavailable',
      'This browser cannot use a microphone on this page (it needs https or localhost).');
  }
  try {
    return await mediaDevices.getUserMedia({ audio: { ...VOICE_CONSTRAINTS, ...constraints }, video: false });
  } catch (err) {
    throw microphoneError(err);
  }
}

/**
 * Whether the page may open the microphone without asking (the permission is already `granted`): only then is it
 * opened ahead of a click (room.prewarm()). False where the Permissions API cannot tell.
 */
export async function microphoneAllowed(permissions = globalThis.navigator?.permissions) {
  try {
    return (await permissions?.query({ name: 'microphone' }))?.state === 'granted';
  } catch {
    return false;
  }
}

/** Maps a getUserMedia DOMException to a ParleyError with a stable code. */
export function microphoneError(err) {
  switch (err?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return new ParleyError('microphone-denied',
        'Microphone access was denied. Allow this site to use your microphone, then try again.', { cause: err });
    case 'NotFoundError':
    case 'OverconstrainedError':
      return new ParleyError('microphone-not-found',
        'No microphone was found. Connect a microphone or headset, then try again.', { cause: err });
    case 'NotReadableError':
    case 'AbortError':
      return new ParleyError('microphone-busy',
        'Your microphone could not be started. It may be in use by another application.', { cause: err });
    default:
      return new ParleyError('microphone-error',
        `The microphone could not be opened${err?.message ? `: ${err.message}` : '.'}`, { cause: err });
  }
}

/** Root mean square of a block of samples in [-1, 1]. */
export function rms(samples) {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  return samples.length ? Math.sqrt(sum / samples.length) : 0;
}

/**
 * Speaking detection with hysteresis and hold: starts when the level reaches `on`, and stops only
 * after the level has stayed below `off` for `holdMs`. Pure: feed it levels and timestamps.
 */
export class SpeakingDetector {
  #on; #off; #holdMs; #lastLoud = -Infinity;
  speaking = false;

  constructor({ on = 0.015, off = 0.008, holdMs = 300 } = {}) {
    this.#on = on;
    this.#off = Math.min(off, on);
    this.#holdMs = holdMs;
  }

  /**
   * @param {number} level smoothed RMS level, 0..1
   * @param {number} now time in ms
   * @returns {boolean} true if `speaking` changed
   */
  update(level, now) {
    const before = this.speaking;
    if (level >= this.#on || (this.speaking && level >= this.#off)) this.#lastLoud = now;
    if (level >= this.#on) this.speaking = true;
    else if (this.speaking && now - this.#lastLoud >= this.#holdMs) this.speaking = false;
    return this.speaking !== before;
  }

  reset() {
    this.speaking = false;
    this.#lastLoud = -Infinity;
  }
}

let sharedContext = null;

/** One AudioContext shared by all meters of the page, created on first use. */
export function getAudioContext() {
  if (!sharedContext || sharedContext.state === 'closed') {
    const Ctor = globalThis.AudioContext ?? globalThis.webkitAudioContext;
    if (!Ctor) return null;
    sharedContext = new Ctor();
  }
  if (sharedContext.state === 'suspended') sharedContext.resume().catch(() => {});
  return sharedContext;
}

/**
 * Measures the level of a MediaStream: smoothed RMS (instant attack, exponential decay), sampled every
 * `intervalMs`, optionally driving a SpeakingDetector. Calls `onLevel(level, speaking, changed)`.
 * For remote streams, Chromium yields samples only while the stream also plays in an <audio> element.
 */
export class LevelMeter {
  #source; #analyser; #buffer; #timer; #decay; #detector;
  level = 0;

  constructor(stream, { audioContext = getAudioContext(), intervalMs = 50, decay = 0.85,
    detector = new SpeakingDetector(), onLevel = () => {} } = {}) {
    this.#decay = decay;
    this.#detector = detector;
    if (!audioContext) return;
    this.#source = audioContext.createMediaStreamSource(stream);
    this.#analyser = audioContext.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#source.connect(this.#analyser);
    this.#buffer = new Float32Array(this.#analyser.fftSize);
    this.#timer = setInterval(() => {
      this.#analyser.getFloatTimeDomainData(this.#buffer);
      this.level = Math.max(rms(this.#buffer), this.level * this.#decay);
      const changed = this.#detector ? this.#detector.update(this.level, performance.now()) : false;
      onLevel(this.level, this.speaking, changed);
    }, intervalMs);
  }

  get speaking() { return this.#detector?.speaking ?? false; }

  /** Stops metering; safe to call twice. */
  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
    try { this.#source?.disconnect(); } catch { /* already */ }
    this.#source = null;
    this.#detector?.reset();
    this.level = 0;
  }
}

/** A stream with an enabled copy of `stream`'s audio track (null where tracks cannot be cloned). */
export function cloneStream(stream) {
  const Ctor = globalThis.MediaStream;
  const track = stream?.getAudioTracks()[0];
  if (!Ctor || typeof track?.clone !== 'function') return null;
  const copy = track.clone();
  copy.enabled = true;
  return new Ctor([copy]);
}

/** Stops every track of `stream`. */
export function stopTracks(stream) {
  for (const track of stream.getTracks()) track.stop();
}
