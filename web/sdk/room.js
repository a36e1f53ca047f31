// ParleyRoom: a voice room. Composes the microphone, the signaling client, one PeerSession per remote
// participant (full mesh) and remote playback, and reports everything as events.
//
// States: idle -> joining -> joined -> closed (join() again from closed). A lost signaling connection
// does not end the call: the room stays joined, every peer connection keeps carrying audio, and the
// Reconnector resumes the session (reconnect.js, remotes.js); `signalingState` says which.
// Events (CustomEvent, payload in `detail`):
//   joined {room, self, participants}        participant-joined {participant} (self included, first)
//   participant-left {participant, reason}   participant-updated {participant, changes: string[]}
//   track {participant, track, stream}       level {participant, level} (~20 Hz, self and remotes)
//   error {error, participant?}              closed {reason: 'left' | 'error', error?}
//   autoplay-blocked, autoplay-unblocked     statechange {state, previous}
//   voice {changes: ('muted'|'deafened'|'mode')[]}  transmitting {transmitting}
//   chat {participant, from, name, text, time, self}
//   reconnecting {attempt, delayMs, error}   reconnected {resumed}   (signaling lost / back)
//   signalingstatechange {state: 'connected' | 'reconnecting' | 'disconnected', previous}

import { ParleyError } from './errors.js';
import { signalingUrlFor } from './signaling.js';
import { createRelayedPeer } from './peer-factory.js';
import { RoomLink } from './room-link.js';
import { RemotePeers } from './remotes.js';
import { getMicrophone, cloneStream, stopTracks } from './audio.js';
import { ParticipantMeters } from './meters.js';
import { AudioPlayback } from './playback.js';
import { LocalVoice } from './local-voice.js';
import { Hearing } from './hearing.js';
import { checkChatText, chatEventFor } from './chat.js';
import { Participant } from './participant.js';

export class ParleyRoom extends EventTarget {
  #options;
  #state = 'idle';
  #session = 0;
  #link = null;
  #self = null;
  #roomName = null;
  #remotes;
  #mic = null;
  #ownsMic = false;
  #meterStream = null;
  #micConstraints = {};
  #meters;
  #voice;
  #hearing;
  #iceServers = [];
  #playback = null;

