// Heartbeat: whether the signaling connection is still alive (signaling.js). The server pings every
// `hello.limits.heartbeatSeconds`, so nothing received for heartbeatTimeoutSeconds means it is gone even if TCP has
// not noticed. A server that does not advertise heartbeats gets our own pings every keepAliveMs instead, and is
// given up after 2.5 of them without a word.

export class Heartbeat {
  #clock; #keepAliveMs;
  #run = 0; // a timer of an earlier start() (or one stopped since) does nothing
  #keepAliveTimer = null;
  #watchdogTimer = null;
  #lastReceived = 0;

  /**
   * @param {object} o
   * @param {{setTimeout: Function, clearTimeout: Function, now: () => number}} o.clock
   * @param {number} o.keepAliveMs our own ping interval towards a server without heartbeats; 0 disables
   */
  constructor({ clock, keepAliveMs }) {
    this.#clock = clock;
    this.#keepAliveMs = keepAliveMs;
  }

  /** Something arrived from the server: it is alive. */
  received() { this.#lastReceived = this.#clock.now(); }

  /**
   * Starts watching a connection that has just said `hello` with `limits`: `silent()` once it has been quiet too
   * long; `ping(id)` sends our own ping (only to a server without heartbeats).
   */
  start(limits, { ping, silent }) {
    this.stop();
    const run = this.#run;
    const serverBeats = limits.heartbeatTimeoutSeconds > 0 && limits.heartbeatSeconds > 0;
    if (!serverBeats && !this.#keepAliveMs) return;
    const silenceMs = serverBeats ? limits.heartbeatTimeoutSeconds * 1000 : 2.5 * this.#keepAliveMs;
    this.#lastReceived = this.#clock.now();
    const watch = () => {
      if (run !== this.#run) return;
      const quietMs = this.#clock.now() - this.#lastReceived;
      if (quietMs >= silenceMs) {
        silent();
        return;
      }
      this.#watchdogTimer = this.#clock.setTimeout(watch, silenceMs - quietMs);
    };
    this.#watchdogTimer = this.#clock.setTimeout(watch, silenceMs);
    if (serverBeats) return;
    let id = 0;
    const beat = () => {
      if (run !== this.#run) return;
      try { ping(++id); } catch { /* closing */ }
      this.#keepAliveTimer = this.#clock.setTimeout(beat, this.#keepAliveMs);
    };
    this.#keepAliveTimer = this.#clock.setTimeout(beat, this.#keepAliveMs);
  }

  /** Stops watching (the socket is gone or replaced). Safe to call any time. */
  stop() {
    this.#run++;
    this.#clock.clearTimeout(this.#keepAliveTimer);
    this.#clock.clearTimeout(this.#watchdogTimer);
    this.#keepAliveTimer = this.#watchdogTimer = null;
  }
}
