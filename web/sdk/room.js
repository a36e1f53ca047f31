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

import { ParleyError } from './errors.js';
import { signalingUrlFor, SYSTEM_CLOCK } from './signaling.js';
import { createRelayedPeer } from './peer-factory.js';
import { openRoomLink, usesServer } from './room-links.js';
import { createSignalingClient } from './room-link.js';
import { Prewarm } from './prewarm.js';
import { microphoneAllowed } from './audio.js';
import { RemotePeers } from './remotes.js';
import { RoomMicrophone } from './room-microphone.js';
import { ParticipantMeters } from './meters.js';
import { AudioPlayback } from './playback.js';
import { LocalVoice } from './local-voice.js';
import { Hearing } from './hearing.js';
import { checkChatText, chatEventFor } from './chat.js';
import { Participant } from './participant.js';
import { decodeAccessToken, decodeBase64 } from './token.js';
import { Publishing, forbiddenToUnmute } from './publishing.js';
import { Moderation } from './moderation.js';
import { SpatialVoice } from './positional.js';
import { RoomInfo } from './room-info.js';
import { channelRequest } from './spatial-math.js';
import { firstConnections } from './join-report.js';

/** Errors that end my place in the room for good: no resume, `removed`. (`banned` on resume: removed while away.) */
const REMOVAL_CODES = new Set(['removed', 'room-deleted']);

