// MeetingPeers: the others of a tracker room, each reached over one MeetingConnection (meeting-connection.js), and
// the Parley messages between us: what the server relays in a server room, here sent peer to peer
// (docs/protocol.md, "Meeting through WebTorrent trackers"). It turns them into the events a SignalingClient emits
// (participant-joined, participant-left, participant-state, chat, offer, answer, candidate), so the room, RemotePeers
// and PeerSession work as they do with a server.
//
// Nobody checks what a peer sends here, so this does what the server would: a message is a JSON object of a known
// type with fields of the right type and size, chat and names within the room's limits, at most messagesPerSecond
// (burst messageBurst) from each peer; anything else is dropped. A peer's own id is the one the tracker routed its
// offer or answer by, sealed with the room's key (tracker-crypto.js): it cannot claim another's.
//
// Links: one per pair (tracker-pairing.js decides which when two come up). A peer becomes a participant with its
// first `hello`, on its open link; it leaves when it says `bye` or when its last link closes.

import { TokenBucket } from './ratelimit.js';

/** A link that is not open this long after its offer or answer went out is given up (the far side is gone). */
export const LINK_OPEN_TIMEOUT_MS = 20_000;

export class MeetingPeers {
  #host; #limits;
  /** linkKey -> {peerId, conn, timer} */
  #links = new Map();
  /** peerId -> {active: linkKey|null, participant: object|null, bucket} */
  #peers = new Map();

  /**
   * @param {object} host
   * @param {import('./tracker-pairing.js').TrackerPairing} host.pairing
   * @param {() => {id: string, name: string, muted: boolean, speaking: boolean}} host.self
   * @param {(type: string, detail: object) => void} host.emit SignalingClient-shaped events
   * @param {{setTimeout: Function, clearTimeout: Function, now: () => number}} host.clock
   * @param {object} limits DEFAULT_LIMITS-shaped
   */
  constructor(host, limits) {
    this.#host = host;
    this.#limits = limits;
  }

