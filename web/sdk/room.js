// ParleyRoom: a voice room. Composes the microphone, the signaling client, one PeerSession per remote
// participant (full mesh) and remote playback, and reports everything as events.
//
// States: idle -> joining -> joined -> closed (join() again from closed).
// Events (CustomEvent, payload in `detail`):
//   joined {room, self, participants}        participant-joined {participant} (self included, first)
//   participant-left {participant, reason}   participant-updated {participant, changes: string[]}
//   track {participant, track, stream}       level {participant, level} (~20 Hz, self and remotes)
//   error {error, participant?}              closed {reason: 'left' | 'error', error?}
//   autoplay-blocked, autoplay-unblocked     statechange {state, previous}

import { ParleyError } from './errors.js';
import { SignalingClient, signalingUrlFor } from './signaling.js';
import { PeerSession, isPolite } from './peer.js';
import { tuneOpus, VOICE_OPUS_PARAMS } from './opus.js';
import { getMicrophone, LevelMeter, SpeakingDetector, AudioPlayback } from './audio.js';
import { Participant } from './participant.js';

export class ParleyRoom extends EventTarget {
  #options;
  #state = 'idle';
  #session = 0;
  #signaling = null;
  #self = null;
  #roomName = null;
  #remotes = new Map();
  #peers = new Map();
  #mic = null;
  #ownsMic = false;
  #meters = new Map();
  #muted = false;
  #iceServers = [];
  #playback = null;

  /**
   * @param {import('./parley').ParleyRoomOptions} [options]
   */
  constructor(options = {}) {
    super();
    this.#options = options;
    if (options.audioElements !== false && globalThis.document) {
      this.#playback = new AudioPlayback(globalThis.document);
      this.#playback.addEventListener('blocked', () => this.#emit('autoplay-blocked', {}));
      this.#playback.addEventListener('unblocked', () => this.#emit('autoplay-unblocked', {}));
    }
  }

