// TrackerSocket: the WebSocket to one WebTorrent tracker (docs/protocol.md, "Meeting through WebTorrent trackers"),
// reopened with backoff while the room is joined: public trackers go down and come back (trystero#165). It knows
// the tracker protocol's shapes only; what to announce and what to do with an offer or answer is the caller's
// (tracker-signaling.js).
//
// Messages in: {action: 'announce', interval?, complete?, incomplete?, info_hash} (a reply),
// {action: 'announce', offer, offer_id, peer_id, info_hash} (an offer for me), {action: 'announce', answer, offer_id,
// peer_id, info_hash} (an answer to my offer), {'failure reason', ...}, {'warning message', ...}.

import { backoffDelayMs } from './reconnect.js';

/** Reopening a tracker: 1-2 s first, at most a minute apart (bittorrent-tracker's client waits up to an hour). */
export const TRACKER_BACKOFF = Object.freeze({ minMs: 1000, firstMs: 2000, maxMs: 60_000 });

/** A message larger than this is not read (aquatic's limit; an offer with a whole SDP is 2-6 KB). */
const MAX_TRACKER_MESSAGE = 64 * 1024;

export class TrackerSocket {
  #url; #WebSocket; #clock; #random; #handlers;
  #ws = null;
  #timer = null;
  #failures = 0;
  #stopped = false;
  /** Seconds between announces, as the tracker last said (null until it does). */
  interval = null;
  /** complete + incomplete of the last reply: the swarm's size, me included (null until known). */
  swarmSize = null;

  /**
   * @param {object} o
   * @param {string} o.url ws:// or wss:// URL of the tracker
   * @param {{onOpen: (socket: TrackerSocket) => void, onOffer: Function, onAnswer: Function, onFailure?: Function}} o.handlers
   *   onOffer({offer, offer_id, peer_id}, socket), onAnswer({answer, offer_id, peer_id}, socket), onFailure(reason)
   * @param {string} o.infoHash replies about another swarm are ignored
   */
  constructor({ url, WebSocket: Impl = globalThis.WebSocket, clock, random = Math.random, handlers, infoHash }) {
    this.#url = url;
    this.#WebSocket = Impl;
    this.#clock = clock;
    this.#random = random;
    this.#handlers = handlers;
    this.infoHash = infoHash;
  }

  get url() { return this.#url; }
  get open() { return this.#ws?.readyState === 1; }

  /** Opens the socket (again after a close, with backoff, until stop()). */
  start() {
    this.#stopped = false;
    this.#connect();
  }

  /** Sends one message if the socket is open; returns whether it was sent. */
  send(message) {
    if (!this.open) return false;
    try {
      this.#ws.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Closes for good; safe to call twice. */
  stop() {
    this.#stopped = true;
    this.#clock.clearTimeout(this.#timer);
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* closing already */ }
    }
  }

  #connect() {
    if (this.#stopped) return;
    let ws;
    try {
      ws = this.#ws = new this.#WebSocket(this.#url);
    } catch (err) {
      this.#handlers.onFailure?.(`Cannot open ${this.#url}: ${err?.message ?? err}`);
      this.#retry();
      return;
    }
    ws.onopen = () => {
      if (ws !== this.#ws) return;
      this.#failures = 0;
      this.#handlers.onOpen(this);
    };
    ws.onmessage = ({ data }) => { if (ws === this.#ws) this.#onMessage(data); };
    ws.onerror = () => { /* a close event follows */ };
    ws.onclose = () => {
      if (ws !== this.#ws) return;
      this.#ws = null;
      this.#retry();
    };
  }

  #retry() {
    if (this.#stopped) return;
    const delay = backoffDelayMs(this.#failures++, this.#random, TRACKER_BACKOFF);
    this.#timer = this.#clock.setTimeout(() => this.#connect(), delay);
  }

  #onMessage(data) {
    if (typeof data !== 'string' || data.length > MAX_TRACKER_MESSAGE) return;
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg !== 'object') return;
    const failure = msg['failure reason'];
    if (typeof failure === 'string') { this.#handlers.onFailure?.(`${this.#url}: ${failure}`); return; }
    if (msg.action !== 'announce' || msg.info_hash !== this.infoHash) return;
    if (Number.isFinite(msg.interval) && msg.interval > 0) this.interval = msg.interval;
    if (Number.isFinite(msg.complete) && Number.isFinite(msg.incomplete)) this.swarmSize = msg.complete + msg.incomplete;
    if (typeof msg.peer_id !== 'string' || msg.peer_id.length !== 20 || typeof msg.offer_id !== 'string') return;
    if (msg.offer && typeof msg.offer === 'object') this.#handlers.onOffer(msg, this);
    else if (msg.answer && typeof msg.answer === 'object') this.#handlers.onAnswer(msg, this);
  }
}
