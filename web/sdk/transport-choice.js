// TransportChoice: which wire SignalingClient opens (docs/protocol.md, "Choosing a transport"). In `auto` it tries
// the WebSocket first and falls back to HTTP (an event stream, or long polls when the stream is held back) when the
// WebSocket cannot open or carries no `hello`; what worked is kept for the rest of this client's life (its
// reconnects), so a page behind a WebSocket-breaking proxy does not wait for the WebSocket again. A new client (the
// next join) tries the WebSocket again.

import { HttpSocket, httpSignalingUrlFor } from './http-socket.js';

export const SIGNALING_TRANSPORTS = Object.freeze(['websocket', 'sse', 'long-poll']);

export class TransportChoice {
  #mode;
  #preferred = 'websocket';

  /** @param {'auto'|'websocket'|'sse'|'long-poll'} mode */
  constructor(mode = 'auto') {
    if (mode !== 'auto' && !SIGNALING_TRANSPORTS.includes(mode)) {
      throw new TypeError(`Unknown signaling transport '${mode}': use auto, websocket, sse or long-poll.`);
    }
    this.#mode = mode;
  }

  /** The transport to open first. */
  get first() { return this.#mode === 'auto' ? this.#preferred : this.#mode; }

  /** Whether `kind`, failing before `hello`, is replaced by HTTP. */
  canFallBack(kind) { return this.#mode === 'auto' && kind === 'websocket'; }

  /** `kind` carried a `hello`: open it first from now on. */
  worked(kind) { if (this.#mode === 'auto') this.#preferred = kind; }
}

/**
 * Opens a WebSocket-shaped connection of `kind` to the server at `url` (the ws(s):// signaling URL; HTTP signaling
 * is beside it at /signal unless `httpUrl` says otherwise). May throw, as the WebSocket constructor may.
 */
export function openSignalingSocket(kind, url, { WebSocket, HttpSocket: Http = HttpSocket, httpUrl, fetch, clock }) {
  if (kind === 'websocket') return new WebSocket(url);
  return new Http(httpUrl ?? httpSignalingUrlFor(url), { mode: kind, fetch, clock });
}
