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
//   room-updated {locked, metadata, changes}  data {payload: Uint8Array, topic}   (access, docs/access.md)
//   removed {reason: 'removed' | 'room-deleted', error}   (then closed {reason: 'removed', error})
// Positional voice, whisper, talk groups: positional.js (join({channel}) sets the channel of a room it opens); they
// add the participant-updated changes 'position', 'groups', 'whisperingToMe' and 'route'.
// Access: join({token}) joins with an app's access token. Whoever may not publish, or is muted by a moderator,
// is never played (hearing.js); when that is me, my microphone is not sent (publishing.js), and a listener's
// is never even opened. A moderator's actions are in moderation.js.
// This class is the facade: its parts and how they reach each other are room-parts.js; the call itself (join,
// resume, leave, what the signaling link says) is room-call.js. What stays here is my own voice as the others see it.

import { ParleyError } from './errors.js';
import { signalingUrlFor } from './signaling-protocol.js';
import { usesServer } from './room-links.js';
import { microphoneAllowed } from './audio.js';
import { checkChatText } from './chat.js';
import { decodeAccessToken } from './token.js';
import { forbiddenToUnmute } from './publishing.js';
import { createRoomParts } from './room-parts.js';
import { RoomCall } from './room-call.js';

export class ParleyRoom extends EventTarget {
  #options;
  #call;
  #meters; #voice; #playback; #microphone; #prewarm; #offerAhead; #publishing; #moderation; #spatial; #remotes;

