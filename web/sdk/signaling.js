// SignalingClient: the Parley signaling protocol v1 (docs/protocol.md) over one WebSocket.
//
// An explicit state machine:   idle -> connecting -> open -> joined -> closed
//   connect()  idle|closed -> connecting; `hello` -> open
//   join()     open -> joined (on `joined`);  leave(): joined -> open
//   close(), or losing the socket: any -> closed.  connect() again starts a new attempt.
// Every socket callback carries the attempt number it was created for; events from a superseded
// attempt are dropped.

import { ParleyError, FATAL_SERVER_CODES } from './errors.js';
import { ThrottledSender } from './ratelimit.js';

export const PROTOCOL_VERSION = 1;

export const DEFAULT_LIMITS = Object.freeze({
  maxMessageBytes: 65536, maxParticipantsPerRoom: 16, messagesPerSecond: 50,
  messageBurst: 200, maxRoomNameLength: 64, maxDisplayNameLength: 32, maxChatLength: 500,
});

const TRANSITIONS = {
  idle: ['connecting', 'closed'],
  connecting: ['connecting', 'open', 'closed'],
  open: ['connecting', 'joined', 'closed'],
  joined: ['connecting', 'open', 'closed'],
  closed: ['connecting', 'closed'],
};

/** Server codes that answer a `join` even when `ref` is missing. */
const JOIN_ERRORS = new Set(['unsupported-protocol', 'invalid-room', 'invalid-name', 'room-full',
  'server-full', 'already-joined']);

/** Messages re-emitted as events of the same name, with the message as `detail`. */
const RELAYED = new Set(['participant-joined', 'participant-left', 'participant-state', 'offer',
  'answer', 'candidate', 'chat', 'pong']);

const encoder = new TextEncoder();

