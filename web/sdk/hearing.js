// Hearing: how I hear each remote participant. Owns their playback (AudioPlayback) and applies my
// choices: per-participant volume (0..2) and local mute, remembered per display name (PeerPreferences),
// and deafen (everyone at 0). The gain actually applied is deafened || locallyMuted ? 0 : volume.

import { PeerPreferences, clampVolume } from './preferences.js';

export class Hearing {
  #playback; #preferences;

  /** @param {{playback: import('./playback.js').AudioPlayback | null, preferences?: PeerPreferences | false}} o */
  constructor({ playback, preferences }) {
    this.#playback = playback;
    this.#preferences = preferences === false ? new PeerPreferences(null) : preferences ?? new PeerPreferences();
  }

  get playback() { return this.#playback; }

  /** Applies the remembered choices to a new participant and creates its <audio> element. */
  setup(participant, deafened) {
    const saved = this.#preferences.get(participant.name);
    participant.volume = saved.volume;
    participant.locallyMuted = saved.muted;
    if (this.#playback) participant.audio = this.#playback.createElement();
    this.apply(participant, deafened);
  }

  play(participant, stream) {
    if (participant.audio) this.#playback.attach(participant.audio, stream);
  }

  release(participant) {
    if (!participant.audio) return;
    this.#playback.detach(participant.audio);
    participant.audio.remove?.();
  }

  /**
   * Changes (and remembers) my volume and/or local mute for `participant`.
   * @param {{volume?: number, muted?: boolean}} change
   * @returns {Array<'volume'|'locallyMuted'>} what changed
   */
  change(participant, change, deafened) {
    const wanted = { volume: participant.volume, muted: participant.locallyMuted, ...change };
    wanted.volume = clampVolume(wanted.volume);
    const saved = this.#preferences.set(participant.name, wanted);
    const changes = [];
    if (saved.volume !== participant.volume) { participant.volume = saved.volume; changes.push('volume'); }
    if (saved.muted !== participant.locallyMuted) { participant.locallyMuted = saved.muted; changes.push('locallyMuted'); }
    this.apply(participant, deafened);
    return changes;
  }

  apply(participant, deafened) {
    if (participant.audio) {
      this.#playback.setGain(participant.audio, deafened || participant.locallyMuted ? 0 : participant.volume);
    }
  }
}
