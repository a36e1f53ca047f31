// Remote playback. Each remote participant has a hidden <audio autoplay> element (Chromium hands remote
// WebRTC audio to Web Audio only while an element plays the stream) which is muted, and the sound
// actually heard goes through Web Audio:  MediaStreamSource -> [PannerNode] -> GainNode -> destination.
// The PannerNode is there only while the voice is placed in space (positional voice, setSpatial(); panner.js);
// the context's AudioListener is me (setListener()).
// The GainNode is the per-participant volume (0..2, so above 100 %), local mute and deafen in one;
// `playbackOutput(element)` returns it, so anyone can measure exactly what is played.
// Without Web Audio, the element plays unmuted and `volume` (capped at 1) stands in for the gain.

import { getAudioContext } from './audio.js';
import { placePanner, placeListener } from './panner.js';

const outputs = new WeakMap();

/** The GainNode whose output is what the page plays for `element` (null when not played through Web Audio). */
export function playbackOutput(element) {
  return outputs.get(element)?.gain ?? null;
}

/**
 * Plays remote streams, one <audio autoplay> element per remote participant. When the browser blocks
 * play() or keeps the AudioContext suspended (autoplay policy), retries on the next click or keydown,
 * and reports `blocked` / `unblocked` events so the app can tell the user.
 */
export class AudioPlayback extends EventTarget {
  #blocked = new Set();
  #armed = false;
  #doc;
  #context;
  #gains = new WeakMap();
  #spatial = new WeakMap();
  #sinkId = '';

  /**
   * @param {Document} [doc]
   * @param {{audioContext?: () => AudioContext | null}} [options] where to play; null: plain elements
   */
  constructor(doc = globalThis.document, { audioContext = getAudioContext } = {}) {
    super();
    this.#doc = doc;
    this.#context = audioContext;
  }

