// RoomCall: a ParleyRoom's call (room.js), from join() to closed: idle -> joining -> joined -> closed (join() again
// from closed). It owns what a call knows: me, the room's name and info, the ICE servers, and the signaling link
// (room-links.js), whose events it turns into the room's: chat, data, errors, the link going down and coming back
// (`resume`), a moderator's removal, and what the server says about me. Every handler of a link is bound to the
// join that made it (`session`): nothing from a superseded call reaches the current one.

import { ParleyError } from './errors.js';
import { openRoomLink } from './room-links.js';
import { SYSTEM_CLOCK } from './clock.js';
import { chatEventFor } from './chat.js';
import { Participant } from './participant.js';
import { decodeAccessToken, decodeBase64 } from './token.js';
import { RoomInfo } from './room-info.js';
import { channelRequest } from './spatial-math.js';
import { firstConnections } from './join-report.js';

/** Errors that end my place in the room for good: no resume, `removed`. (`banned` on resume: removed while away.) */
const REMOVAL_CODES = new Set(['removed', 'room-deleted']);

export class RoomCall {
  #options; #parts; #host;
  #state = 'idle';
  #session = 0;
  #link = null;
  #self = null;
  #roomName = null;
  #iceServers = [];
  #roomInfo = new RoomInfo();

  /**
   * @param {object} o
   * @param {import('./parley').ParleyRoomOptions} o.options
   * @param {ReturnType<typeof import('./room-parts.js').createRoomParts>} o.parts
   * @param {object} o.host
   * @param {(type: string, detail: object) => void} o.host.emit a room event
   * @param {(participant: Participant, stream: MediaStream) => void} o.host.startMeter
   */
  constructor({ options, parts, host }) {
    this.#options = options;
    this.#parts = parts;
    this.#host = host;
  }

