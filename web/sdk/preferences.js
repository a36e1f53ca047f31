// What I chose to hear of someone, remembered in the browser per display name: volume (0..2) and local
// mute. Storage is a Web Storage (localStorage by default); without one, nothing is remembered.

const PREFIX = 'parley.peer.';

export class PeerPreferences {
  #storage;

  /** @param {Storage | null} [storage] */
  constructor(storage = defaultStorage()) {
    this.#storage = storage;
  }

  /** @returns {{volume: number, muted: boolean}} */
  get(name) {
    let saved = null;
    try { saved = JSON.parse(this.#storage?.getItem(PREFIX + name) ?? 'null'); } catch { /* corrupt or blocked */ }
    const volume = Number(saved?.volume);
    return {
      volume: Number.isFinite(volume) ? clampVolume(volume) : 1,
      muted: saved?.muted === true,
    };
  }

  /** Merges `changes` into what is remembered for `name`; the defaults (volume 1, not muted) are forgotten. */
  set(name, changes) {
    const next = { ...this.get(name), ...changes };
    next.volume = clampVolume(next.volume);
    try {
      if (next.volume === 1 && !next.muted) this.#storage?.removeItem(PREFIX + name);
      else this.#storage?.setItem(PREFIX + name, JSON.stringify({ volume: next.volume, muted: Boolean(next.muted) }));
    } catch { /* private mode or full: not remembered */ }
    return next;
  }
}

export function clampVolume(volume) {
  const v = Number(volume);
  return Number.isFinite(v) ? Math.max(0, Math.min(2, v)) : 1;
}

function defaultStorage() {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}
