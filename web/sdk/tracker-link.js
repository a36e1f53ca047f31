// TrackerLink: a room's connection when it meets through WebTorrent trackers (tracker-signaling.js), with the shape
// of RoomLink (room-link.js) that the room uses: `signaling`, `state`, `up`, join(), start(), leave(), close(), and
// `statechange`. There is no server to lose and reconnect to: each tracker socket reopens by itself, and each pair
// of peers keeps its own link, so the state is 'connected' for as long as the room is joined.

import { ParleyError } from './errors.js';
import { SYSTEM_CLOCK } from './clock.js';
import { TrackerSignaling } from './tracker-signaling.js';

export class TrackerLink extends EventTarget {
  #state = 'disconnected';

  /**
   * @param {object} o
   * @param {import('./parley').ParleyRoomOptions} o.options tracker, trackerIceServers, iceServers, rtcConfig, WebSocket,
   *   RTCPeerConnection, clock, random, trackerTiming
   */
  constructor({ options }) {
    super();
    this.signaling = new TrackerSignaling({
      trackers: options.tracker, WebSocket: options.WebSocket, RTCPeerConnection: options.RTCPeerConnection,
      // No server hands out TURN credentials here: only what the app configured.
      rtcConfig: { ...options.rtcConfig, iceServers: options.trackerIceServers ?? options.iceServers ?? [] },
      clock: options.clock ?? SYSTEM_CLOCK, random: options.random, timing: options.trackerTiming,
    });
  }

  get state() { return this.#state; }
  get up() { return this.signaling.state === 'joined'; }

  /** Joins through the trackers; resolves with the `joined` made up by TrackerSignaling. */
  async join({ room, name, muted, token, password }) {
    if (token !== undefined && token !== null) {
      throw new ParleyError('needs-server', 'Access tokens need a Parley server: a room met through trackers has none.');
    }
    return this.signaling.join({ room, name, muted, password });
  }

  start() { this.#setState('connected'); }

  leave() { this.signaling.leave(); }

  close() {
    this.signaling.close();
    this.#setState('disconnected');
  }

  #setState(next) {
    if (this.#state === next) return;
    const previous = this.#state;
    this.#state = next;
    this.dispatchEvent(new CustomEvent('statechange', { detail: { state: next, previous } }));
  }
}