  /**
   * @param {import('./parley').ParleyRoomOptions} [options]
   */
  constructor(options = {}) {
    super();
    this.#options = options;
    this.#meters = new ParticipantMeters({ enabled: options.meter !== false, speaking: options.speaking });
    this.#voice = new LocalVoice(options);
    this.#voice.addEventListener('change', ({ detail }) => this.#onVoiceChange(detail.changes));
    this.#voice.addEventListener('transmitting', ({ detail }) => {
      // The meter hears the mic even while nothing is sent: speaking resumes with transmission.
      const meter = this.#self && this.#meters.get(this.#self.id);
      this.#updateSelfSpeaking(detail.transmitting && (meter?.speaking ?? false));
      this.#emit('transmitting', detail);
    });
    if (options.audioElements !== false && globalThis.document) {
      this.#playback = new AudioPlayback(globalThis.document);
      this.#playback.addEventListener('blocked', () => this.#emit('autoplay-blocked', {}));
      this.#playback.addEventListener('unblocked', () => this.#emit('autoplay-unblocked', {}));
    }
    this.#hearing = new Hearing({ playback: this.#playback, preferences: options.preferences });
    this.#remotes = new RemotePeers({
      selfId: () => this.#self?.id,
      createPeer: (o) => createRelayedPeer({
        ...o, signaling: this.#link.signaling, mic: this.#mic, options: this.#options, iceServers: this.#iceServers,
      }),
      emit: (type, detail) => this.#emit(type, detail),
      hearing: this.#hearing,
      deafened: () => this.deafened,
      startMeter: (participant, stream) => this.#startMeter(participant, stream),
      stopMeter: (id) => this.#meters.stop(id),
      peerLost: (id) => { try { this.#link?.signaling.sendPeerLost(id); } catch { /* not connected: recovery waits */ } },
      clock: options.clock,
      recoveryTiming: options.recovery,
    });
  }

  /** idle | joining | joined | closed */
  get state() { return this.#state; }
  get roomName() { return this.#roomName; }
  get self() { return this.#self; }
  /** Everyone in the room while joined, self first. */
  get participants() { return this.#self ? [this.#self, ...this.#remotes.participants()] : []; }
  /** While joined: 'connected' to the signaling server, or 'reconnecting' (calls go on). Else 'disconnected'. */
  get signalingState() { return this.#link?.state ?? 'disconnected'; }
  get muted() { return this.#voice.muted; }
  /** Deafened: I hear nobody (and I am muted). */
  get deafened() { return this.#voice.deafened; }
  /** open-mic | voice-activation | push-to-talk */
  get inputMode() { return this.#voice.inputMode; }
  /** Whether the others hear my microphone right now (not muted, and the input mode lets it through). */
  get transmitting() { return this.#voice.transmitting; }
  /** {auto, threshold, active}: the voice activation state (threshold is an RMS level 0..1). */
  get voiceActivation() { return this.#voice.voiceActivation; }
  get pushToTalkKey() { return this.#voice.pushToTalkKey; }
  /** Where remote voices play (volume, speaker choice). */
  get playback() { return this.#playback; }
  get localStream() { return this.#mic; }
  /** The server's limits from `hello` (defaults before connecting). */
  get limits() { return this.#link?.signaling.limits ?? null; }
  /** True while the browser blocks remote audio until the next click or key press. */
  get autoplayBlocked() { return this.#playback?.blocked ?? false; }

  getParticipant(id) {
    return this.#self?.id === id ? this.#self : this.#remotes.get(id);
  }

  /**
   * Opens the microphone, connects and joins `room` as `name`. Resolves once joined; rejects with a
   * ParleyError (codes: microphone-*, server-unreachable, room-full, invalid-name, ...).
   */
  async join({ url = signalingUrlFor(), room, name, muted = this.muted, stream = null } = {}) {
    if (this.#state === 'joining' || this.#state === 'joined') {
      throw new ParleyError('invalid-state', `Already ${this.#state}.`);
    }
    const session = ++this.#session;
    this.#setState('joining');
    if (Boolean(muted) !== this.muted) this.#voice.setMuted(muted);
    try {
      const mic = stream ?? await (this.#options.getMicrophone ?? getMicrophone)({ ...this.#options.audio, ...this.#micConstraints });
      if (session !== this.#session) {
        if (!stream) stopTracks(mic);
        throw new ParleyError('aborted', 'The join was cancelled.');
      }
      this.#mic = mic;
      this.#ownsMic = !stream;
      this.#voice.attach(mic);
      this.#watchMic(mic, session);

      const link = this.#link = new RoomLink({
        url, options: this.#options,
        identity: () => ({ room: this.#roomName ?? room, name: this.#self?.name ?? name, muted: this.muted }),
      });
      this.#wire(link, session);
      const joined = await link.join({ room, name, muted: this.muted });
      if (session !== this.#session) throw new ParleyError('aborted', 'The join was cancelled.');
      this.#onJoined(joined);
      return { room: this.#roomName, self: this.#self, participants: this.participants.slice(1) };
    } catch (err) {
      if (session === this.#session) this.#teardown();
      throw err;
    }
  }

  /** Leaves the room, closes every connection and releases the microphone. Safe to call any time. */
  async leave() {
    if (this.#state !== 'joining' && this.#state !== 'joined') return;
    this.#session++;
    this.#remotes.sayBye();
    this.#link?.leave();
    this.#teardown();
    this.#emit('closed', { reason: 'left' });
  }

  /**
   * Mutes or unmutes: disables the mic track (the others receive silence) and publishes `state`.
   * Before joining it sets the initial state sent with `join`. Unmuting while deafened undeafens.
   */
  setMuted(muted) { this.#voice.setMuted(muted); }

  /** Deafen: plays nobody and mutes; undeafening restores the mute state from before. */
  setDeafened(deafened) { this.#voice.setDeafened(deafened); }

  /** 'open-mic' | 'voice-activation' | 'push-to-talk'. */
  setInputMode(mode) { this.#voice.setInputMode(mode); }

  /** Push to talk held (true) or released (false; transmits for `pushToTalkReleaseMs` more). */
  setPushToTalk(pressed) { this.#voice.setPushToTalk(pressed); }

  /** The KeyboardEvent.code held to talk in push-to-talk mode (default 'Space'); null: none. */
  setPushToTalkKey(code) { this.#voice.setPushToTalkKey(code); }

  /** { auto: true } or { threshold: 0..1 } (RMS level). */
  setVoiceActivation(options) { this.#voice.setVoiceActivation(options); }

  /** How loud I hear participant `id`: 0..2 (1 = as received). Remembered for their display name. */
  setParticipantVolume(id, volume) {
    this.#remotes.changeHearing(id, { volume });
  }

  /** Mutes participant `id` for me only. Remembered for their display name. */
  setParticipantMuted(id, muted) {
    this.#remotes.changeHearing(id, { muted: Boolean(muted) });
  }

  /** Sends a chat message to the room (everyone, me included, receives a `chat` event). */
  sendChat(text) {
    if (this.#state !== 'joined') throw new ParleyError('not-connected', 'Join a room to chat.');
    const { signaling } = this.#link;
    if (!this.#link.up) throw new ParleyError('not-connected', 'Reconnecting to the server: chat is back in a moment.');
    signaling.sendChat(checkChatText(text, signaling.limits.maxChatLength));
  }

  /**
   * Switches to another microphone during the call (e.g. { deviceId: { exact: id } }) without a new
   * offer/answer: the new track replaces the old one on every connection (replaceTrack). Before a call,
   * the constraints apply to the next join.
   */
  async setMicrophone(constraints = {}) {
    if (this.#state === 'idle' || this.#state === 'closed') {
      // Before a call: remembered for the next join (a leave forgets it).
      this.#micConstraints = { ...this.#micConstraints, ...constraints };
      return;
    }
    if (this.#state !== 'joined') throw new ParleyError('invalid-state', 'Join a room first.');
    const session = this.#session;
    this.#micConstraints = { ...this.#micConstraints, ...constraints };
    const mic = await (this.#options.getMicrophone ?? getMicrophone)({ ...this.#options.audio, ...this.#micConstraints });
    if (session !== this.#session) { stopTracks(mic); throw new ParleyError('aborted', 'The call ended.'); }
    const [old, ownedOld, oldMeter] = [this.#mic, this.#ownsMic, this.#meterStream];
    this.#mic = mic;
    this.#ownsMic = true;
    this.#voice.attach(mic);
    this.#watchMic(mic, session);
    const track = mic.getAudioTracks()[0] ?? null;
    await Promise.all(this.#remotes.peers().map((peer) => peer.setLocalTrack(track, mic)));
    this.#self.stream = mic;
    this.#meterStream = cloneStream(mic);
    this.#startMeter(this.#self, this.#meterStream ?? mic);
    if (oldMeter) stopTracks(oldMeter);
    if (ownedOld && old) stopTracks(old);
  }

  /** Noise suppression, echo cancellation, auto gain (all on by default); reopens the mic if joined. */
  async setAudioProcessing({ noiseSuppression, echoCancellation, autoGainControl } = {}) {
    const change = Object.fromEntries(Object.entries({ noiseSuppression, echoCancellation, autoGainControl })
      .filter(([, v]) => typeof v === 'boolean'));
    this.#options.audio = { ...this.#options.audio, ...change };
    if (this.#state === 'joined') await this.setMicrophone();
  }

  /** Plays everyone on the speaker `sinkId` ('' = default) where the browser supports it. */
  setSpeaker(sinkId) {
    if (!this.#playback) return Promise.reject(new ParleyError('invalid-state', 'No playback here.'));
    return this.#playback.setSinkId(sinkId);
  }

  /** A microphone that ends mid-call (unplugged): say so, then fall back to the default microphone. */
  #watchMic(mic, session) {
    for (const track of mic.getAudioTracks()) {
      track.addEventListener('ended', async () => {
        if (session !== this.#session || this.#mic !== mic) return;
        try {
          this.#micConstraints = {};
          await this.setMicrophone();
          this.#emit('error', { error: new ParleyError('microphone-error',
            'Your microphone was disconnected. Parley switched to the default microphone.') });
        } catch {
          this.#emit('error', { error: new ParleyError('microphone-error',
            'Your microphone stopped working (was it unplugged?). The others cannot hear you.') });
        }
      });
    }
  }

  /** RTT, packet loss and jitter of the connection to `id` (null when there is none). */
  getConnectionQuality(id) { return this.#remotes.measureQuality(id); }

  #onVoiceChange(changes) {
    if (changes.includes('deafened')) this.#remotes.applyHearing();
    const self = this.#self;
    if (self && changes.includes('muted')) {
      const muted = this.muted;
      const updated = self.applyState({ muted, speaking: muted ? false : self.speaking });
      this.#publish({ muted, speaking: self.speaking });
      this.#emit('participant-updated', { participant: self, changes: updated });
    }
    this.#emit('voice', { changes });
  }

  #onJoined(joined) {
    this.#roomName = joined.room;
    this.#iceServers = Array.isArray(joined.iceServers) ? joined.iceServers : [];
    this.#self = new Participant({ ...joined.self, muted: this.muted, speaking: false }, true);
    this.#self.stream = this.#mic;
    this.#link.start(joined);
    this.#remotes.setSignalingUp(true);
    this.#setState('joined');
    // The meter listens to a copy of the mic, so voice activation hears me while nothing is sent.
    this.#meterStream = cloneStream(this.#mic);
    this.#startMeter(this.#self, this.#meterStream ?? this.#mic);
    this.#emit('joined', { room: this.#roomName, self: this.#self });
    this.#emit('participant-joined', { participant: this.#self });
    // We are the newcomer: we make the first offer to everyone already here.
    for (const info of joined.participants ?? []) this.#remotes.add(info, true);
  }

  /** Our `resume` succeeded: fresh ICE servers, keep what works, offer to the rest (remotes.js). */
  #onResumed(joined) {
    if (Array.isArray(joined.iceServers)) {
      this.#iceServers = joined.iceServers;
      if (!this.#options.iceServers) this.#remotes.setIceServers(joined.iceServers);
    }
    this.#remotes.onResumed(joined);
    this.#remotes.setSignalingUp(true);
    // `resume` carried `muted`; what we say about speaking was lost with the old socket.
    if (this.#self?.speaking) this.#publish({ speaking: true });
    this.#emit('reconnected', { resumed: joined.resumed === true });
  }

  #wire(link, session) {
    const guard = (handler) => (ev) => {
      if (session === this.#session && this.#state === 'joined') handler(ev.detail);
    };
    const on = (target, type, handler) => target.addEventListener(type, guard(handler));
    const { signaling } = link;
    this.#remotes.listen(signaling, guard);
    on(signaling, 'chat', (m) => this.#emit('chat', chatEventFor(m, this.getParticipant(m.from))));
    on(signaling, 'server-error', ({ error }) => {
      // unknown-participant: a relay to someone who just left (or has not resumed yet); harmless.
      if (error.code !== 'unknown-participant') this.#emit('error', { error });
    });
    // Signaling down or back: the call goes on; the page shows it (signalingState).
    link.addEventListener('statechange', ({ detail }) => {
      if (this.#link === link) this.#emit('signalingstatechange', detail);
    });
    on(link, 'reconnecting', (detail) => {
      this.#remotes.setSignalingUp(false);
      this.#emit('reconnecting', detail);
    });
    on(link, 'resumed', ({ joined }) => this.#onResumed(joined));
    on(link, 'failed', ({ error }) => {
      this.#session++;
      this.#teardown();
      this.#emit('error', { error });
      this.#emit('closed', { reason: 'error', error });
    });
  }

  /**
   * Meters `stream` for `participant` (~20 Hz `level` events) through the speaking detector. For self it
   * drives the published `speaking`; for a remote it sets `audible`, what we actually hear (their
   * `speaking` stays what they publish). A remote stream yields samples only while an <audio> plays it.
   */
  #startMeter(participant, stream) {
    this.#meters.start(participant.id, stream, (level, detected, changed) => {
      participant.level = level;
      if (participant.isSelf) this.#voice.level(level);
      this.#emit('level', { participant, level });
      if (!changed) return;
      if (participant.isSelf) return this.#updateSelfSpeaking(detected);
      participant.audible = detected;
      this.#emit('participant-updated', { participant, changes: ['audible'] });
    });
  }

  /** Own speaking state: from the mic level, never while muted, published only on change. */
  #updateSelfSpeaking(detected) {
    const self = this.#self;
    const speaking = detected && this.transmitting;
    if (!self || speaking === self.speaking) return;
    self.speaking = speaking;
    this.#publish({ speaking });
    this.#emit('participant-updated', { participant: self, changes: ['speaking'] });
  }

  #publish(state) {
    if (this.#state !== 'joined' || !this.#link?.up) return;
    try { this.#link.signaling.sendState(state); } catch (err) { this.#emit('error', { error: err }); }
  }

  /** Releases everything; safe to call twice. */
  #teardown() {
    this.#remotes.clear();
    this.#meters.stopAll();
    if (this.#ownsMic && this.#mic) stopTracks(this.#mic);
    if (this.#meterStream) stopTracks(this.#meterStream);
    this.#meterStream = null;
    this.#voice.attach(null);
    this.#mic = null;
    this.#micConstraints = {};
    this.#ownsMic = false;
    const link = this.#link;
    link?.close(); // 'disconnected' (signalingstatechange) while #link is still set
    this.#link = null;
    this.#self = null;
    this.#roomName = null;
    this.#setState('closed');
  }

  #setState(next) {
    const previous = this.#state;
    if (previous === next) return;
    this.#state = next;
    this.#emit('statechange', { state: next, previous });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
