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

  /**
   * Meters `participant` (~20 Hz `level` events through `emit`). For self the level feeds `self.level(level)` and a
   * flip of the speaking detector `self.speaking(detected)` (the published `speaking`); for a remote it sets
   * `audible`, what we actually hear (their `speaking` stays what they publish).
   */
  watch(participant, stream, { emit, self }) {
    this.start(participant.id, stream, (level, detected, changed) => {
      participant.level = level;
      if (participant.isSelf) self.level(level);
      emit('level', { participant, level });
      if (!changed) return;
      if (participant.isSelf) return self.speaking(detected);
      participant.audible = detected;
      emit('participant-updated', { participant, changes: ['audible'] });
    });
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
