// ParticipantMeters: one level meter per participant (self and remotes), each through its own speaking
// detector, reporting ~20 times a second. A remote stream yields samples only while an <audio> plays it.

import { LevelMeter, SpeakingDetector } from './audio.js';

export class ParticipantMeters {
  #meters = new Map();
  #enabled;
  #speaking;

  /**
   * @param {object} [o]
   * @param {boolean} [o.enabled=true] false: no meters at all (levels stay 0, nobody is detected speaking)
   * @param {object} [o.speaking] SpeakingDetector options
   */
  constructor({ enabled = true, speaking } = {}) {
    this.#enabled = enabled;
    this.#speaking = speaking;
  }

  /** The meter of participant `id`, if any. */
  get(id) { return this.#meters.get(id); }

  /**
   * Meters `stream` for participant `id`, replacing any meter it had. `onLevel(level, detected, changed)`
   * is called on every reading; `changed` is true when the speaking detector flipped.
   */
  start(id, stream, onLevel) {
    if (!this.#enabled || !stream) return;
    this.stop(id);
    try {
      this.#meters.set(id, new LevelMeter(stream, { detector: new SpeakingDetector(this.#speaking), onLevel }));
    } catch { /* no Web Audio here: levels stay 0, nobody is detected speaking */ }
  }

  stop(id) {
    this.#meters.get(id)?.stop();
    this.#meters.delete(id);
  }

  stopAll() {
    for (const meter of this.#meters.values()) meter.stop();
    this.#meters.clear();
  }
}
