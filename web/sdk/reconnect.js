// Reconnector: keeps a joined SignalingClient in its room across lost sockets (docs/protocol.md,
// "Leaving, losing the connection, and resuming").
//
// After a `close` that carries an error (socket lost, heartbeat silence, `goaway`), it waits, opens a
// new socket and sends `resume` with the token of the last `joined`, until one succeeds:
//   - backoff with full jitter: attempt n waits a random time in [minMs, min(maxMs, firstMs * 2^n)],
//     so the first try comes after 250-500 ms and no try waits more than 5 s;
//   - after `goaway` it waits `retryAfterMs` plus up to goawayJitterMs, so a restarted server is not hit by
//     every client in the same millisecond.
// It stops for good on close() (the user left) and on errors that a retry cannot fix
// (session-replaced, room-full, removed, banned and the other access refusals): then it emits `failed`.
//
// Events: reconnecting {attempt, delayMs, error}, resumed {joined}, failed {error}.

import { SYSTEM_CLOCK } from './clock.js';
import { ACCESS_REFUSAL_CODES } from './errors.js';

export const BACKOFF = Object.freeze({ minMs: 250, firstMs: 500, maxMs: 5000, goawayJitterMs: 1000 });

/** Errors after which reconnecting cannot help. */
export const TERMINAL_CODES = new Set([
  'session-replaced', 'unsupported-protocol', 'invalid-room', 'invalid-name', 'room-full', 'server-full',
  'invalid-token', 'already-joined', 'too-many-errors', 'unknown-type',
  // Access: refused (banned, a revoked resume ticket...), removed, replaced by the same identity, room deleted.
  ...ACCESS_REFUSAL_CODES,
]);

/** The wait before reconnect attempt `attempt` (0 = the first), with full jitter from `random()` in [0, 1). */
export function backoffDelayMs(attempt, random = Math.random, { minMs, firstMs, maxMs } = BACKOFF) {
  const ceiling = Math.min(maxMs, firstMs * 2 ** Math.min(attempt, 30));
  return Math.round(minMs + random() * Math.max(0, ceiling - minMs));
}

/** The wait after `goaway`: the server's `retryAfterMs` plus jitter. */
export function goawayDelayMs(retryAfterMs, random = Math.random, { goawayJitterMs } = BACKOFF) {
  return Math.round(retryAfterMs + random() * goawayJitterMs);
}

export function isTerminal(error) {
  return TERMINAL_CODES.has(error?.code);
}

export class Reconnector extends EventTarget {
  #signaling; #identity; #clock; #random;
  #token = null;
  #active = false;
  #failures = 0;
  #timer = null;
  #onClose = (ev) => this.#closed(ev.detail);

  /**
   * @param {object} o
   * @param {import('./signaling.js').SignalingClient} o.signaling
   * @param {() => {room: string, name: string, muted: boolean}} o.identity what to resume as, read at each try
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.clock]
   * @param {() => number} [o.random] in [0, 1)
   */
  constructor({ signaling, identity, clock = SYSTEM_CLOCK, random = Math.random }) {
    super();
    this.#signaling = signaling;
    this.#identity = identity;
    this.#clock = clock;
    this.#random = random;
  }

  /** True between a lost connection and the next successful `resume`. */
  get reconnecting() { return this.#active && this.#signaling.state !== 'joined'; }

  /** Starts watching the signaling client after `joined`. */
  start(joined) {
    this.#token = joined?.resumeToken ?? null;
    if (this.#active) return;
    this.#active = true;
    this.#signaling.addEventListener('close', this.#onClose);
  }

  /** Stops for good (leaving); safe to call twice. */
  stop() {
    this.#active = false;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#signaling.removeEventListener('close', this.#onClose);
  }

  #closed({ error, retryAfterMs }) {
    if (!this.#active) return;
    if (!error || !this.#token || isTerminal(error)) {
      // close() means we left; without a token there is nothing to resume.
      return this.#fail(error);
    }
    const attempt = this.#failures++;
    const delayMs = retryAfterMs !== undefined
      ? goawayDelayMs(retryAfterMs, this.#random)
      : backoffDelayMs(attempt, this.#random);
    this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(() => this.#tryResume(), delayMs);
    this.#emit('reconnecting', { attempt: attempt + 1, delayMs, error });
  }

  async #tryResume() {
    this.#timer = null;
    if (!this.#active) return;
    try {
      await this.#signaling.connect();
    } catch {
      return; // its `close` event schedules the next try
    }
    if (!this.#active) return;
    try {
      const joined = await this.#signaling.resume({ ...this.#identity(), token: this.#token });
      if (!this.#active) return;
      this.#token = joined.resumeToken ?? this.#token;
      this.#failures = 0;
      this.#emit('resumed', { joined });
    } catch (error) {
      if (!this.#active) return;
      if (isTerminal(error)) this.#fail(error);
      else this.#signaling.abandon(error); // e.g. no answer in time: its `close` schedules the next try
    }
  }

  #fail(error) {
    this.stop();
    if (error) this.#emit('failed', { error });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