export class SignalingClient extends EventTarget {
  #url; #WebSocket; #helloTimeoutMs; #joinTimeoutMs; #keepAliveMs;
  #state = 'idle';
  #attempt = 0;
  #ws = null;
  #limits = { ...DEFAULT_LIMITS };
  #hello = null;
  #joined = null;
  #pendingConnect = null;
  #pendingJoin = null;
  #fatalError = null;
  #outbox = new ThrottledSender((frame) => {
    try { this.#ws?.send(frame); } catch { /* the close event reports it */ }
  }, DEFAULT_LIMITS);
  #keepAliveTimer = null;
  #lastReceived = 0;

  /**
   * @param {object} options
   * @param {string} options.url ws:// or wss:// URL of the server's /ws endpoint
   * @param {typeof WebSocket} [options.WebSocket] WebSocket constructor (tests inject a fake)
   * @param {number} [options.helloTimeoutMs=10000] wait for `hello` before giving up
   * @param {number} [options.joinTimeoutMs=15000] wait for `joined` before giving up
   * @param {number} [options.keepAliveMs=20000] ping interval while open; 0 disables
   */
  constructor({ url, WebSocket: impl = globalThis.WebSocket, helloTimeoutMs = 10000,
    joinTimeoutMs = 15000, keepAliveMs = 20000 } = {}) {
    super();
    this.#url = url;
    this.#WebSocket = impl;
    this.#helloTimeoutMs = helloTimeoutMs;
    this.#joinTimeoutMs = joinTimeoutMs;
    this.#keepAliveMs = keepAliveMs;
  }

  get state() { return this.#state; }
  /** The limits from `hello` (defaults until it arrives). */
  get limits() { return { ...this.#limits }; }
  get hello() { return this.#hello; }
  /** The `joined` payload while joined, else null. */
  get session() { return this.#state === 'joined' ? this.#joined : null; }

  /** Opens the WebSocket and resolves with the `hello` message. Supersedes any earlier attempt. */
  connect(url = this.#url) {
    this.#url = url;
    this.#abandonSocket(new ParleyError('aborted', 'Superseded by a new connection attempt.'));
    const attempt = ++this.#attempt;
    this.#fatalError = null;
    this.#setState('connecting');
    const promise = new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(attempt, unreachable('The server did not answer in time.')),
        this.#helloTimeoutMs);
      this.#pendingConnect = { resolve, reject, timer };
    });
    let ws;
    try {
      ws = new this.#WebSocket(url);
    } catch (err) {
      this.#fail(attempt, unreachable(`Cannot open a connection to ${url}.`, err));
      return promise;
    }
    this.#ws = ws;
    ws.onmessage = (ev) => { if (attempt === this.#attempt) this.#onMessage(ev.data); };
    ws.onclose = (ev) => { if (attempt === this.#attempt) this.#onClose(attempt, ev); };
    ws.onerror = () => { /* a close event always follows */ };
    return promise;
  }

  /** Sends `join` and resolves with the `joined` message. */
  join({ room, name, muted = false }) {
    if (this.#state !== 'open' || this.#pendingJoin) {
      return Promise.reject(new ParleyError('invalid-state', `Cannot join while ${this.#state}.`));
    }
    const attempt = this.#attempt;
    const promise = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (attempt !== this.#attempt || !this.#pendingJoin) return;
        this.#pendingJoin = null;
        reject(new ParleyError('timeout', 'The server did not answer the join request in time.'));
      }, this.#joinTimeoutMs);
      this.#pendingJoin = { resolve, reject, timer };
    });
    try {
      this.send({ type: 'join', protocol: PROTOCOL_VERSION, room, name, muted: Boolean(muted) });
    } catch (err) {
      this.#settleJoin(null, err);
    }
    return promise;
  }

  /** Leaves the room; the connection stays open. */
  leave() {
    if (this.#state !== 'joined') return;
    this.send({ type: 'leave' });
    this.#joined = null;
    this.#setState('open');
  }

  sendOffer(to, sdp) { this.send({ type: 'offer', to, sdp }); }
  sendAnswer(to, sdp) { this.send({ type: 'answer', to, sdp }); }
  /** @param {RTCIceCandidateInit|null} candidate null means end of candidates */
  sendCandidate(to, candidate) { this.send({ type: 'candidate', to, candidate }); }
  /** @param {{muted?: boolean, speaking?: boolean}} state */
  sendState(state) { this.send({ type: 'state', ...state }); }
  /** Sends a chat message to the room; the server relays it to everyone, the sender included. */
  sendChat(text) { this.send({ type: 'chat', text }); }
  ping(id) { this.send(id === undefined ? { type: 'ping' } : { type: 'ping', id }); }

  /**
   * Sends one message, respecting `hello.limits`: throws `too-large` for a frame over
   * maxMessageBytes, and delays (in order) messages beyond messagesPerSecond / messageBurst.
   */
  send(message) {
    if (!this.#ws || (this.#state !== 'open' && this.#state !== 'joined')) {
      throw new ParleyError('not-connected', 'Not connected to the server.');
    }
    const text = JSON.stringify(message);
    const bytes = encoder.encode(text).length;
    if (bytes > this.#limits.maxMessageBytes) {
      throw new ParleyError('too-large',
        `A ${message.type} message of ${bytes} bytes exceeds the server limit of ${this.#limits.maxMessageBytes}.`);
    }
    this.#outbox.push(text);
  }

  /** Closes the connection. Safe to call in any state, any number of times. */
  close() {
    if (this.#state === 'closed' && !this.#ws) return;
    this.#attempt++;
    this.#abandonSocket(new ParleyError('aborted', 'The connection was closed.'));
    this.#setState('closed');
    this.#emit('close', { error: null, code: 1000, reason: 'closed by client' });
  }

  #onMessage(data) {
    this.#lastReceived = Date.now();
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'hello': return this.#onHello(msg);
      case 'joined': return this.#onJoined(msg);
      case 'error': return this.#onServerError(msg);
      default:
        if (RELAYED.has(msg.type) && this.#state === 'joined') this.#emit(msg.type, msg);
        else if (msg.type === 'pong') this.#emit('pong', msg);
    }
  }

  #onHello(msg) {
    if (this.#state !== 'connecting' || !this.#pendingConnect) return;
    const limits = { ...DEFAULT_LIMITS };
    for (const [key, value] of Object.entries(msg.limits ?? {})) {
      if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = value;
    }
    this.#limits = limits;
    this.#outbox.setLimits(limits);
    this.#hello = msg;
    const { resolve, timer } = this.#pendingConnect;
    clearTimeout(timer);
    this.#pendingConnect = null;
    this.#setState('open');
    this.#startKeepAlive();
    this.#emit('hello', msg);
    resolve(msg);
  }

  #onJoined(msg) {
    if (this.#state !== 'open' || !this.#pendingJoin) return;
    this.#joined = msg;
    this.#setState('joined');
    this.#settleJoin(msg, null);
  }

  #onServerError(msg) {
    const code = typeof msg.code === 'string' ? msg.code : 'protocol-error';
    const error = new ParleyError(code, typeof msg.message === 'string' ? msg.message : code,
      { ref: msg.ref, fatal: FATAL_SERVER_CODES.has(code) });
    if (error.fatal) this.#fatalError = error;
    if (this.#pendingJoin && (msg.ref === 'join' || JOIN_ERRORS.has(code) || error.fatal)) {
      this.#settleJoin(null, error);
      return;
    }
    this.#emit('server-error', { error, message: msg });
  }

  #settleJoin(value, error) {
    const pending = this.#pendingJoin;
    if (!pending) return;
    this.#pendingJoin = null;
    clearTimeout(pending.timer);
    if (error) pending.reject(error); else pending.resolve(value);
  }

  #onClose(attempt, ev) {
    const wasConnecting = this.#state === 'connecting';
    const error = this.#fatalError ?? (wasConnecting
      ? unreachable('Could not connect to the server.')
      : new ParleyError('connection-lost', 'The connection to the server was lost.'));
    this.#fail(attempt, error, ev);
  }

  /** Ends attempt `attempt` with `error` (no-op for a superseded attempt). */
  #fail(attempt, error, ev) {
    if (attempt !== this.#attempt) return;
    this.#attempt++;
    this.#abandonSocket(error);
    this.#setState('closed');
    this.#emit('close', { error, code: ev?.code ?? 1006, reason: ev?.reason ?? '' });
  }

  /** Detaches and closes the current socket and rejects whatever was pending. */
  #abandonSocket(error) {
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(1000); } catch { /* already closing */ }
    }
    this.#outbox.clear();
    clearInterval(this.#keepAliveTimer);
    this.#keepAliveTimer = null;
    this.#joined = null;
    if (this.#pendingConnect) {
      clearTimeout(this.#pendingConnect.timer);
      this.#pendingConnect.reject(error);
      this.#pendingConnect = null;
    }
    this.#settleJoin(null, error);
  }

  #startKeepAlive() {
    if (!this.#keepAliveMs) return;
    const attempt = this.#attempt;
    let id = 0;
    this.#keepAliveTimer = setInterval(() => {
      if (attempt !== this.#attempt) return;
      // No answer to the last two pings: the connection is dead even if TCP has not noticed yet.
      if (Date.now() - this.#lastReceived > 2.5 * this.#keepAliveMs) {
        this.#fail(attempt, new ParleyError('connection-lost', 'The server stopped answering.'));
        return;
      }
      try { this.ping(++id); } catch { /* closing */ }
    }, this.#keepAliveMs);
  }

  #setState(next) {
    const previous = this.#state;
    if (previous === next && next !== 'connecting') return;
    if (!TRANSITIONS[previous].includes(next)) {
      throw new ParleyError('invalid-state', `Invalid signaling transition ${previous} -> ${next}.`);
    }
    this.#state = next;
    this.#emit('statechange', { state: next, previous });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

function unreachable(message, cause) {
  return new ParleyError('server-unreachable', message, { cause });
}

/** The signaling URL for a page served by a Parley server: same origin, path /ws. */
export function signalingUrlFor(location = globalThis.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
