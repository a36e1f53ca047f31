// TrackerSignaling: a room met through WebTorrent trackers instead of a Parley server (docs/protocol.md, "Meeting
// through WebTorrent trackers"), with the shape of SignalingClient that the room uses: state, limits, join(),
// leave(), close(), the send* methods and the same events. Nothing of it goes to a Parley server.
//
//   join: the room name and password derive the swarm (info_hash) and the key (tracker-crypto.js); my participant
//     id is a random 20-character peer_id; `joined` is made up here, with nobody else in it.
//   meeting: every tracker gets announces carrying sealed offers (non-trickle SDP of a MeetingConnection); the tracker
//     hands each to one other peer of the swarm, who answers through it. Offers and answers are deduplicated across
//     trackers and one link per pair is kept (tracker-pairing.js).
//   then: each pair's link carries hello, state, chat and the audio connection's offers, answers and candidates
//     (meeting-peers.js); the tracker is not needed by that pair any more.
//
// What a server does and nothing here can: TURN credentials (only `iceServers` the app passes), moderation, access
// tokens, resuming a place after a reload, a room limit anyone must respect (each page holds to its own limit).

import { ParleyError } from './errors.js';
import { DEFAULT_LIMITS } from './signaling-protocol.js';
import { SYSTEM_CLOCK } from './clock.js';
import { deriveRoomSecrets, sealSdp, openSdp, sealContext, randomPeerId } from './tracker-crypto.js';
import { TrackerPairing, linkKey } from './tracker-pairing.js';
import { TrackerSocket } from './tracker-socket.js';
import { MeetingConnection } from './meeting-connection.js';
import { MeetingPeers } from './meeting-peers.js';

/** Announces: at most this often (a tracker's longer `interval` is not waited for), with at most MAX_OFFERS offers. */
export const TRACKER_TIMING = Object.freeze({ announceMs: 20_000, joinTimeoutMs: 15_000 });
const MAX_OFFERS = 5; // what bittorrent-tracker's client sends; Parley's tracker takes up to 10, aquatic 10
const FIRST_OFFERS = 3; // before the swarm's size is known (Trystero's number)

/** The tracker URLs of an option: one URL, a list, or a comma-separated list; each must be ws:// or wss://. */
export function trackerUrls(option) {
  const list = (Array.isArray(option) ? option : String(option ?? '').split(',')).map((u) => String(u).trim()).filter(Boolean);
  for (const url of list) {
    if (!/^wss?:\/\/[^\s]+$/i.test(url)) throw new ParleyError('invalid-state', `A tracker URL must be ws:// or wss://, not '${url}'.`);
  }
  return [...new Set(list)];
}

export class TrackerSignaling extends EventTarget {
  #urls; #impl; #clock; #random; #timing;
  #state = 'idle';
  #secrets = null;
  #pairing = null;
  #peers = null;
  #sockets = [];
  /** offer_id -> MeetingConnection (my offers waiting for an answer) */
  #offers = new Map();
  #self = null;
  #joined = null;
  #timer = null;
  #abortJoin = null;