  /**
   * @param {import('./parley').ParleyRoomOptions} [options]
   */
  constructor(options = {}) {
    super();
    this.#options = options;
    const emit = (type, detail) => this.#emit(type, detail);
    const startMeter = (participant, stream) => this.#startMeter(participant, stream);
    const parts = createRoomParts(options, {
      room: this, emit, startMeter,
      self: () => this.#call.self, link: () => this.#call.link, iceServers: () => this.#call.iceServers,
    });
    ({
      meters: this.#meters, voice: this.#voice, playback: this.#playback,
      microphone: this.#microphone, prewarm: this.#prewarm, offerAhead: this.#offerAhead, publishing: this.#publishing,
      moderation: this.#moderation, spatial: this.#spatial, remotes: this.#remotes,
    } = parts);
    this.#call = new RoomCall({ options, parts, host: { emit, startMeter } });
    this.#voice.addEventListener('change', ({ detail }) => this.#onVoiceChange(detail.changes));
    this.#voice.addEventListener('transmitting', ({ detail }) => {
      // The meter hears the mic even while nothing is sent: speaking resumes with transmission.
      const meter = this.self && this.#meters.get(this.self.id);
      this.#updateSelfSpeaking(detail.transmitting && (meter?.speaking ?? false));
      this.#emit('transmitting', detail);
    });
  }

  /** idle | joining | joined | closed */
  get state() { return this.#call.state; }
  get roomName() { return this.#call.roomName; }
  get self() { return this.#call.self; }
  /** Everyone in the room while joined, self first. */
  get participants() { return this.#call.participants(); }
  /** While joined: 'connected' to the signaling server, or 'reconnecting' (calls go on). Else 'disconnected'. */
  get signalingState() { return this.#call.link?.state ?? 'disconnected'; }
  /** What carries signaling: 'websocket', 'sse', 'long-poll' (HTTP), 'tracker' (no server); null when not connected. */
  get signalingTransport() { return this.#call.link?.signaling.transport ?? null; }
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
  get localStream() { return this.#microphone.stream; }
  /** The server's limits from `hello` (defaults before connecting). */
  get limits() { return this.#call.link?.signaling.limits ?? null; }
  /** True while the browser blocks remote audio until the next click or key press. */
  get autoplayBlocked() { return this.#playback?.blocked ?? false; }
  /** Whether I may publish audio: false for a listener (from the server once joined, before that the token). */
  get canPublish() { return this.self ? this.self.permissions.canPublish : this.#publishing.allowed; }
  /** Muted by a moderator: unmute() rejects with `forbidden` until a moderator allows it. */
  get serverMuted() { return this.self?.serverMuted ?? false; }
  /** Whether I am a moderator of the room (permissions.admin). */
  get isModerator() { return this.self?.permissions.admin ?? false; }
  /** Locked: nobody new can join (those inside can still resume). */
  get locked() { return this.#call.roomInfo.locked; }
  /** The room's metadata from the app's backend ('' when none). */
  get metadata() { return this.#call.roomInfo.metadata; }
  /** Positional voice: the room's channel (null: a plain room), my position, orientation, whisper targets, groups. */
  get channel() { return this.#spatial.channel; }
  get position() { return this.#spatial.position; }
  get orientation() { return this.#spatial.orientation; }
  get targets() { return this.#spatial.targets; }
  get groups() { return this.#spatial.groups; }

  getParticipant(id) { return this.#call.getParticipant(id); }

  /**
   * Gets the next join() ready while the person is still on the join form: opens the signaling connection (up to
   * `hello`), the audio output (suspended until the Join click) and, only where the browser already allows it
   * without asking, the microphone (`microphone`: true opens it anyway, false never) and with it the first
   * connection and its offer (offer-ahead.js). A join to the same `url` then costs only the `join` round trip. Released after
   * `prewarmIdleMs` (20 s) without a join, by releasePrewarm(), and by leave(); call it again on activity (each call
   * restarts the idle time). Never rejects: whatever fails here, the join tries again and reports.
   */
  async prewarm({ url = signalingUrlFor(), microphone = 'if-allowed', token } = {}) {
    if (this.#call.active) return;
    this.#prewarm.start(usesServer(this.#options) ? url : null);
    this.#playback?.warm();
    const canPublish = token == null ? true : decodeAccessToken(token)?.canPublish ?? true;
    if (microphone === false || !canPublish) return;
    if (microphone !== true && !(await microphoneAllowed())) return;
    if (this.#call.active) return; // a join came first: it opened its own
    try {
      const mic = await this.#microphone.prewarm();
      // The first connection and its offer too, for a join through the server (offer-ahead.js).
      if (mic && !this.#call.active && usesServer(this.#options)) await this.#offerAhead.prepare(mic);
    } catch { /* the join opens it again and reports why it cannot */ }
  }

  /** What a prewarm holds: a signaling connection, the microphone, the first connection's offer (`{signaling, microphone, offer}`). */
  get prewarmed() {
    return { signaling: this.#prewarm.connected, microphone: this.#microphone.prewarmed, offer: this.#offerAhead.prepared };
  }

  /** Closes what prewarm() opened (not a call in progress); safe to call any time. */
  releasePrewarm() {
    if (this.#call.active) return;
    this.#prewarm.release();
  }

  /**
   * Opens the microphone, connects and joins `room` as `name`, or with an access `token` (token mode: room
   * and name come from it). Resolves once joined; rejects with a ParleyError (codes: microphone-*,
   * server-unreachable, room-full, invalid-name, token-expired, banned, room-locked, ...), never retried.
   * A token that does not let me publish opens no microphone at all.
   */
  async join({ url = signalingUrlFor(), room, name, muted = this.muted, stream = null, token, channel, password } = {}) {
    this.#playback?.warm(); // within the click's user activation, where there is one: the output resumes now
    return this.#call.join({ url, room, name, muted, stream, token, channel, password });
  }

  /** Leaves the room, closes every connection and releases the microphone. Safe to call any time. */
  async leave() { this.#call.leave(); }

  /**
   * Mutes or unmutes: disables the mic track (the others receive silence) and publishes `state`.
   * Before joining it sets the initial state sent with `join`. Unmuting while deafened undeafens.
   * Unmuting returns unmute()'s promise (it rejects with `forbidden` for a listener or while server-muted).
   */
  setMuted(muted) {
    if (!muted) return this.unmute();
    this.#voice.setMuted(true);
    return Promise.resolve();
  }

  mute() { return this.setMuted(true); }

  /**
   * Unmutes. Rejects with `forbidden` (nothing changes) while I may not publish: a listener, or muted by a
   * moderator. After a moderator allowed it, this is what sends my audio again (connections back to
   * sendrecv). A listener allowed to publish mid-call gets their microphone opened here.
   */
  unmute() {
    try {
      if (this.state !== 'joined') {
        if (!this.#publishing.allowed) throw forbiddenToUnmute(false);
        this.#voice.setMuted(false);
        return Promise.resolve();
      }
      this.#publishing.unblock();
    } catch (err) {
      return Promise.reject(err);
    }
    if (!this.#microphone.stream) return this.#microphone.switch().then(() => this.unmute());
    this.#voice.setMuted(false);
    this.#publishing.resume();
    return Promise.resolve();
  }

  /** Moderators: server-mute `id` (true: hard, they cannot unmute) or allow them to unmute (false). */
  muteParticipant(id, muted = true) { return this.#moderation.muteParticipant(id, muted); }
  /** Moderators: server-mute everyone who is not a moderator. */
  muteAll() { return this.#moderation.muteAll(); }
  /** Moderators: remove `id` from the room; `banSeconds` (0..86400) keeps them out that long. */
  removeParticipant(id, options) { return this.#moderation.removeParticipant(id, options); }
  /** Moderators: lock (nobody new can join) or unlock the room. */
  lockRoom(locked = true) { return this.#moderation.lockRoom(locked); }
  /** Token mode with canUpdateOwnMetadata: change my own `name` or `metadata`; everyone gets participant-updated. */
  updateSelf(changes) { return this.#moderation.updateSelf(changes); }

  /** Moves me ({x, y, z}; orientation {forward, up}): my ears at once, the others within ~100 ms (data channel). */
  setPosition(position, orientation) { this.#spatial.setPosition(position, orientation); }
  /** Whisper: my audio goes only to these participants (ids or display names); null: to everyone again. */
  setTargets(targets) { this.#spatial.setTargets(targets); }
  /** Talk groups: I hear and am heard by their members whatever the distance. */
  joinGroup(name) { this.#spatial.joinGroup(name); }
  leaveGroup(name) { this.#spatial.leaveGroup(name); }

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
    const link = this.#call.link;
    if (this.state !== 'joined') throw new ParleyError('not-connected', 'Join a room to chat.');
    const { signaling } = link;
    if (!link.up) throw new ParleyError('not-connected', 'Reconnecting to the server: chat is back in a moment.');
    signaling.sendChat(checkChatText(text, signaling.limits.maxChatLength));
  }

  /**
   * Switches to another microphone during the call (e.g. { deviceId: { exact: id } }) without a new
   * offer/answer: the new track replaces the old one on every connection (replaceTrack). Before a call,
   * the constraints apply to the next join.
   */
  async setMicrophone(constraints = {}) { return this.#microphone.change(constraints, this.state); }

  /** Noise suppression, echo cancellation, auto gain (all on by default); reopens the mic if joined. */
  async setAudioProcessing({ noiseSuppression, echoCancellation, autoGainControl } = {}) {
    const change = Object.fromEntries(Object.entries({ noiseSuppression, echoCancellation, autoGainControl })
      .filter(([, v]) => typeof v === 'boolean'));
    this.#options.audio = { ...this.#options.audio, ...change };
    if (this.state === 'joined') await this.setMicrophone();
  }

  /** Plays everyone on the speaker `sinkId` ('' = default) where the browser supports it. */
  setSpeaker(sinkId) {
    if (!this.#playback) return Promise.reject(new ParleyError('invalid-state', 'No playback here.'));
    return this.#playback.setSinkId(sinkId);
  }

  /** RTT, packet loss and jitter of the connection to `id` (null when there is none). */
  getConnectionQuality(id) { return this.#remotes.measureQuality(id); }

  #onVoiceChange(changes) {
    if (changes.includes('deafened')) this.#remotes.applyHearing();
    const self = this.self;
    if (self && changes.includes('muted')) {
      const muted = this.muted;
      const updated = self.applyState({ muted, speaking: muted ? false : self.speaking });
      this.#call.publish({ muted, speaking: self.speaking });
      this.#emit('participant-updated', { participant: self, changes: updated });
    }
    this.#emit('voice', { changes });
  }

  /** Meters `participant` (meters.js watch()); a remote stream yields samples only while an <audio> plays it. */
  #startMeter(participant, stream) {
    this.#meters.watch(participant, stream, { emit: (type, detail) => this.#emit(type, detail),
      self: { level: (level) => this.#voice.level(level), speaking: (detected) => this.#updateSelfSpeaking(detected) } });
  }

  /** Own speaking state: from the mic level, never while muted, published only on change. */
  #updateSelfSpeaking(detected) {
    const self = this.self;
    const speaking = detected && this.transmitting;
    if (!self || speaking === self.speaking) return;
    self.speaking = speaking;
    this.#call.publish({ speaking });
    this.#emit('participant-updated', { participant: self, changes: ['speaking'] });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
