// SignalingClient: the Parley signaling protocol v1 (docs/protocol.md) over one WebSocket, or over HTTP where
// WebSockets are blocked (transport-choice.js picks; http-socket.js has the same shape as a WebSocket).
//
// An explicit state machine:   idle -> connecting -> open -> joined -> closed
//   connect()  idle|closed -> connecting; `hello` -> open
//   join() or resume()  open -> joined (on `joined`);  leave(): joined -> open
//   close(), or losing the socket: any -> closed.  connect() again starts a new attempt.
// Every socket callback carries the attempt number it was created for; events from a superseded
// attempt are dropped.
//
// Liveness: the server's `ping` is answered with `pong`; hearing nothing for
// `hello.limits.heartbeatTimeoutSeconds` counts as a lost connection (a server that does not advertise
// heartbeats gets our own pings every keepAliveMs instead: heartbeat.js). The protocol's constants and message
// shapes are in signaling-protocol.js. A socket the client gives up on (silence,
// `goaway`, abandon()) is closed with 4000, "reconnecting", so the server keeps our place; close() after
// leaving closes with 1000. This client never reconnects by itself: see reconnect.js.

import { ParleyError } from './errors.js';
import { ThrottledSender } from './ratelimit.js';
import { TransportChoice, ChosenSocket } from './transport-choice.js';
import { SYSTEM_CLOCK } from './clock.js';
import { Heartbeat } from './heartbeat.js';
import {
  DEFAULT_LIMITS, RECONNECTING_CLOSE_CODE, JOIN_ERRORS, RELAYED, limitsFrom, joinMessage, resumeMessage, serverError,
} from './signaling-protocol.js';

export { PROTOCOL_VERSION, DEFAULT_LIMITS, RECONNECTING_CLOSE_CODE, signalingUrlFor } from './signaling-protocol.js';

const TRANSITIONS = {
  idle: ['connecting', 'closed'],
  connecting: ['connecting', 'open', 'closed'],
  open: ['connecting', 'joined', 'closed'],
  joined: ['connecting', 'open', 'closed'],
  closed: ['connecting', 'closed'],
};

const encoder = new TextEncoder();

export class SignalingClient extends EventTarget {
  #url; #WebSocket; #helloTimeoutMs; #joinTimeoutMs; #clock; #heartbeat;
  #transport; // what ChosenSocket needs to pick and open a transport
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