  get blocked() { return this.#blocked.size > 0; }

  /**
   * Makes the audio output ready ahead of the first stream (room.prewarm(), and the Join click): opening the
   * AudioContext starts the audio device, tens of ms on the main thread that would otherwise fall when the first
   * remote stream arrives (docs/benchmarks.md, "Join to hearing"). Made outside a user gesture it stays suspended
   * until one (the Join click) lets it resume, as every later use asks it to.
   */
  warm() {
    try { this.#context?.(); } catch { /* no Web Audio: plain elements */ }
  }

  /** The speaker in use ('' = default). */
  get sinkId() { return this.#sinkId; }

  /** A hidden <audio autoplay> element, not yet attached to any stream. */
  createElement() {
    const el = this.#doc.createElement('audio');
    el.autoplay = true;
    el.hidden = true;
    el.setAttribute('playsinline', '');
    return el;
  }

  /** Attaches `stream` to `el` and starts playing it. */
  attach(el, stream) {
    if (el.srcObject !== stream) el.srcObject = stream;
    this.#route(el, stream);
    this.#play(el);
  }

  /** Sets how loud `el` plays: 0 silent, 1 as received, up to 2 (200 %). Remembered across attach(). */
  setGain(el, gain) {
    const value = Math.max(0, Math.min(2, Number(gain) || 0));
    this.#gains.set(el, value);
    const route = outputs.get(el);
    if (route) route.gain.gain.setTargetAtTime(value, route.gain.context?.currentTime ?? 0, 0.01);
    else el.volume = Math.min(1, value);
  }

  getGain(el) { return this.#gains.get(el) ?? 1; }

  /**
   * Places `el`'s voice in space ({settings: pannerSettings(), position, orientation}) or not (null: straight to
   * its gain). Remembered across attach().
   */
  setSpatial(el, spatial) {
    this.#spatial.set(el, spatial ?? null);
    const route = outputs.get(el);
    if (route) spatialize(route, spatial ?? null);
  }

  /** Where I am and which way I face, for every placed voice (the context's AudioListener). */
  setListener(position, orientation) {
    let ctx = null;
    try { ctx = this.#context?.() ?? null; } catch { /* no Web Audio */ }
    placeListener(ctx?.listener, position, orientation);
  }

  /** Plays everything on the speaker `sinkId` ('' = default) where the browser can (setSinkId). */
  async setSinkId(sinkId) {
    this.#sinkId = sinkId ?? '';
    const ctx = this.#context?.();
    if (ctx?.setSinkId) await ctx.setSinkId(this.#sinkId);
    else throw new Error('This browser cannot choose the speaker.');
  }

  /** Stops playback of `el`; safe to call twice. */
  detach(el) {
    this.#forget(el);
    this.#unroute(el);
    try { el.pause(); } catch { /* not playing */ }
    el.srcObject = null;
  }

  #route(el, stream) {
    if (outputs.get(el)?.stream === stream) return;
    this.#unroute(el);
    let ctx = null;
    try { ctx = this.#context?.() ?? null; } catch { /* no Web Audio */ }
    if (!ctx?.createMediaStreamSource || !stream?.getAudioTracks) {
      el.muted = false;
      el.volume = Math.min(1, this.getGain(el));
      return;
    }
    try {
      const source = ctx.createMediaStreamSource(stream);
      const gain = ctx.createGain();
      gain.gain.value = this.getGain(el);
      const route = { stream, source, gain, panner: null, head: null };
      spatialize(route, this.#spatial.get(el) ?? null);
      gain.connect(ctx.destination);
      outputs.set(el, route);
      el.muted = true; // heard through Web Audio only; the element keeps the stream flowing
      this.#watchContext(ctx);
    } catch {
      el.muted = false;
    }
  }

  #unroute(el) {
    const route = outputs.get(el);
    if (!route) return;
    outputs.delete(el);
    try { route.source.disconnect(); route.gain.disconnect(); route.panner?.disconnect(); } catch { /* already */ }
  }

  #watchContext(ctx) {
    if (ctx.__parleyWatched) return;
    ctx.__parleyWatched = true;
    const check = () => {
      if (ctx.state === 'running') this.#forget(ctx);
      else if (ctx.state === 'suspended') this.#block(ctx);
    };
    ctx.addEventListener?.('statechange', check);
    // A context that starts suspended usually resumes at once when the page may play audio.
    setTimeout(check, 500);
  }

  #play(el) {
    const result = el.play();
    if (!result?.catch) return;
    result.then(() => this.#forget(el), (err) => {
      if (err?.name === 'NotAllowedError') this.#block(el); // AbortError: a newer srcObject replaced it
    });
  }

  #block(item) {
    if (this.#blocked.has(item)) return;
    const first = this.#blocked.size === 0;
    this.#blocked.add(item);
    this.#arm();
    if (first) this.dispatchEvent(new Event('blocked'));
  }

  #forget(item) {
    if (this.#blocked.delete(item) && this.#blocked.size === 0) this.dispatchEvent(new Event('unblocked'));
  }

  #arm() {
    if (this.#armed || !this.#doc) return;
    this.#armed = true;
    const retry = () => {
      this.#doc.removeEventListener('click', retry, true);
      this.#doc.removeEventListener('keydown', retry, true);
      this.#armed = false;
      for (const item of [...this.#blocked]) {
        if (typeof item.resume === 'function') item.resume().catch(() => {});
        else if (item.srcObject) this.#play(item);
        else this.#forget(item);
      }
    };
    this.#doc.addEventListener('click', retry, true);
    this.#doc.addEventListener('keydown', retry, true);
  }
}

/** Routes the source through a PannerNode placed as `spatial` says, or straight to the gain (null). */
function spatialize(route, spatial) {
  const ctx = route.gain.context;
  if (spatial && !route.panner && typeof ctx?.createPanner === 'function') {
    route.panner = ctx.createPanner();
    route.panner.connect(route.gain);
  }
  if (spatial && route.panner) placePanner(route.panner, spatial);
  const head = spatial && route.panner ? route.panner : route.gain;
  if (route.head === head) return;
  if (route.head) route.source.disconnect(route.head);
  route.source.connect(head);
  route.head = head;
}
