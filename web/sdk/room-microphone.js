// RoomMicrophone: the microphone of a call. Opens it for a join (or takes the caller's stream), switches it
// mid-call without renegotiation (replaceTrack on every connection), falls back to the default microphone
// when the one in use ends (unplugged), and keeps the enabled copy the level meter listens to, so voice
// activation hears me while nothing is sent. A listener has none (stream null).

import { ParleyError } from './errors.js';
import { getMicrophone, cloneStream, stopTracks } from './audio.js';

export class RoomMicrophone {
  #options; #voice; #host;
  #stream = null;
  #owned = false;
  #meterStream = null;
  #constraints = {};
  /** Bumped by release(): a switch or fallback under way for a microphone that is gone is dropped. */
  #generation = 0;
  /** {key, opening}: the microphone opened ahead of a join (prewarm()), for the constraints `key`. */
  #spare = null;

  /**
   * @param {object} o
   * @param {import('./parley').ParleyRoomOptions} o.options getMicrophone, audio constraints
   * @param {import('./local-voice.js').LocalVoice} o.voice enables/disables the track
   * @param {{attach(track: MediaStreamTrack|null, stream: MediaStream): Promise<unknown>,
   *   metered(stream: MediaStream, meterStream: MediaStream): void, error(error: ParleyError): void}} o.host
   *   attach: put the track on every connection; metered: a new microphone is in use; error: tell the user
   */
  constructor({ options, voice, host }) {
    this.#options = options;
    this.#voice = voice;
    this.#host = host;
  }

  /** The microphone in use (null: none, e.g. a listener). */
  get stream() { return this.#stream; }

  /** Constraints (e.g. { deviceId }) for the next time it is opened. */
  remember(constraints) {
    this.#constraints = { ...this.#constraints, ...constraints };
  }

  /**
   * Opens the microphone ahead of a join, while the person is still on the join form (room.prewarm()); the join
   * takes it if the constraints are still the same, else it is stopped. Resolves with it (null if it was released
   * meanwhile); rejects as getUserMedia does.
   */
  async prewarm() {
    const key = this.#key();
    if (this.#spare?.key !== key) {
      this.releaseSpare();
      const spare = { key, opening: this.#open() };
      this.#spare = spare;
      // A spare released while it was opening is stopped as soon as it opens.
      spare.opening.then((mic) => { if (this.#spare !== spare) stopTracks(mic); }, () => { if (this.#spare === spare) this.#spare = null; });
    }
    const spare = this.#spare;
    const mic = await spare?.opening;
    return spare !== null && this.#spare === spare ? mic : null;
  }

  /** Whether a microphone opened ahead of a join is held (or opening). */
  get prewarmed() { return this.#spare !== null; }

  /** Stops the microphone opened ahead, if any; safe to call any time. */
  releaseSpare() {
    const spare = this.#spare;
    this.#spare = null;
    spare?.opening.then(stopTracks, () => {});
  }

  /** Opens the microphone for a join (the prewarmed one if it fits), or takes `stream` (the caller's: never stopped here). */
  async openForJoin(stream, isCurrent) {
    const mic = stream ?? await this.#takeSpare() ?? await this.#open();
    if (!isCurrent()) {
      if (!stream) stopTracks(mic);
      throw new ParleyError('aborted', 'The join was cancelled.');
    }
    this.#use(mic, !stream);
    return mic;
  }

  /** Joined: the enabled copy to meter (the microphone itself where tracks cannot be cloned). */
  meter() {
    if (!this.#stream) return null;
    this.#meterStream = cloneStream(this.#stream);
    return this.#meterStream ?? this.#stream;
  }

  /** Mid-call: opens the microphone with the current constraints and puts it on every connection. */
  /**
   * room.setMicrophone(): before a call the constraints wait for the next join (a leave forgets them); in a call the
   * new track replaces the old one on every connection. A listener has no microphone: they wait for the day they
   * may publish and unmute.
   */
  async change(constraints, roomState) {
    if (roomState === 'idle' || roomState === 'closed') return this.remember(constraints);
    if (roomState !== 'joined') throw new ParleyError('invalid-state', 'Join a room first.');
    this.remember(constraints);
    if (this.stream) await this.switch();
  }

  async switch() {
    const generation = this.#generation;
    const mic = await this.#open();
    if (generation !== this.#generation) { stopTracks(mic); throw new ParleyError('aborted', 'The call ended.'); }
    const [old, ownedOld, oldMeter] = [this.#stream, this.#owned, this.#meterStream];
    this.#use(mic, true);
    await this.#host.attach(mic.getAudioTracks()[0] ?? null, mic);
    this.#meterStream = cloneStream(mic);
    this.#host.metered(mic, this.#meterStream ?? mic);
    if (oldMeter) stopTracks(oldMeter);
    if (ownedOld && old) stopTracks(old);
  }

  /** Stops what is ours and forgets the microphone; `forgetConstraints` too when the call ends. */
  release({ forgetConstraints = false } = {}) {
    this.#generation++;
    this.releaseSpare();
    if (this.#owned && this.#stream) stopTracks(this.#stream);
    if (this.#meterStream) stopTracks(this.#meterStream);
    this.#stream = this.#meterStream = null;
    this.#owned = false;
    this.#voice.attach(null);
    if (forgetConstraints) this.#constraints = {};
  }

  /** The prewarmed microphone, if it was opened with the constraints of now and still runs; else null. */
  async #takeSpare() {
    const spare = this.#spare;
    this.#spare = null;
    if (!spare) return null;
    const mic = await spare.opening.catch(() => null);
    if (!mic) return null;
    if (spare.key === this.#key() && mic.getAudioTracks().some((t) => t.readyState !== 'ended')) return mic;
    stopTracks(mic);
    return null;
  }

  #key() {
    return JSON.stringify({ ...this.#options.audio, ...this.#constraints });
  }

  #open() {
    return (this.#options.getMicrophone ?? getMicrophone)({ ...this.#options.audio, ...this.#constraints });
  }

  #use(mic, owned) {
    this.#stream = mic;
    this.#owned = owned;
    this.#voice.attach(mic);
    this.#watch(mic);
  }

  /** A microphone that ends mid-call (unplugged): say so, then fall back to the default microphone. */
  #watch(mic) {
    const generation = this.#generation;
    for (const track of mic.getAudioTracks()) {
      track.addEventListener('ended', async () => {
        if (generation !== this.#generation || this.#stream !== mic) return;
        try {
          this.#constraints = {};
          await this.switch();
          this.#host.error(new ParleyError('microphone-error',
            'Your microphone was disconnected. Parley switched to the default microphone.'));
        } catch {
          this.#host.error(new ParleyError('microphone-error',
            'Your microphone stopped working (was it unplugged?). The others cannot hear you.'));
        }
      });
    }
  }
}