  /**
   * @param {object} options
   * @param {string} options.url ws:// or wss:// URL of the server's /ws endpoint
   * @param {typeof WebSocket} [options.WebSocket] WebSocket constructor (tests inject a fake)
   * @param {number} [options.helloTimeoutMs=10000] wait for `hello` before giving up
   * @param {number} [options.joinTimeoutMs=15000] wait for `joined` before giving up
   * @param {number} [options.keepAliveMs=20000] our own ping interval, only towards a server that does not
   *   advertise heartbeats; 0 disables
   * @param {{setTimeout: Function, clearTimeout: Function, now: () => number}} [options.clock] timers (tests inject a fake)
   * @param {'auto'|'websocket'|'sse'|'long-poll'} [options.transport='auto'] the WebSocket, falling back to HTTP
   * @param {number} [options.fallbackAfterMs=3000] in auto, a WebSocket with no `hello` this long gives way to HTTP
   * @param {string} [options.httpUrl] HTTP signaling URL (default: beside `url`, path /signal)
   * @param {typeof fetch} [options.fetch] for HTTP signaling (tests inject a fake)
   * @param {Function} [options.HttpSocket] HTTP signaling constructor (tests inject a fake)
   */
  constructor({ url, WebSocket: impl = globalThis.WebSocket, helloTimeoutMs = 10000,
    joinTimeoutMs = 15000, keepAliveMs = 20000, clock = SYSTEM_CLOCK, transport = 'auto', fallbackAfterMs = 3000,
    httpUrl, fetch: fetchImpl, HttpSocket } = {}) {
    super();
    this.#transport = {
      choice: new TransportChoice(transport), fallbackAfterMs, httpUrl, fetch: fetchImpl ?? globalThis.fetch?.bind(globalThis), clock, HttpSocket,
    };
    this.#clock = clock;
    this.#url = url;
    this.#WebSocket = impl;
    this.#helloTimeoutMs = helloTimeoutMs;
    this.#joinTimeoutMs = joinTimeoutMs;
    this.#heartbeat = new Heartbeat({ clock, keepAliveMs });
  }

  get state() { return this.#state; }
  /** The limits from `hello` (defaults until it arrives). */
  get limits() { return { ...this.#limits }; }
  get hello() { return this.#hello; }
  /** What carries the connection: 'websocket', 'sse' or 'long-poll'; null when there is none. */
  get transport() { return this.#ws?.transport ?? null; }
  /** The `joined` payload while joined, else null. */
  get session() { return this.#state === 'joined' ? this.#joined : null; }

  /** Opens the WebSocket and resolves with the `hello` message. Supersedes any earlier attempt. */
  connect(url = this.#url) {
    this.#url = url;
    // A socket replaced by a new one is left as "reconnecting": a bare close() would mean "left" to the server.
    this.#abandonSocket(new ParleyError('aborted', 'Superseded by a new connection attempt.'), RECONNECTING_CLOSE_CODE);
    const attempt = ++this.#attempt;
    this.#fatalError = null;
    this.#setState('connecting');
    const promise = new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(
        () => this.#fail(attempt, unreachable('The server did not answer in time.')), this.#helloTimeoutMs);
      this.#pendingConnect = { resolve, reject, timer };
    });
    let ws;
    try {
      ws = new ChosenSocket(url, { WebSocket: this.#WebSocket, ...this.#transport });
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

  /**
   * Sends `join` and resolves with the `joined` message. With an access `token` (token mode), `room` and
   * `name` may be left out: the server takes them from the token.
   */
  join(options) { return this.#request(joinMessage(options)); }

  /**
   * Sends `resume` with the `resumeToken` of an earlier `joined` and resolves with the new `joined`
   * (`resumed: true` when the server still held our place). `room`, `name`, `muted` are used when it did not.
   */
  resume(options) { return this.#request(resumeMessage(options)); }

  /** Gives up on the current socket as lost (close code 4000): a `close` event with `error` follows. */
  abandon(error = new ParleyError('connection-lost', 'The connection to the server was given up.')) {
    if (!this.#ws) return;
    this.#fail(this.#attempt, error);
  }

  #request(message) {
    if (this.#state !== 'open' || this.#pendingJoin) {
      return Promise.reject(new ParleyError('invalid-state', `Cannot ${message.type} while ${this.#state}.`));
    }
    const attempt = this.#attempt;
    const promise = new Promise((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        if (attempt !== this.#attempt || !this.#pendingJoin) return;
        this.#pendingJoin = null;
        reject(new ParleyError('timeout', `The server did not answer the ${message.type} request in time.`));
      }, this.#joinTimeoutMs);
      this.#pendingJoin = { resolve, reject, timer, type: message.type };
    });
    try {
      this.send(message);
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
  /** Our peer connection to `id` stopped working: the server checks at once that they are still there. */
  sendPeerLost(id) { this.send({ type: 'peer-lost', id }); }
  /** Moderators only: server-mute (true) or allow to unmute (false) participant `id`. */
  sendMuteParticipant(id, muted) { this.send({ type: 'mute-participant', id, muted: Boolean(muted) }); }
  /** Moderators only: server-mute everyone who is not a moderator. */
  sendMuteAll() { this.send({ type: 'mute-all' }); }
  /** Moderators only: removes participant `id`, banning them for `banSeconds` (0: only this token). */
  sendRemoveParticipant(id, banSeconds = 0) { this.send({ type: 'remove-participant', id, banSeconds }); }
  /** Moderators only: locks (no new joins) or unlocks the room. */
  sendLockRoom(locked) { this.send({ type: 'lock-room', locked: Boolean(locked) }); }
  sendUpdateSelf({ name, metadata } = {}) { this.send({ type: 'update-self', name, metadata }); }

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
    this.#abandonSocket(new ParleyError('aborted', 'The connection was closed.'), 1000);
    this.#setState('closed');
    this.#emit('close', { error: null, code: 1000, reason: 'closed by client' });
  }

  #onMessage(data) {
    this.#heartbeat.received();
    let msg;
    try { msg = JSON.parse(data); } catch { return; }
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') return;
    switch (msg.type) {
      case 'hello': return this.#onHello(msg);
      case 'joined': return this.#onJoined(msg);
      case 'error': return this.#onServerError(msg);
      case 'ping': return this.#onPing();
      case 'goaway': return this.#onGoaway(msg);
      default:
        if (RELAYED.has(msg.type) && this.#state === 'joined') this.#emit(msg.type, msg);
        else if (msg.type === 'pong') this.#emit('pong', msg);
    }
  }

  #onHello(msg) {
    if (this.#state !== 'connecting' || !this.#pendingConnect) return;
    const limits = this.#limits = limitsFrom(msg);
    this.#outbox.setLimits(limits);
    this.#hello = msg;
    const { resolve, timer } = this.#pendingConnect;
    this.#clock.clearTimeout(timer);
    this.#pendingConnect = null;
    this.#setState('open');
    const attempt = this.#attempt;
    this.#heartbeat.start(limits, {
      ping: (id) => this.ping(id),
      silent: () => this.#fail(attempt, new ParleyError('connection-lost', 'The server stopped answering.')),
    });
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
    const error = serverError(msg);
    const { code } = error;
    if (error.fatal) this.#fatalError = error;
    if (this.#pendingJoin && (msg.ref === this.#pendingJoin.type || JOIN_ERRORS.has(code) || error.fatal)) {
      this.#settleJoin(null, error);
      return;
    }
    this.#emit('server-error', { error, message: msg });
  }

  #settleJoin(value, error) {
    const pending = this.#pendingJoin;
    if (!pending) return;
    this.#pendingJoin = null;
    this.#clock.clearTimeout(pending.timer);
    if (error) pending.reject(error); else pending.resolve(value);
  }

  #onPing() {
    if (this.#state !== 'open' && this.#state !== 'joined') return;
    try { this.send({ type: 'pong' }); } catch { /* closing */ }
  }

  /** The server is shutting down: reconnect after `retryAfterMs` (the close that follows adds nothing). */
  #onGoaway(msg) {
    const retryAfterMs = Number.isFinite(msg.retryAfterMs) && msg.retryAfterMs >= 0 ? msg.retryAfterMs : 1000;
    this.#emit('goaway', msg);
    this.#fail(this.#attempt, new ParleyError('connection-lost', 'The server is restarting.'),
      { code: 1012, reason: 'goaway', retryAfterMs });
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
    this.#abandonSocket(error, RECONNECTING_CLOSE_CODE);
    this.#setState('closed');
    const detail = { error, code: ev?.code ?? 1006, reason: ev?.reason ?? '' };
    if (ev?.retryAfterMs !== undefined) detail.retryAfterMs = ev.retryAfterMs;
    this.#emit('close', detail);
  }

  /** Detaches and closes the current socket with `closeCode` and rejects whatever was pending. */
  #abandonSocket(error, closeCode) {
    const ws = this.#ws;
    this.#ws = null;
    if (ws) {
      ws.onmessage = ws.onclose = ws.onerror = null;
      try { ws.close(closeCode); } catch { /* already closing */ }
    }
    this.#outbox.clear();
    this.#heartbeat.stop();
    this.#joined = null;
    if (this.#pendingConnect) {
      this.#clock.clearTimeout(this.#pendingConnect.timer);
      this.#pendingConnect.reject(error);
      this.#pendingConnect = null;
    }
    this.#settleJoin(null, error);
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
