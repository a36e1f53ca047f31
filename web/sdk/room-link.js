// RoomLink: a room's connection to the signaling server. Owns the SignalingClient of one call and the
// Reconnector that resumes it, and knows what the page shows about it:
//   'connected'     joined, messages flow;
//   'reconnecting'  the socket was lost and the Reconnector is at work (the call goes on peer to peer);
//   'disconnected'  not in a call.
// Events: statechange {state, previous}, reconnecting {attempt, delayMs, error}, resumed {joined},
// failed {error} (reconnecting stopped for good).

import { SignalingClient } from './signaling.js';
import { SYSTEM_CLOCK } from './clock.js';
import { Reconnector, backoffDelayMs } from './reconnect.js';

/**
 * Joins refused with `unavailable` (several server nodes, and the one reached cannot decide the join now: its shared
 * store is away) are tried again on the same connection, with the reconnect backoff, this many times (~15 s in all).
 */
export const UNAVAILABLE_RETRIES = 6;

export class RoomLink extends EventTarget {
  #state = 'disconnected';
  #reconnector;
  #clock;
  #random;

  #hello = null;
  #warm = false;

  /**
   * @param {object} o
   * @param {string} o.url
   * @param {import('./parley').ParleyRoomOptions} o.options WebSocket, signalingTransport, fetch, clock, random
   * @param {() => {room: string, name: string, muted: boolean, channel?: object}} o.identity what to resume as
   * @param {{client: SignalingClient, hello: Promise<object>}|null} [o.warm] a connection opened ahead (prewarm.js)
   */
  constructor({ url, options, identity, warm = null }) {
    super();
    const clock = this.#clock = options.clock ?? SYSTEM_CLOCK;
    this.#random = options.random ?? Math.random;
    this.signaling = warm?.client ?? createSignalingClient(url, options);
    if (warm) {
      this.#hello = warm.hello;
      this.#warm = true;
    }
    const reconnector = this.#reconnector = new Reconnector({ signaling: this.signaling, clock, random: options.random, identity });
    reconnector.addEventListener('reconnecting', ({ detail }) => {
      this.#setState('reconnecting');
      this.#emit('reconnecting', detail);
    });
    reconnector.addEventListener('resumed', ({ detail }) => {
      this.#setState('connected');
      this.#emit('resumed', detail);
    });
    reconnector.addEventListener('failed', ({ detail }) => this.#emit('failed', detail));
  }

  get state() { return this.#state; }
  /** Whether messages can be sent right now. */
  get up() { return this.signaling.state === 'joined'; }

  /** Connects (unless prewarmed) and joins (with the app's access `token` in token mode); resolves with `joined`. */
  async join({ room, name, muted, token, channel, offer }) {
    if (this.#warm) {
      this.#warm = false;
      await this.#hello.catch(() => null);
      // A prewarmed connection that failed or closed since (the server restarted, a network change): a fresh one.
      if (this.signaling.state !== 'open') await this.signaling.connect();
    } else {
      await this.signaling.connect();
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.signaling.join({ room, name, muted, token, channel, offer });
      } catch (err) {
        if (err?.code !== 'unavailable' || attempt >= UNAVAILABLE_RETRIES || this.signaling.state !== 'open') throw err;
        await new Promise((resolve) => this.#clock.setTimeout(resolve, backoffDelayMs(attempt, this.#random)));
      }
    }
  }

  /** The room took the `joined`: from now on a lost socket is resumed. */
  start(joined) {
    this.#reconnector.start(joined);
    this.#setState('connected');
  }

  /** `leave` if the server is there to hear it. */
  leave() {
    try { this.signaling.leave(); } catch { /* connection already gone */ }
  }

  /** Stops reconnecting and closes the socket normally; safe to call twice. */
  close() {
    this.#reconnector.stop();
    this.signaling.close();
    this.#setState('disconnected');
  }

  #setState(next) {
    if (this.#state === next) return;
    const previous = this.#state;
    this.#state = next;
    this.#emit('statechange', { state: next, previous });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

/** The SignalingClient of a room link (or of a prewarm, which a link then takes over). */
export function createSignalingClient(url, options) {
  return new SignalingClient({
    url, WebSocket: options.WebSocket, clock: options.clock ?? SYSTEM_CLOCK, transport: options.signalingTransport,
    fetch: options.fetch, HttpSocket: options.HttpSocket,
  });
}