  /** Ids of the participants (peers that said hello on an open link). */
  participantIds() { return [...this.#peers].filter(([, p]) => p.participant).map(([id]) => id); }

  /** Takes `conn`, the link `key` to `peerId` being set up (an offer of theirs I answered, or my offer they answered). */
  adopt(peerId, key, conn) {
    const link = { peerId, conn, timer: null };
    this.#links.set(key, link);
    if (!this.#peers.has(peerId)) this.#peers.set(peerId, { active: null, participant: null, bucket: this.#bucket() });
    const clock = this.#host.clock;
    link.timer = clock.setTimeout(() => { if (!conn.open) conn.close(); }, LINK_OPEN_TIMEOUT_MS);
    conn.addEventListener('open', () => { clock.clearTimeout(link.timer); this.#onOpen(peerId, key); });
    conn.addEventListener('close', () => { clock.clearTimeout(link.timer); this.#onClose(peerId, key); });
    // Any open link of theirs is heard, not only the one we send on: while a pair moves to the link both keep, the
    // far side may switch a moment before we do, and what it sends meanwhile must not be lost.
    conn.addEventListener('message', ({ detail }) => {
      if (this.#links.has(key) && this.#peers.has(peerId)) this.#onMessage(peerId, detail.message);
    });
    if (conn.closed) this.#onClose(peerId, key);
  }

  /** Sends `message` to participant `peerId` on its link; false when there is none open. */
  send(peerId, message) {
    const active = this.#peers.get(peerId)?.active;
    return active ? this.#links.get(active)?.conn.send(message) ?? false : false;
  }

  /** Sends `message` to every participant. */
  broadcast(message) {
    for (const id of this.participantIds()) this.send(id, message);
  }

  /** Closes every link without events (the room is left or closed). */
  clear() {
    const links = [...this.#links.values()];
    this.#links.clear();
    this.#peers.clear();
    for (const { conn, timer } of links) {
      this.#host.clock.clearTimeout(timer);
      conn.close();
    }
  }

  #bucket() {
    const { messagesPerSecond, messageBurst } = this.#limits;
    return new TokenBucket({ rate: messagesPerSecond, burst: messageBurst, now: () => this.#host.clock.now() });
  }

  /** A link opened: it carries the pair's messages unless a link both sides prefer is open too. */
  #onOpen(peerId, key) {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    const preferred = this.#host.pairing.preferred(peerId);
    if (peer.active === null || (key === preferred && peer.active !== key)) {
      const previous = peer.active;
      peer.active = key;
      this.#sayHello(key);
      if (previous) this.#links.get(previous)?.conn.close();
    } else if (key !== preferred) {
      this.#links.get(key)?.conn.close();
    }
  }

  #onClose(peerId, key) {
    if (!this.#links.delete(key)) return;
    this.#host.pairing.dropped(peerId, key);
    const peer = this.#peers.get(peerId);
    if (!peer || peer.active !== key) return;
    peer.active = null;
    const next = [...this.#links].find(([, l]) => l.peerId === peerId && l.conn.open);
    if (next) {
      peer.active = next[0];
      this.#sayHello(next[0]);
    } else if (![...this.#links.values()].some((l) => l.peerId === peerId)) {
      this.#remove(peerId, 'disconnected');
    }
    // else: another link to them is still being set up; its open (or its close) decides.
  }

  #sayHello(key) {
    const { name, muted, speaking } = this.#host.self();
    this.#links.get(key)?.conn.send({ type: 'hello', protocol: 1, name, muted, speaking });
  }

  #remove(peerId, reason) {
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    for (const [key, link] of [...this.#links]) {
      if (link.peerId !== peerId) continue;
      this.#links.delete(key);
      this.#host.pairing.dropped(peerId, key);
      this.#host.clock.clearTimeout(link.timer);
      link.conn.close();
    }
    if (peer.participant) this.#host.emit('participant-left', { type: 'participant-left', id: peerId, reason });
  }

  #onMessage(peerId, message) {
    const peer = this.#peers.get(peerId);
    if (!peer.bucket.tryTake()) return; // over the rate a server would allow: dropped
    const limits = this.#limits;
    switch (message.type) {
      case 'hello': {
        if (!validName(message.name, limits.maxDisplayNameLength)) return;
        const info = { id: peerId, name: message.name.trim(), muted: message.muted === true, speaking: message.speaking === true };
        if (!peer.participant) {
          peer.participant = info;
          // Who makes the first audio offer (PeerSession's newcomer): the lower id, as both sides can tell.
          this.#host.emit('participant-joined', { type: 'participant-joined', participant: info, initiator: this.#host.self().id < peerId });
        } else {
          this.#host.emit('participant-state', { type: 'participant-state', id: peerId, muted: info.muted, speaking: info.speaking });
        }
        return;
      }
      case 'bye': return this.#remove(peerId, 'left');
    }
    if (!peer.participant) return; // everything else comes after hello
    switch (message.type) {
      case 'state': {
        const state = { type: 'participant-state', id: peerId };
        if (typeof message.muted === 'boolean') state.muted = message.muted;
        if (typeof message.speaking === 'boolean') state.speaking = message.speaking;
        return this.#host.emit('participant-state', state);
      }
      case 'chat': {
        const text = typeof message.text === 'string' ? message.text.trim() : '';
        if (!text || text.length > limits.maxChatLength) return;
        // The time is ours: a peer's clock says nothing we can trust.
        return this.#host.emit('chat', { type: 'chat', from: peerId, name: peer.participant.name, text, time: this.#host.clock.now() });
      }
      case 'offer':
      case 'answer':
        if (typeof message.sdp !== 'string' || message.sdp.length === 0) return;
        return this.#host.emit(message.type, { type: message.type, from: peerId, sdp: message.sdp });
      case 'candidate':
        if (message.candidate !== null && (typeof message.candidate !== 'object' || Array.isArray(message.candidate))) return;
        return this.#host.emit('candidate', { type: 'candidate', from: peerId, candidate: message.candidate });
      default: // unknown types are ignored, as a newer peer may send more
    }
  }
}

function validName(name, maxLength) {
  if (typeof name !== 'string') return false;
  const trimmed = name.trim();
  return trimmed.length > 0 && trimmed.length <= maxLength && !/[\u0000-\u001f\u007f]/.test(trimmed);
}
