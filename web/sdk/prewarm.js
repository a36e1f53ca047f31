// Prewarm: the signaling connection of the next join, opened while the person is still on the join form, so the
// click on Join costs the `join` round trip only (docs/benchmarks.md, "Join to hearing"; the microphone's part is
// RoomMicrophone.prewarm()). Released, with the microphone, after `idleMs` without a join (the server closes a
// connection that has not joined within Signaling:JoinTimeoutSeconds, 30 s by default), by release(), and by the
// page when it goes away. A prewarmed connection that closes meanwhile is simply forgotten: the join opens its own.

export const PREWARM_IDLE_MS = 20000;

export class Prewarm {
  #connect; #clock; #idleMs; #onRelease;
  /** {url, client, hello}: the prewarmed SignalingClient and its `hello` promise. */
  #signaling = null;
  #timer = null;

  /**
   * @param {object} o
   * @param {(url: string) => import('./signaling.js').SignalingClient} o.connect makes a client (not connected)
   * @param {{setTimeout: Function, clearTimeout: Function}} o.clock
   * @param {number} [o.idleMs] how long a prewarm waits for a join
   * @param {() => void} [o.onRelease] the idle time is up, or release(): the room releases its microphone too
   */
  constructor({ connect, clock, idleMs = PREWARM_IDLE_MS, onRelease = () => {} }) {
    this.#connect = connect;
    this.#clock = clock;
    this.#idleMs = idleMs;
    this.#onRelease = onRelease;
  }

  /** Whether a connection is prewarmed (connecting or open). */
  get connected() { return this.#live(this.#signaling) !== null; }

  /** Opens the connection to `url` if none is open or under way (null: none wanted), and restarts the idle time. */
  start(url) {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = this.#clock.setTimeout(() => this.release(), this.#idleMs);
    if (url == null || this.#live(this.#signaling)?.url === url) return;
    this.#closeSignaling();
    const client = this.#connect(url);
    const hello = client.connect();
    hello.catch(() => { /* the join opens its own */ });
    const warm = this.#signaling = { url, client, hello };
    client.addEventListener('close', () => { if (this.#signaling === warm) this.#signaling = null; });
  }

  /** Hands the prewarmed connection to `url` over to a join ({client, hello}), or null. Ends the prewarm. */
  take(url) {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    const warm = this.#live(this.#signaling);
    this.#signaling = null;
    if (warm?.url === url) return { client: warm.client, hello: warm.hello };
    warm?.client.close();
    return null;
  }

  /** Closes the prewarmed connection and tells the room to release the microphone; safe to call any time. */
  release() {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#closeSignaling();
    this.#onRelease();
  }

  #live(warm) {
    const state = warm?.client.state;
    return state === 'connecting' || state === 'open' ? warm : null;
  }

  #closeSignaling() {
    const warm = this.#signaling;
    this.#signaling = null;
    warm?.client.close();
  }
}
