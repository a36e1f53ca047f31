// LocalVoice: what my microphone sends. Combines mute, deafen and the input mode (open mic, voice
// activation, push to talk) into one decision, applied as the mic track's `enabled`: while it is false
// the others receive silence. Events (CustomEvent): `change` {changes: ('muted'|'deafened'|'mode')[]},
// `transmitting` {transmitting}.
// While sending is not allowed (a listener, or muted by a moderator: setSendAllowed(false)) it stays muted:
// unmuting and undeafening cannot turn the track on.

import { TransmitGate, VoiceActivityDetector, PushToTalkKey } from './transmit.js';

export class LocalVoice extends EventTarget {
  #muted = false;
  #sendAllowed = true;
  #deafened = false;
  #mutedBeforeDeafen = false;
  #stream = null;
  #transmitting = true;
  #releaseTimer = 0;
  #key = null;
  #keyCode;
  #doc;
  #now;
  gate;

  /**
   * @param {object} [o]
   * @param {'open-mic'|'voice-activation'|'push-to-talk'} [o.inputMode]
   * @param {string|null} [o.pushToTalkKey] KeyboardEvent.code held to talk; null: no key binding
   * @param {number} [o.pushToTalkReleaseMs] keeps transmitting this long after release (200)
   * @param {{holdMs?: number, threshold?: number}} [o.voiceActivation] threshold set = manual
   */
  constructor({ inputMode = 'open-mic', pushToTalkKey = 'Space', pushToTalkReleaseMs = 200,
    voiceActivation = {}, document: doc = globalThis.document, now = () => performance.now() } = {}) {
    super();
    this.#doc = doc;
    this.#now = now;
    this.#keyCode = pushToTalkKey;
    this.gate = new TransmitGate({ releaseMs: pushToTalkReleaseMs, vad: new VoiceActivityDetector(voiceActivation) });
    this.setInputMode(inputMode);
  }

  get muted() { return this.#muted; }
  /** False while I may not send (listener, or muted by a moderator). */
  get sendAllowed() { return this.#sendAllowed; }
  get deafened() { return this.#deafened; }
  get inputMode() { return this.gate.mode; }
  /** Whether the others hear my microphone right now. */
  get transmitting() { return this.#transmitting; }
  get pushToTalkKey() { return this.#keyCode; }
  get voiceActivation() {
    const vad = this.gate.vad;
    return { auto: vad.auto, threshold: vad.threshold, active: vad.active };
  }

  /** The stream whose audio tracks are enabled/disabled (null: none yet). */
  attach(stream) {
    this.#stream = stream;
    this.#apply();
  }

  /**
   * Sending allowed or not. Not allowed mutes at once; allowed again changes nothing by itself (the user
   * unmutes). @returns {string[]} what changed
   */
  setSendAllowed(allowed) {
    this.#sendAllowed = Boolean(allowed);
    if (this.#sendAllowed || this.#muted) return [];
    this.#muted = true;
    return this.#changed(['muted']);
  }

  /** Unmuting while deafened also undeafens; ignored while sending is not allowed. @returns {string[]} what changed */
  setMuted(muted) {
    muted = Boolean(muted);
    if (!muted && !this.#sendAllowed) return [];
    const changes = [];
    if (!muted && this.#deafened) { this.#deafened = false; changes.push('deafened'); }
    if (muted !== this.#muted) { this.#muted = muted; changes.push('muted'); }
    return this.#changed(changes);
  }

  /** Deafening also mutes; undeafening restores the mute state from before. @returns {string[]} */
  setDeafened(deafened) {
    deafened = Boolean(deafened);
    if (deafened === this.#deafened) return [];
    const changes = ['deafened'];
    this.#deafened = deafened;
    if (deafened) this.#mutedBeforeDeafen = this.#muted;
    const muted = deafened || !this.#sendAllowed ? true : this.#mutedBeforeDeafen;
    if (muted !== this.#muted) { this.#muted = muted; changes.push('muted'); }
    return this.#changed(changes);
  }

  setInputMode(mode) {
    if (mode === this.gate.mode && (mode !== 'push-to-talk' || this.#key)) return [];
    this.gate.setMode(mode);
    this.gate.release(-Infinity);
    this.gate.vad.reset();
    this.#bindKey();
    return this.#changed(['mode']);
  }

  /** The key held to talk (KeyboardEvent.code, e.g. 'Space', 'KeyT'); null removes the binding. */
  setPushToTalkKey(code) {
    this.#keyCode = code ?? null;
    this.#bindKey();
  }

  /** Push to talk from a button or any other source: pressed while held. */
  setPushToTalk(pressed) {
    if (pressed) this.gate.press();
    else {
      const wasPressed = this.gate.pressed;
      this.gate.release(this.#now());
      if (wasPressed) {
        clearTimeout(this.#releaseTimer);
        this.#releaseTimer = setTimeout(() => this.#apply(), this.gate.releaseMs + 5);
      }
    }
    this.#apply();
  }

  /** { auto: true } follows the noise floor; { threshold } (RMS 0..1) sets it by hand. */
  setVoiceActivation({ auto, threshold } = {}) {
    const vad = this.gate.vad;
    if (typeof threshold === 'number' && Number.isFinite(threshold)) {
      vad.manualThreshold = Math.max(0, Math.min(1, threshold));
      vad.auto = false;
    }
    if (typeof auto === 'boolean') vad.auto = auto;
    this.#apply();
  }

  /** Feeds the microphone level (smoothed RMS, measured even while not transmitting). */
  level(level, now = this.#now()) {
    if (this.gate.mode !== 'voice-activation') return;
    if (this.gate.vad.update(level, now)) this.#apply();
  }

  /** Releases the key binding and timers. */
  dispose() {
    clearTimeout(this.#releaseTimer);
    this.#key?.dispose();
    this.#key = null;
  }

  #bindKey() {
    this.#key?.dispose();
    this.#key = null;
    if (this.gate.mode !== 'push-to-talk' || !this.#keyCode || !this.#doc?.addEventListener) return;
    this.#key = new PushToTalkKey(this.#doc, {
      code: this.#keyCode,
      onPress: () => this.setPushToTalk(true),
      onRelease: () => this.setPushToTalk(false),
    });
  }

  #changed(changes) {
    if (!changes.length) return changes;
    // `change` first: a room publishes {muted} before any speaking change that `transmitting` brings.
    this.dispatchEvent(new CustomEvent('change', { detail: { changes } }));
    this.#apply();
    return changes;
  }

  #apply() {
    const transmitting = !this.#muted && this.#sendAllowed && this.gate.isOpen(this.#now());
    for (const track of this.#stream?.getAudioTracks() ?? []) track.enabled = transmitting;
    if (transmitting === this.#transmitting) return;
    this.#transmitting = transmitting;
    this.dispatchEvent(new CustomEvent('transmitting', { detail: { transmitting } }));
  }
}