  /** idle | joining | joined | closed */
  get state() { return this.#state; }
  /** joining or joined: a join() now is refused, leave() has something to end. */
  get active() { return this.#state === 'joining' || this.#state === 'joined'; }
  get link() { return this.#link; }
  get self() { return this.#self; }
  get roomName() { return this.#roomName; }
  get iceServers() { return this.#iceServers; }
  get roomInfo() { return this.#roomInfo; }

  /** Everyone in the room while joined, self first. */
  participants() { return this.#self ? [this.#self, ...this.#parts.remotes.participants()] : []; }

  getParticipant(id) {
    return this.#self?.id === id ? this.#self : this.#parts.remotes.get(id);
  }

  /** ParleyRoom.join() with its defaults applied. */
  async join({ url, room, name, muted, stream, token, channel, password }) {
    if (this.active) throw new ParleyError('invalid-state', `Already ${this.#state}.`);
    const { voice, publishing, prewarm, microphone, spatial } = this.#parts;
    const session = ++this.#session;
    this.#setState('joining');
    // The server verifies the token; reading it here only spares a listener's microphone.
    publishing.reset(token == null ? true : decodeAccessToken(token)?.canPublish ?? true);
    if (Boolean(muted) !== voice.muted) voice.setMuted(muted);
    // What prewarm() opened: the join takes the connection (same url) and the microphone (same constraints).
    const warm = prewarm.take(url);
    try {
      if (publishing.allowed) await microphone.openForJoin(stream, () => session === this.#session);
      else microphone.releaseSpare();

      const link = this.#link = openRoomLink({ // the server, or WebTorrent trackers (room-links.js)
        url, options: this.#options, warm,
        identity: () => ({ room: this.#roomName ?? room, name: this.#self?.name ?? name, muted: voice.muted,
          channel: spatial.joinedChannel }),
      });
      // The offer made on the form goes with the join: the server hands it to the first participant it finds, one
      // relay sooner than sending it on `joined` (docs/protocol.md, "An offer with the join").
      const offer = publishing.sending ? this.#parts.offerAhead.offerFor(microphone.stream?.getAudioTracks()[0] ?? null) : null;
      const joined = await link.join({ room, name, muted: voice.muted, token, channel: channelRequest(channel), password, offer });
      if (session !== this.#session) throw new ParleyError('aborted', 'The join was cancelled.');
      this.#wire(link, session); // after the join: a fallback link knows by now which signaling it carries
      await this.#onJoined(joined, session);
      if (session !== this.#session) throw new ParleyError('aborted', 'The join was cancelled.');
      return { room: this.#roomName, self: this.#self, participants: this.participants().slice(1) };
    } catch (err) {
      if (!this.#link) warm?.client.close(); // failed before the link took it (the microphone)
      if (session === this.#session) this.#teardown();
      throw err;
    }
  }

  /** Ends a call that is joining or joined; does nothing otherwise. */
  leave() {
    if (!this.active) return;
    this.#session++;
    this.#parts.remotes.sayBye();
    this.#link?.leave();
    this.#teardown();
    this.#host.emit('closed', { reason: 'left' });
  }

  /** Tells the others my `state` ({muted, speaking}) while joined and the link is up. */
  publish(state) {
    if (this.#state !== 'joined' || !this.#link?.up) return;
    try { this.#link.signaling.sendState(state); } catch (err) { this.#host.emit('error', { error: err }); }
  }

  async #onJoined(joined, session) {
    const { hearing, microphone, remotes, publishing, spatial, voice } = this.#parts;
    const emit = this.#host.emit;
    this.#roomName = joined.room;
    this.#iceServers = Array.isArray(joined.iceServers) ? joined.iceServers : [];
    this.#self = new Participant({ ...joined.self, muted: voice.muted, speaking: false }, true);
    this.#roomInfo.update(joined);
    hearing.setSubscribing(this.#self.permissions.canSubscribe);
    if (!this.#self.permissions.canPublish) microphone.release(); // a listener: no microphone at all
    this.#self.stream = microphone.stream;
    this.#link.start(joined);
    remotes.setSignalingUp(true);
    // Joined from here on, but `statechange` (the page's whole re-render) waits until the offers have started.
    const previous = this.#state;
    this.#state = 'joined';
    publishing.apply(this.#self); // before any connection exists: they start recvonly if need be
    // We are the newcomer: we make the first offer to everyone already here, before anything else. The offers are
    // the critical path to hearing each other; the meter and the page's handlers of the events below take tens of
    // ms of this task (docs/benchmarks.md, "Join to hearing"). The others are announced after me, as before.
    const others = (joined.participants ?? []).filter((info) => info?.id && info.id !== this.#self.id);
    this.#parts.offerAhead.settle(joined.offerTo);
    for (const info of others) remotes.add(info, true, false);
    this.#parts.offerAhead.release(); // made ahead for a room that was empty (or not taken): not kept
    // The page's re-render may wait until these first connections are up (join-report.js: `joinReportMaxMs`): its
    // tens of ms of main-thread work would otherwise stand between the offers, the answers and the candidates.
    await firstConnections(others.map((info) => remotes.peer(info.id)), this.#options.clock ?? SYSTEM_CLOCK,
      this.#options.joinReportMaxMs);
    if (session !== this.#session) return;
    emit('statechange', { state: 'joined', previous });
    // The meter listens to a copy of the mic, so voice activation hears me while nothing is sent.
    const meterStream = microphone.meter();
    if (meterStream) this.#host.startMeter(this.#self, meterStream);
    emit('joined', { room: this.#roomName, self: this.#self });
    emit('participant-joined', { participant: this.#self });
    spatial.setChannel(joined.channel);
    for (const info of others) remotes.announce(info.id);
  }

  /** Our `resume` succeeded: fresh ICE servers, keep what works, offer to the rest (remotes.js). */
  #onResumed(joined) {
    const { remotes, spatial } = this.#parts;
    if (Array.isArray(joined.iceServers)) {
      this.#iceServers = joined.iceServers;
      if (!this.#options.iceServers) remotes.setIceServers(joined.iceServers);
    }
    this.#onSelfInfo(joined.self);
    this.#onRoomInfo(joined);
    spatial.setChannel(joined.channel);
    remotes.onResumed(joined);
    remotes.setSignalingUp(true);
    // `resume` carried `muted`; what we say about speaking was lost with the old socket.
    if (this.#self?.speaking) this.publish({ speaking: true });
    this.#host.emit('reconnected', { resumed: joined.resumed === true });
  }

  #wire(link, session) {
    const emit = this.#host.emit;
    const guard = (handler) => (ev) => {
      if (session === this.#session && this.#state === 'joined') handler(ev.detail);
    };
    const on = (target, type, handler) => target.addEventListener(type, guard(handler));
    const { signaling } = link;
    this.#parts.remotes.listen(signaling, guard);
    on(signaling, 'chat', (m) => emit('chat', chatEventFor(m, this.getParticipant(m.from))));
    on(signaling, 'server-error', ({ error }) => {
      if (REMOVAL_CODES.has(error.code)) return this.#onRemoved(error);
      // unknown-participant: a relay to someone who just left (or has not resumed yet); harmless.
      if (error.code !== 'unknown-participant') emit('error', { error });
    });
    on(signaling, 'participant-updated', (m) => { if (m.participant?.id === this.#self?.id) this.#onSelfInfo(m.participant); });
    on(signaling, 'room-updated', (m) => this.#onRoomInfo(m));
    on(signaling, 'data', (m) => {
      const payload = decodeBase64(m.payload ?? '');
      if (payload) emit('data', { payload, topic: typeof m.topic === 'string' ? m.topic : null });
    });
    // Signaling down or back: the call goes on; the page shows it (signalingState).
    link.addEventListener('statechange', ({ detail }) => {
      if (this.#link === link) emit('signalingstatechange', detail);
    });
    on(link, 'reconnecting', (detail) => {
      this.#parts.remotes.setSignalingUp(false);
      emit('reconnecting', detail);
    });
    on(link, 'resumed', ({ joined }) => this.#onResumed(joined));
    on(link, 'failed', ({ error }) => {
      // A resume refused as `banned`: the server revoked our ticket, we were removed while away.
      if (REMOVAL_CODES.has(error?.code) || error?.code === 'banned') return this.#onRemoved(error);
      this.#session++;
      this.#teardown();
      emit('error', { error });
      emit('closed', { reason: 'error', error });
    });
  }

  /** Removed by a moderator, or the room was deleted: every connection closes, no resume, `removed`. */
  #onRemoved(error) {
    this.#session++;
    this.#teardown();
    this.#host.emit('removed', { reason: error.code === 'room-deleted' ? 'room-deleted' : 'removed', error });
    this.#host.emit('closed', { reason: 'removed', error });
  }

  /** What the server says about me: permissions, server mute, name, metadata (my own mute stays mine). */
  #onSelfInfo(info) {
    const self = this.#self;
    if (!self || !info) return;
    const changes = self.applyInfo({ ...info, muted: undefined });
    if (!changes.length) return;
    this.#parts.publishing.apply(self);
    if (this.#parts.hearing.setSubscribing(self.permissions.canSubscribe)) this.#parts.remotes.applyHearing();
    this.#host.emit('participant-updated', { participant: self, changes });
  }

  #onRoomInfo(message) {
    const changes = this.#roomInfo.update(message);
    if (changes.length) {
      this.#host.emit('room-updated', { locked: this.#roomInfo.locked, metadata: this.#roomInfo.metadata, changes });
    }
  }

  /** Releases everything; safe to call twice. */
  #teardown() {
    const { remotes, meters, spatial, microphone, offerAhead } = this.#parts;
    offerAhead.release();
    remotes.clear();
    meters.stopAll();
    spatial.reset();
    microphone.release({ forgetConstraints: true });
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
    this.#host.emit('statechange', { state: next, previous });
  }
}