  /** idle | joining | joined | closed */
  get state() { return this.#state; }
  get roomName() { return this.#roomName; }
  get self() { return this.#self; }
  /** Everyone in the room while joined, self first. */
  get participants() { return this.#self ? [this.#self, ...this.#remotes.values()] : []; }
  get muted() { return this.#muted; }
  get localStream() { return this.#mic; }
  /** The server's limits from `hello` (defaults before connecting). */
  get limits() { return this.#signaling?.limits ?? null; }
  /** True while the browser blocks remote audio until the next click or key press. */
  get autoplayBlocked() { return this.#playback?.blocked ?? false; }

  getParticipant(id) {
    return this.#self?.id === id ? this.#self : this.#remotes.get(id) ?? null;
  }

  /**
   * Opens the microphone, connects and joins `room` as `name`. Resolves once joined; rejects with a
   * ParleyError (codes: microphone-*, server-unreachable, room-full, invalid-name, ...).
   */
  async join({ url = signalingUrlFor(), room, name, muted = this.#muted, stream = null } = {}) {
    if (this.#state === 'joining' || this.#state === 'joined') {
      throw new ParleyError('invalid-state', `Already ${this.#state}.`);
    }
    const session = ++this.#session;
    this.#setState('joining');
    this.#muted = Boolean(muted);
    try {
      const mic = stream ?? await (this.#options.getMicrophone ?? getMicrophone)(this.#options.audio);
      if (session !== this.#session) {
        if (!stream) stopTracks(mic);
        throw new ParleyError('aborted', 'The join was cancelled.');
      }
      this.#mic = mic;
      this.#ownsMic = !stream;
      this.#applyMuteToTrack();
      for (const track of mic.getAudioTracks()) {
        track.addEventListener('ended', () => {
          if (session !== this.#session || this.#mic !== mic) return;
          this.#emit('error', { error: new ParleyError('microphone-error',
            'Your microphone stopped working (was it unplugged?). The others cannot hear you.') });
        });
      }

      const signaling = this.#signaling = new SignalingClient({ url, WebSocket: this.#options.WebSocket });
      this.#wire(signaling, session);
      await signaling.connect();
      const joined = await signaling.join({ room, name, muted: this.#muted });
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
    try { this.#signaling?.leave(); } catch { /* connection already gone */ }
    this.#teardown();
    this.#emit('closed', { reason: 'left' });
  }

  /**
   * Mutes or unmutes: disables the mic track (the others receive silence) and publishes `state`.
   * Before joining it sets the initial state sent with `join`.
   */
  setMuted(muted) {
    muted = Boolean(muted);
    if (muted === this.#muted) return;
    this.#muted = muted;
    this.#applyMuteToTrack();
    const self = this.#self;
    if (!self) return;
    const changes = self.applyState({ muted, speaking: muted ? false : self.speaking });
    this.#publish({ muted, speaking: self.speaking });
    this.#emit('participant-updated', { participant: self, changes });
  }

  #onJoined(joined) {
    this.#roomName = joined.room;
    this.#iceServers = Array.isArray(joined.iceServers) ? joined.iceServers : [];
    this.#self = new Participant({ ...joined.self, muted: this.#muted, speaking: false }, true);
    this.#self.stream = this.#mic;
    this.#setState('joined');
    this.#startMeter(this.#self, this.#mic);
    this.#emit('joined', { room: this.#roomName, self: this.#self });
    this.#emit('participant-joined', { participant: this.#self });
    // We are the newcomer: we make the first offer to everyone already here.
    for (const info of joined.participants ?? []) this.#addRemote(info, true);
  }

  #wire(signaling, session) {
    const on = (type, handler) => signaling.addEventListener(type, (ev) => {
      if (session === this.#session && this.#state === 'joined') handler(ev.detail);
    });
    on('participant-joined', (m) => this.#addRemote(m.participant, false));
    on('participant-left', (m) => this.#removeRemote(m.id, m.reason ?? 'left'));
    on('participant-state', (m) => {
      const p = this.#remotes.get(m.id);
      const changes = p?.applyState(m) ?? [];
      if (changes.length) this.#emit('participant-updated', { participant: p, changes });
    });
    on('offer', (m) => this.#peers.get(m.from)?.handleDescription({ type: 'offer', sdp: m.sdp }));
    on('answer', (m) => this.#peers.get(m.from)?.handleDescription({ type: 'answer', sdp: m.sdp }));
    on('candidate', (m) => this.#peers.get(m.from)?.handleCandidate(m.candidate ?? null));
    on('server-error', ({ error }) => {
      // unknown-participant: a relay to someone who just left; harmless.
      if (error.code !== 'unknown-participant') this.#emit('error', { error });
    });
    on('close', ({ error }) => {
      const lost = error ?? new ParleyError('connection-lost', 'The connection to the server was lost.');
      this.#session++;
      this.#teardown();
      this.#emit('error', { error: lost });
      this.#emit('closed', { reason: 'error', error: lost });
    });
  }

  #addRemote(info, initiator) {
    if (!info?.id || info.id === this.#self?.id) return;
    if (this.#remotes.has(info.id)) this.#removeRemote(info.id, 'replaced');
    const participant = new Participant(info, false);
    const id = participant.id;
    if (this.#playback) participant.audio = this.#playback.createElement();
    this.#remotes.set(id, participant);
    const signaling = this.#signaling;
    const peer = new PeerSession({
      remoteId: id,
      polite: isPolite(this.#self.id, id),
      initiator,
      send: {
        offer: (sdp) => signaling.sendOffer(id, sdp),
        answer: (sdp) => signaling.sendAnswer(id, sdp),
        candidate: (c) => signaling.sendCandidate(id, c),
      },
      localTrack: this.#mic?.getAudioTracks()[0] ?? null,
      localStream: this.#mic,
      rtcConfig: { ...this.#options.rtcConfig, iceServers: this.#options.iceServers ?? this.#iceServers },
      mungeSdp: (sdp) => tuneOpus(sdp, this.#options.opus ?? VOICE_OPUS_PARAMS),
      RTCPeerConnection: this.#options.RTCPeerConnection,
    });
    this.#peers.set(id, peer);
    peer.addEventListener('statechange', ({ detail }) => {
      if (detail.state === 'closed' || participant.state === detail.state) return;
      participant.state = detail.state;
      this.#emit('participant-updated', { participant, changes: ['state'] });
    });
    peer.addEventListener('track', ({ detail }) => {
      participant.stream = detail.stream;
      if (participant.audio) this.#playback.attach(participant.audio, detail.stream);
      this.#startMeter(participant, detail.stream);
      this.#emit('track', { participant, track: detail.track, stream: detail.stream });
    });
    peer.addEventListener('error', ({ detail }) => this.#emit('error', { error: detail.error, participant }));
    this.#emit('participant-joined', { participant });
  }

  #removeRemote(id, reason) {
    const participant = this.#remotes.get(id);
    if (!participant) return;
    this.#peers.get(id)?.close();
    this.#peers.delete(id);
    this.#remotes.delete(id);
    this.#meters.get(id)?.stop();
    this.#meters.delete(id);
    if (participant.audio) {
      this.#playback.detach(participant.audio);
      participant.audio.remove();
    }
    this.#emit('participant-left', { participant, reason });
  }

  /**
   * Meters `stream` for `participant` (~20 Hz `level` events) through the speaking detector. For self it
   * drives the published `speaking`; for a remote it sets `audible`, what we actually hear (their
   * `speaking` stays what they publish). A remote stream yields samples only while an <audio> plays it.
   */
  #startMeter(participant, stream) {
    if (this.#options.meter === false || !stream) return;
    this.#meters.get(participant.id)?.stop();
    try {
      this.#meters.set(participant.id, new LevelMeter(stream, {
        detector: new SpeakingDetector(this.#options.speaking),
        onLevel: (level, detected, changed) => {
          participant.level = level;
          this.#emit('level', { participant, level });
          if (!changed) return;
          if (participant.isSelf) return this.#updateSelfSpeaking(detected);
          participant.audible = detected;
          this.#emit('participant-updated', { participant, changes: ['audible'] });
        },
      }));
    } catch { /* no Web Audio here: levels stay 0, nobody is detected speaking */ }
  }

  /** Own speaking state: from the mic level, never while muted, published only on change. */
  #updateSelfSpeaking(detected) {
    const self = this.#self;
    const speaking = detected && !this.#muted;
    if (!self || speaking === self.speaking) return;
    self.speaking = speaking;
    this.#publish({ speaking });
    this.#emit('participant-updated', { participant: self, changes: ['speaking'] });
  }

  #publish(state) {
    if (this.#state !== 'joined') return;
    try { this.#signaling.sendState(state); } catch (err) { this.#emit('error', { error: err }); }
  }

  #applyMuteToTrack() {
    for (const track of this.#mic?.getAudioTracks() ?? []) track.enabled = !this.#muted;
  }

  /** Releases everything; safe to call twice. */
  #teardown() {
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    for (const p of this.#remotes.values()) {
      if (p.audio) { this.#playback.detach(p.audio); p.audio.remove(); }
    }
    this.#remotes.clear();
    for (const meter of this.#meters.values()) meter.stop();
    this.#meters.clear();
    if (this.#ownsMic && this.#mic) stopTracks(this.#mic);
    this.#mic = null;
    this.#ownsMic = false;
    const signaling = this.#signaling;
    this.#signaling = null;
    signaling?.close();
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

function stopTracks(stream) {
  for (const track of stream.getTracks()) track.stop();
}