  /**
   * @param {object} o
   * @param {string|string[]} o.trackers ws(s):// tracker URLs
   * @param {typeof WebSocket} [o.WebSocket]
   * @param {typeof RTCPeerConnection} [o.RTCPeerConnection]
   * @param {RTCConfiguration} [o.rtcConfig] for the meeting connections (iceServers included)
   * @param {object} [o.clock] @param {() => number} [o.random]
   * @param {{announceMs?: number, joinTimeoutMs?: number}} [o.timing]
   */
  constructor({ trackers, WebSocket, RTCPeerConnection, rtcConfig = {}, clock = SYSTEM_CLOCK, random = Math.random, timing } = {}) {
    super();
    this.#urls = trackerUrls(trackers);
    if (this.#urls.length === 0) throw new ParleyError('invalid-state', 'No tracker URL given.');
    this.#impl = { WebSocket: WebSocket ?? globalThis.WebSocket, RTCPeerConnection, rtcConfig };
    this.#clock = clock;
    this.#random = random;
    this.#timing = { ...TRACKER_TIMING, ...timing };
  }

  /** idle | connecting | joined | open (left) | closed: the states of SignalingClient that apply. */
  get state() { return this.#state; }
  get limits() { return { ...DEFAULT_LIMITS }; }
  get hello() { return null; }
  get transport() { return this.#state === 'joined' ? 'tracker' : null; }
  get session() { return this.#state === 'joined' ? this.#joined : null; }
  /** The swarm's info_hash (null before join): what the trackers see of the room. */
  get infoHash() { return this.#secrets?.infoHash ?? null; }
  /** How many trackers are connected right now. */
  get trackersConnected() { return this.#sockets.filter((s) => s.open).length; }

  /**
   * Joins `room` (as `name`, with `password`: '' or absent for none): resolves with a `joined` made here once a
   * tracker is connected; rejects with tracker-unreachable when none is within joinTimeoutMs.
   */
  async join({ room, name, muted = false, password = '' }) {
    if (this.#state !== 'idle') throw new ParleyError('invalid-state', `Cannot join while ${this.#state}.`);
    const limits = DEFAULT_LIMITS;
    room = String(room ?? '').trim();
    name = String(name ?? '').trim();
    if (!room || room.length > limits.maxRoomNameLength) throw new ParleyError('invalid-room', 'The room name is empty or too long.');
    if (!name || name.length > limits.maxDisplayNameLength) throw new ParleyError('invalid-name', 'The name is empty or too long.');
    this.#state = 'connecting';
    const secrets = await deriveRoomSecrets(room, password);
    if (this.#state !== 'connecting') throw new ParleyError('aborted', 'The join was cancelled.');
    this.#secrets = secrets;
    this.#self = { id: randomPeerId(), name, muted: Boolean(muted), speaking: false };
    this.#pairing = new TrackerPairing({ selfId: this.#self.id, maxPeers: limits.maxParticipantsPerRoom - 1 });
    this.#peers = new MeetingPeers({
      pairing: this.#pairing, self: () => this.#self, clock: this.#clock, emit: (type, detail) => this.#emit(type, detail),
    }, limits);
    await this.#connectTrackers();
    this.#abortJoin = null;
    this.#state = 'joined';
    this.#joined = {
      type: 'joined', room, self: { id: this.#self.id, name, muted: this.#self.muted, speaking: false },
      participants: [], iceServers: this.#impl.rtcConfig.iceServers ?? [], resumeToken: null, locked: false, metadata: '', channel: null,
    };
    this.#announce(this.#sockets.filter((s) => s.open), 'started').catch(() => {});
    this.#schedule();
    return this.#joined;
  }

  /** Opens every tracker; resolves when the first one is open. */
  #connectTrackers() {
    return new Promise((resolve, reject) => {
      const failures = [];
      this.#abortJoin = () => { this.#clock.clearTimeout(timer); reject(new ParleyError('aborted', 'The join was cancelled.')); };
      const timer = this.#clock.setTimeout(() => {
        this.#stopTrackers();
        this.#state = 'closed';
        reject(new ParleyError('tracker-unreachable', `No tracker could be reached (${this.#urls.join(', ')})${failures.length ? `: ${failures.at(-1)}` : ''}.`));
      }, this.#timing.joinTimeoutMs);
      const handlers = {
        onOpen: (socket) => {
          this.#clock.clearTimeout(timer);
          resolve();
          // A tracker that opens (or reopens) later is announced to at once; the first ones once joined.
          if (this.#state === 'joined') this.#announce([socket], 'started').catch(() => {});
        },
        onOffer: (msg, socket) => { this.#onOffer(msg, socket).catch(() => {}); },
        onAnswer: (msg) => { this.#onAnswer(msg).catch(() => {}); },
        onFailure: (reason) => { failures.push(reason); console.warn(`Parley: tracker ${reason}`); },
      };
      this.#sockets = this.#urls.map((url) => new TrackerSocket({
        url, WebSocket: this.#impl.WebSocket, clock: this.#clock, random: this.#random, handlers, infoHash: this.#secrets.infoHash,
      }));
      for (const socket of this.#sockets) socket.start();
    });
  }

  /** Announces to `sockets`, with fresh offers if the swarm may hold peers I have not met. */
  async #announce(sockets, event) {
    const { infoHash } = this.#secrets;
    const selfId = this.#self.id;
    const offers = [];
    for (let i = this.#offersWanted(sockets); i > 0 && this.#state === 'joined'; i--) {
      const conn = this.#newConnection();
      const offerId = randomPeerId();
      try {
        const sdp = await conn.createOffer();
        const sealed = await sealSdp(this.#secrets.key, sdp, sealContext(infoHash, 'offer', selfId, offerId));
        if (this.#state !== 'joined') { conn.close(); break; }
        this.#offers.set(offerId, conn);
        this.#pairing.offered(offerId, this.#clock.now());
        offers.push({ offer_id: offerId, offer: { type: 'offer', sdp: sealed } });
      } catch {
        conn.close();
      }
    }
    if (this.#state !== 'joined') return;
    for (const socket of sockets) {
      socket.send({ action: 'announce', event, info_hash: infoHash, peer_id: selfId, numwant: offers.length,
        uploaded: 0, downloaded: 0, left: 1, offers });
    }
  }

  /** How many offers an announce carries: up to the peers of the swarm I have no link with yet. */
  #offersWanted(sockets) {
    const sizes = sockets.map((s) => s.swarmSize).filter((n) => n !== null);
    const free = this.#pairing.peerCount >= DEFAULT_LIMITS.maxParticipantsPerRoom - 1 ? 0 : MAX_OFFERS;
    if (sizes.length === 0) return Math.min(FIRST_OFFERS, free);
    return Math.max(0, Math.min(free, Math.max(...sizes) - 1 - this.#pairing.peerCount));
  }

  #schedule() {
    const intervals = this.#sockets.map((s) => (s.interval ?? Infinity) * 1000);
    const delay = Math.max(1000, Math.min(this.#timing.announceMs, ...intervals));
    this.#timer = this.#clock.setTimeout(() => {
      if (this.#state !== 'joined') return;
      for (const offerId of this.#pairing.expire(this.#clock.now())) {
        this.#offers.get(offerId)?.close();
        this.#offers.delete(offerId);
      }
      this.#announce(this.#sockets.filter((s) => s.open), 'update').catch(() => {});
      this.#schedule();
    }, delay);
  }

  async #onOffer(msg, socket) {
    if (this.#state !== 'joined' || msg.offer.type !== 'offer') return;
    const { peer_id: from, offer_id: offerId } = msg;
    if (this.#pairing.onOffer(from, offerId, this.#clock.now()) !== 'answer') return;
    const key = linkKey(from, offerId);
    const { infoHash } = this.#secrets;
    const conn = this.#newConnection();
    this.#peers.adopt(from, key, conn); // from now on its close (any failure below) forgets the link
    const sdp = await openSdp(this.#secrets.key, msg.offer.sdp, sealContext(infoHash, 'offer', from, offerId));
    if (sdp === null || this.#state !== 'joined') { conn.close(); return; }
    try {
      const answer = await conn.acceptOffer(sdp);
      const sealed = await sealSdp(this.#secrets.key, answer, sealContext(infoHash, 'answer', this.#self.id, offerId));
      if (conn.closed || this.#state !== 'joined') return;
      socket.send({ action: 'announce', info_hash: infoHash, peer_id: this.#self.id, to_peer_id: from, offer_id: offerId,
        answer: { type: 'answer', sdp: sealed } });
    } catch {
      conn.close();
    }
  }

  async #onAnswer(msg) {
    const { peer_id: from, offer_id: offerId } = msg;
    const conn = this.#offers.get(offerId);
    if (this.#state !== 'joined' || !conn || msg.answer.type !== 'answer') return;
    // Opened before the pairing takes the offer: an answer that does not open (forged, another room) uses up nothing.
    const sdp = await openSdp(this.#secrets.key, msg.answer.sdp, sealContext(this.#secrets.infoHash, 'answer', from, offerId));
    if (sdp === null || this.#state !== 'joined') return;
    if (this.#pairing.onAnswer(from, offerId, this.#clock.now()) !== 'accept') return;
    this.#offers.delete(offerId);
    this.#peers.adopt(from, linkKey(this.#self.id, offerId), conn);
    try { await conn.acceptAnswer(sdp); } catch { conn.close(); }
  }

  #newConnection() {
    const { RTCPeerConnection, rtcConfig } = this.#impl;
    return new MeetingConnection({ RTCPeerConnection, rtcConfig, clock: this.#clock });
  }

  sendOffer(to, sdp) { this.#sendTo(to, { type: 'offer', sdp }); }
  sendAnswer(to, sdp) { this.#sendTo(to, { type: 'answer', sdp }); }
  sendCandidate(to, candidate) { this.#sendTo(to, { type: 'candidate', candidate }); }

  /** @param {{muted?: boolean, speaking?: boolean}} state */
  sendState(state) {
    this.#requireJoined();
    const change = {};
    for (const key of ['muted', 'speaking']) if (typeof state?.[key] === 'boolean') change[key] = this.#self[key] = state[key];
    this.#peers.broadcast({ type: 'state', ...change });
  }

  /** Sends a chat message to everyone; I get it back as a `chat` event, as from a server. */
  sendChat(text) {
    this.#requireJoined();
    this.#peers.broadcast({ type: 'chat', text });
    this.#emit('chat', { type: 'chat', from: this.#self.id, name: this.#self.name, text, time: this.#clock.now() });
  }

  /** Our audio connection to `id` stopped working: without its meeting link either, they are gone. */
  sendPeerLost(id) {
    this.#requireJoined();
    if (!this.#peers.send(id, { type: 'ping' })) this.#emit('participant-left', { type: 'participant-left', id, reason: 'disconnected' });
  }

  ping() { /* nobody to ping: each link is its own liveness */ }
  sendMuteParticipant() { throw needsServer('Server mutes'); }
  sendMuteAll() { throw needsServer('Server mutes'); }
  sendRemoveParticipant() { throw needsServer('Removing a participant'); }
  sendLockRoom() { throw needsServer('Locking a room'); }
  sendUpdateSelf() { throw needsServer('Updating your name or metadata'); }

  /** Says goodbye on every link and to every tracker; the connections stay up until close(). */
  leave() {
    if (this.#state !== 'joined') return;
    this.#peers.broadcast({ type: 'bye' });
    for (const socket of this.#sockets) {
      socket.send({ action: 'announce', event: 'stopped', info_hash: this.#secrets.infoHash, peer_id: this.#self.id,
        numwant: 0, uploaded: 0, downloaded: 0, left: 1 });
    }
    this.#state = 'open'; // not joined any more: nothing else is sent
  }

  /** Closes every tracker socket and every link. Safe to call any time, any number of times. */
  close() {
    if (this.#state === 'closed' && this.#sockets.length === 0) return;
    this.#state = 'closed';
    this.#clock.clearTimeout(this.#timer);
    this.#stopTrackers();
    for (const conn of this.#offers.values()) conn.close();
    this.#offers.clear();
    this.#peers?.clear();
    this.#joined = null;
    this.#abortJoin?.();
    this.#abortJoin = null;
    this.#emit('close', { error: null, code: 1000, reason: 'closed by client' });
  }

  #stopTrackers() {
    for (const socket of this.#sockets) socket.stop();
    this.#sockets = [];
  }

  #sendTo(to, message) {
    this.#requireJoined();
    this.#peers.send(to, message);
  }

  #requireJoined() {
    if (this.#state !== 'joined') throw new ParleyError('not-connected', 'Not in the tracker room.');
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function needsServer(what) {
  return new ParleyError('needs-server', `${what} needs a Parley server: a room met through trackers has none.`);
}