export class ParleyRoom extends EventTarget {
  #options;
  #state = 'idle';
  #session = 0;
  #link = null;
  #self = null;
  #roomName = null;
  #remotes;
  #microphone;
  #meters;
  #voice;
  #hearing;
  #iceServers = [];
  #playback = null;
  #publishing;
  #moderation;
  #spatial;
  #roomInfo = new RoomInfo();
  #prewarm;

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
    this.#microphone = new RoomMicrophone({
      options, voice: this.#voice,
      host: {
        attach: (track, mic) => Promise.all(this.#remotes.peers().map((peer) => peer.setLocalTrack(track, mic))),
        metered: (mic, meterStream) => { this.#self.stream = mic; this.#startMeter(this.#self, meterStream); },
        error: (error) => this.#emit('error', { error }),
      },
    });
    this.#prewarm = new Prewarm({
      connect: (url) => createSignalingClient(url, this.#options), clock: options.clock ?? SYSTEM_CLOCK,
      idleMs: options.prewarmIdleMs, onRelease: () => this.#microphone.releaseSpare(),
    });
    this.#publishing = new Publishing({ voice: this.#voice, setSending: (sending) => this.#remotes.setSending(sending) });
    this.#moderation = new Moderation({ room: this, signaling: () => this.#link?.signaling ?? null });
    this.#spatial = new SpatialVoice({
      connections: () => this.#remotes.connections(), playback: this.#playback, self: () => this.#self,
      applyHearing: (p) => this.#hearing.apply(p, this.deafened), emit: (type, detail) => this.#emit(type, detail),
    }, options.clock);
    this.#remotes = new RemotePeers({
      selfId: () => this.#self?.id,
      createPeer: (o) => createRelayedPeer({
        ...o, signaling: this.#link.signaling, mic: this.#microphone.stream, options: this.#options, iceServers: this.#iceServers,
        sending: this.#publishing.sending,
      }),
      emit: (type, detail) => this.#emit(type, detail),
      hearing: this.#hearing,
      deafened: () => this.deafened,
      startMeter: (participant, stream) => this.#startMeter(participant, stream),
      stopMeter: (id) => this.#meters.stop(id),
      peerLost: (id) => { try { this.#link?.signaling.sendPeerLost(id); } catch { /* not connected: recovery waits */ } },
      clock: options.clock,
      recoveryTiming: options.recovery,
      voice: this.#spatial,
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
  /** What carries signaling: 'websocket', 'sse', 'long-poll' (HTTP), 'tracker' (no server); null when not connected. */
  get signalingTransport() { return this.#link?.signaling.transport ?? null; }
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
  get limits() { return this.#link?.signaling.limits ?? null; }
  /** True while the browser blocks remote audio until the next click or key press. */
  get autoplayBlocked() { return this.#playback?.blocked ?? false; }
  /** Whether I may publish audio: false for a listener (from the server once joined, before that the token). */
  get canPublish() { return this.#self ? this.#self.permissions.canPublish : this.#publishing.allowed; }
  /** Muted by a moderator: unmute() rejects with `forbidden` until a moderator allows it. */
  get serverMuted() { return this.#self?.serverMuted ?? false; }
  /** Whether I am a moderator of the room (permissions.admin). */
  get isModerator() { return this.#self?.permissions.admin ?? false; }
  /** Locked: nobody new can join (those inside can still resume). */
  get locked() { return this.#roomInfo.locked; }
  /** The room's metadata from the app's backend ('' when none). */
  get metadata() { return this.#roomInfo.metadata; }
  /** Positional voice: the room's channel (null: a plain room), my position, orientation, whisper targets, groups. */
  get channel() { return this.#spatial.channel; }
  get position() { return this.#spatial.position; }
  get orientation() { return this.#spatial.orientation; }
  get targets() { return this.#spatial.targets; }
  get groups() { return this.#spatial.groups; }

  getParticipant(id) {
    return this.#self?.id === id ? this.#self : this.#remotes.get(id);
  }

  /**
   * Gets the next join() ready while the person is still on the join form: opens the signaling connection (up to
   * `hello`) and, only where the browser already allows it without asking, the microphone (`microphone`: true
   * opens it anyway, false never). A join to the same `url` then costs only the `join` round trip. Released after
   * `prewarmIdleMs` (20 s) without a join, by releasePrewarm(), and by leave(); call it again on activity (each call
   * restarts the idle time). Never rejects: whatever fails here, the join tries again and reports.
   */
  async prewarm({ url = signalingUrlFor(), microphone = 'if-allowed', token } = {}) {
    if (this.#state === 'joining' || this.#state === 'joined') return;
    this.#prewarm.start(usesServer(this.#options) ? url : null);
    const canPublish = token == null ? true : decodeAccessToken(token)?.canPublish ?? true;
    if (microphone === false || !canPublish) return;
    if (microphone !== true && !(await microphoneAllowed())) return;
    if (this.#state === 'joining' || this.#state === 'joined') return; // a join came first: it opened its own
    try {
      await this.#microphone.prewarm();
    } catch { /* the join opens it again and reports why it cannot */ }
  }

  /** Whether a prewarm holds a signaling connection and/or the microphone (`{signaling, microphone}`). */
  get prewarmed() { return { signaling: this.#prewarm.connected, microphone: this.#microphone.prewarmed }; }

  /** Closes what prewarm() opened (not a call in progress); safe to call any time. */
  releasePrewarm() {
    if (this.#state === 'joining' || this.#state === 'joined') return;
    this.#prewarm.release();
  }

  /**
   * Opens the microphone, connects and joins `room` as `name`, or with an access `token` (token mode: room
   * and name come from it). Resolves once joined; rejects with a ParleyError (codes: microphone-*,
   * server-unreachable, room-full, invalid-name, token-expired, banned, room-locked, ...), never retried.
   * A token that does not let me publish opens no microphone at all.
   */
  async join({ url = signalingUrlFor(), room, name, muted = this.muted, stream = null, token, channel, password } = {}) {
    if (this.#state === 'joining' || this.#state === 'joined') {
      throw new ParleyError('invalid-state', `Already ${this.#state}.`);
    }
    const session = ++this.#session;
    this.#setState('joining');
    // The server verifies the token; reading it here only spares a listener's microphone.
    this.#publishing.reset(token == null ? true : decodeAccessToken(token)?.canPublish ?? true);
    if (Boolean(muted) !== this.muted) this.#voice.setMuted(muted);
    // What prewarm() opened: the join takes the connection (same url) and the microphone (same constraints).
    const warm = this.#prewarm.take(url);
    try {
      if (this.#publishing.allowed) await this.#microphone.openForJoin(stream, () => session === this.#session);
      else this.#microphone.releaseSpare();

      const link = this.#link = openRoomLink({ // the server, or WebTorrent trackers (room-links.js)
        url, options: this.#options, warm,
        identity: () => ({ room: this.#roomName ?? room, name: this.#self?.name ?? name, muted: this.muted,
          channel: this.#spatial.joinedChannel }),
      });
      const joined = await link.join({ room, name, muted: this.muted, token, channel: channelRequest(channel), password });
      if (session !== this.#session) throw new ParleyError('aborted', 'The join was cancelled.');
      this.#wire(link, session); // after the join: a fallback link knows by now which signaling it carries
      await this.#onJoined(joined, session);
      if (session !== this.#session) throw new ParleyError('aborted', 'The join was cancelled.');
      return { room: this.#roomName, self: this.#self, participants: this.participants.slice(1) };
    } catch (err) {
      if (!this.#link) warm?.client.close(); // failed before the link took it (the microphone)
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
      if (this.#state !== 'joined') {
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
  async setMicrophone(constraints = {}) { return this.#microphone.change(constraints, this.#state); }

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

  async #onJoined(joined, session) {
    this.#roomName = joined.room;
    this.#iceServers = Array.isArray(joined.iceServers) ? joined.iceServers : [];
    this.#self = new Participant({ ...joined.self, muted: this.muted, speaking: false }, true);
    this.#roomInfo.update(joined);
    this.#hearing.setSubscribing(this.#self.permissions.canSubscribe);
    if (!this.#self.permissions.canPublish) this.#microphone.release(); // a listener: no microphone at all
    this.#self.stream = this.#microphone.stream;
    this.#link.start(joined);
    this.#remotes.setSignalingUp(true);
    // Joined from here on, but `statechange` (the page's whole re-render) waits until the offers have started.
    const previous = this.#state;
    this.#state = 'joined';
    this.#publishing.apply(this.#self); // before any connection exists: they start recvonly if need be
    // We are the newcomer: we make the first offer to everyone already here, before anything else. The offers are
    // the critical path to hearing each other; the meter and the page's handlers of the events below take tens of
    // ms of this task (docs/benchmarks.md, "Join to hearing"). The others are announced after me, as before.
    const others = (joined.participants ?? []).filter((info) => info?.id && info.id !== this.#self.id);
    for (const info of others) this.#remotes.add(info, true, false);
    // The page's re-render may wait until these first connections are up (join-report.js: `joinReportMaxMs`): its
    // tens of ms of main-thread work would otherwise stand between the offers, the answers and the candidates.
    await firstConnections(others.map((info) => this.#remotes.peer(info.id)), this.#options.clock ?? SYSTEM_CLOCK,
      this.#options.joinReportMaxMs);
    if (session !== this.#session) return;
    this.#emit('statechange', { state: 'joined', previous });
    // The meter listens to a copy of the mic, so voice activation hears me while nothing is sent.
    const meterStream = this.#microphone.meter();
    if (meterStream) this.#startMeter(this.#self, meterStream);
    this.#emit('joined', { room: this.#roomName, self: this.#self });
    this.#emit('participant-joined', { participant: this.#self });
    this.#spatial.setChannel(joined.channel);
    for (const info of others) this.#remotes.announce(info.id);
  }

  /** Our `resume` succeeded: fresh ICE servers, keep what works, offer to the rest (remotes.js). */
  #onResumed(joined) {
    if (Array.isArray(joined.iceServers)) {
      this.#iceServers = joined.iceServers;
      if (!this.#options.iceServers) this.#remotes.setIceServers(joined.iceServers);
    }
    this.#onSelfInfo(joined.self);
    this.#onRoomInfo(joined);
    this.#spatial.setChannel(joined.channel);
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
      if (REMOVAL_CODES.has(error.code)) return this.#onRemoved(error);
      // unknown-participant: a relay to someone who just left (or has not resumed yet); harmless.
      if (error.code !== 'unknown-participant') this.#emit('error', { error });
    });
    on(signaling, 'participant-updated', (m) => { if (m.participant?.id === this.#self?.id) this.#onSelfInfo(m.participant); });
    on(signaling, 'room-updated', (m) => this.#onRoomInfo(m));
    on(signaling, 'data', (m) => {
      const payload = decodeBase64(m.payload ?? '');
      if (payload) this.#emit('data', { payload, topic: typeof m.topic === 'string' ? m.topic : null });
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
      // A resume refused as `banned`: the server revoked our ticket, we were removed while away.
      if (REMOVAL_CODES.has(error?.code) || error?.code === 'banned') return this.#onRemoved(error);
      this.#session++;
      this.#teardown();
      this.#emit('error', { error });
      this.#emit('closed', { reason: 'error', error });
    });
  }

  /** Removed by a moderator, or the room was deleted: every connection closes, no resume, `removed`. */
  #onRemoved(error) {
    this.#session++;
    this.#teardown();
    this.#emit('removed', { reason: error.code === 'room-deleted' ? 'room-deleted' : 'removed', error });
    this.#emit('closed', { reason: 'removed', error });
  }

  /** What the server says about me: permissions, server mute, name, metadata (my own mute stays mine). */
  #onSelfInfo(info) {
    const self = this.#self;
    if (!self || !info) return;
    const changes = self.applyInfo({ ...info, muted: undefined });
    if (!changes.length) return;
    this.#publishing.apply(self);
    if (this.#hearing.setSubscribing(self.permissions.canSubscribe)) this.#remotes.applyHearing();
    this.#emit('participant-updated', { participant: self, changes });
  }

  #onRoomInfo(message) {
    const changes = this.#roomInfo.update(message);
    if (changes.length) this.#emit('room-updated', { locked: this.locked, metadata: this.metadata, changes });
  }

  /** Meters `participant` (meters.js watch()); a remote stream yields samples only while an <audio> plays it. */
  #startMeter(participant, stream) {
    this.#meters.watch(participant, stream, { emit: (type, detail) => this.#emit(type, detail),
      self: { level: (level) => this.#voice.level(level), speaking: (detected) => this.#updateSelfSpeaking(detected) } });
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
    this.#spatial.reset();
    this.#microphone.release({ forgetConstraints: true });
    const link = this.#link;
    link?.close(); // 'disconnected' (signalingstatechange) while #link is still set
    this.#link = null;
    this.#self = null;
    this.#roomName = null;
    this.#roomInfo.reset();
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
