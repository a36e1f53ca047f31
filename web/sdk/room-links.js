// Which link a room joins through (docs/protocol.md, "Meeting through WebTorrent trackers"):
//   - no `tracker` option: the Parley server (RoomLink);
//   - `tracker` with trackerMode 'only' (the default): the trackers (TrackerLink), no Parley server at all;
//   - `tracker` with trackerMode 'fallback': the Parley server, and the trackers when the server cannot be reached at
//     all (the join fails with server-unreachable: no WebSocket and no HTTP signaling got a `hello`). A server that
//     answers and refuses (room full, banned...) is never bypassed, and a call that lost its server later keeps
//     reconnecting to it (reconnect.js): the fallback is for meeting, when no server is there to meet through.

import { RoomLink } from './room-link.js';
import { TrackerLink } from './tracker-link.js';

export const TRACKER_MODES = Object.freeze(['only', 'fallback']);

/**
 * @param {object} o
 * @param {string} o.url the Parley server's signaling URL
 * @param {import('./parley').ParleyRoomOptions} o.options
 * @param {() => object} o.identity what RoomLink resumes as
 * @returns {RoomLink | TrackerLink | FallbackLink}
 */
export function openRoomLink({ url, options, identity, warm = null }) {
  if (!hasTrackers(options)) return new RoomLink({ url, options, identity, warm });
  const mode = trackerMode(options);
  if (mode === 'only') return new TrackerLink({ options });
  return new FallbackLink(() => new RoomLink({ url, options, identity, warm }), () => new TrackerLink({ options }));
}

/** Whether joins with these options go through the Parley server first (so a prewarmed connection helps). */
export function usesServer(options) {
  return !hasTrackers(options) || trackerMode(options) === 'fallback';
}

function hasTrackers(options) {
  return options.tracker != null && (Array.isArray(options.tracker) ? options.tracker.length > 0 : String(options.tracker).trim() !== '');
}

function trackerMode(options) {
  const mode = options.trackerMode ?? 'only';
  if (!TRACKER_MODES.includes(mode)) throw new TypeError(`Unknown trackerMode '${mode}': use only or fallback.`);
  return mode;
}

/** The server's link, replaced by the trackers' when the server cannot be reached; the room sees one link. */
export class FallbackLink extends EventTarget {
  #current; #tracker; #closed = false;

  constructor(server, tracker) {
    super();
    this.#tracker = tracker;
    this.#use(server());
  }

  get signaling() { return this.#current.signaling; }
  get state() { return this.#current.state; }
  get up() { return this.#current.up; }
  /** 'server' or 'tracker': what this link ended up joining through. */
  get via() { return this.#current instanceof TrackerLink ? 'tracker' : 'server'; }

  async join(request) {
    try {
      return await this.#current.join(request);
    } catch (err) {
      if (err?.code !== 'server-unreachable' || this.#closed || this.via === 'tracker') throw err;
      console.info(`Parley: ${err.message} Meeting through the trackers instead.`);
      this.#current.close();
      this.#use(this.#tracker());
      return this.#current.join(request);
    }
  }

  start(joined) { this.#current.start(joined); }
  leave() { this.#current.leave(); }

  close() {
    this.#closed = true;
    this.#current.close();
  }

  /** Re-emits the inner link's events (statechange, reconnecting, resumed, failed) as this link's. */
  #use(link) {
    this.#current = link;
    for (const type of ['statechange', 'reconnecting', 'resumed', 'failed']) {
      link.addEventListener(type, ({ detail }) => {
        if (this.#current === link) this.dispatchEvent(new CustomEvent(type, { detail }));
      });
    }
  }
}
