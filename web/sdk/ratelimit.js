// A token bucket that delays (never drops) outgoing messages so a client stays under the server's
// `messagesPerSecond` / `messageBurst` limits from `hello.limits`.

export class TokenBucket {
  #rate; #capacity; #tokens; #last; #now;

  /**
   * @param {{rate: number, burst: number, now?: () => number}} options
   *   rate: tokens per second; burst: bucket size; now: clock in ms (for tests).
   */
  constructor({ rate, burst, now = () => Date.now() }) {
    this.#rate = Math.max(rate, 0.001);
    this.#capacity = Math.max(burst, 1);
    this.#tokens = this.#capacity;
    this.#now = now;
    this.#last = now();
  }

  #refill() {
    const t = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((t - this.#last) / 1000) * this.#rate);
    this.#last = t;
  }

  /** Takes one token if available. */
  tryTake() {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return true;
    }
    return false;
  }

  /** Milliseconds until one token is available (0 if one is available now). */
  waitMs() {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
  }
}

/**
 * The bucket a client should use for the server's limits: a 10 % margin below both numbers, so that
 * clock skew and timer jitter never push it over.
 */
export function bucketForLimits(limits, now) {
  const rate = Math.max(1, Math.floor((limits.messagesPerSecond ?? 50) * 0.9));
  const burst = Math.max(1, Math.floor((limits.messageBurst ?? 200) * 0.9));
  return new TokenBucket({ rate, burst, now });
}

/**
 * Sends frames through `send` in order, as fast as the bucket allows; the rest wait in a queue.
 * Nothing is ever dropped except by clear().
 */
export class ThrottledSender {
  #send; #bucket; #queue = []; #timer = null;

  /** @param {(frame: string) => void} send */
  constructor(send, limits = {}) {
    this.#send = send;
    this.#bucket = bucketForLimits(limits);
  }

  /** Applies new limits (from `hello`); the queue is kept. */
  setLimits(limits) { this.#bucket = bucketForLimits(limits); }

  get pending() { return this.#queue.length; }

  push(frame) {
    this.#queue.push(frame);
    this.#flush();
  }

  clear() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#queue = [];
  }

  #flush() {
    if (this.#timer) return;
    while (this.#queue.length > 0) {
      if (!this.#bucket.tryTake()) {
        this.#timer = setTimeout(() => { this.#timer = null; this.#flush(); }, this.#bucket.waitMs());
        return;
      }
      this.#send(this.#queue.shift());
    }
  }
}
