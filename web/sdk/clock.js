// The SDK's one source of time: every timer and `now()` goes through a clock object of this shape, so the node
// tests drive time with a fake clock (web/tests/fake-clock.mjs) instead of sleeping.

/** Real timers and time; tests pass a fake with the same shape. */
export const SYSTEM_CLOCK = Object.freeze({
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id),
  now: () => Date.now(),
});
