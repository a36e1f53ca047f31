// Hearing: how I hear each remote participant. Owns their playback (AudioPlayback) and applies my
// choices: per-participant volume (0..2) and local mute, remembered per display name (PeerPreferences),
// and deafen (everyone at 0). The gain actually applied is deafened || locallyMuted ? 0 : volume, and 0 while
// positional voice says I do not hear them (`route` 'none': beyond the audible distance, or whispering to others).
//
// Above all of that, a hard rule (docs/access.md): someone who may not publish (a listener) or whom a moderator
// muted is never played, whatever my volume or local mute say. Their received track is disabled (a disabled
// track renders silence in any sink, so an app playing `participant.stream` itself hears nothing either), their
// element is detached from the stream and its gain is 0. Only the server lifting it plays them again.
// Likewise, while my own token does not let me subscribe (permissions.canSubscribe false), I play nobody.

import { PeerPreferences, clampVolume } from './preferences.js';

export class Hearing {
  #playback; #preferences;
  #subscribing = true;

  /** @param {{playback: import('./playback.js').AudioPlayback | null, preferences?: PeerPreferences | false}} o */
  constructor({ playback, preferences }) {
    this.#playback = playback;
    this.#preferences = preferences === false ? new PeerPreferences(null) : preferences ?? new PeerPreferences();
  }

  get playback() { return this.#playback; }

  /** Whether I may hear anyone (my own permissions.canSubscribe); true when that changed (re-apply everyone). */
  setSubscribing(subscribing) {
    const changed = this.#subscribing !== Boolean(subscribing);
    this.#subscribing = Boolean(subscribing);
    return changed;
  }

  /** Applies the remembered choices to a new participant and creates its <audio> element. */
  setup(participant, deafened) {
    const saved = this.#preferences.get(participant.name);
    participant.volume = saved.volume;
    participant.locallyMuted = saved.muted;
    if (this.#playback) participant.audio = this.#playback.createElement();
    this.apply(participant, deafened);
  }

  /** Their audio arrived (`participant.stream`): played if they may be heard. */
  play(participant, stream, deafened) {
    participant.stream = stream;
    this.apply(participant, deafened);
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

  /** Applies everything to `participant`'s playback: permission to be heard first, then deafen, mute, volume. */
  apply(participant, deafened) {
    const allowed = participant.mayBeHeard && this.#subscribing;
    for (const track of participant.stream?.getAudioTracks?.() ?? []) {
      if (track.enabled !== allowed) track.enabled = allowed;
    }
    const el = participant.audio;
    if (!el) return;
    if (!allowed) {
      this.#playback.setGain(el, 0);
      if (el.srcObject) this.#playback.detach(el);
      return;
    }
    if (participant.stream && el.srcObject !== participant.stream) this.#playback.attach(el, participant.stream);
    this.#playback.setGain(el, deafened || participant.locallyMuted || participant.route === 'none' ? 0 : participant.volume);
  }
}
