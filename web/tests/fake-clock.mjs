// A manual clock for timers: tests advance time instead of sleeping.

export class FakeClock {
  #now = 0;
  #next = 1;
  #timers = new Map();

  now() { return this.#now; }

  setTimeout(fn, ms = 0) {
    const id = this.#next++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(id) { this.#timers.delete(id); }

  /** Delays of the timers still pending, from now. */
  get pending() { return [...this.#timers.values()].map((t) => t.at - this.#now).sort((a, b) => a - b); }

  /** Moves time forward by `ms`, running every timer that falls due, in order. */
  advance(ms) {
    const end = this.#now + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#timers.delete(due[0]);
      this.#now = due[1].at;
      due[1].fn();
    }
    this.#now = end;
  }
}
