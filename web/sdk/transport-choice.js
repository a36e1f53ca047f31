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
 * One signaling connection in the shape of a WebSocket (send, close, onmessage, onclose, onerror), over the transport
 * `choice` picks: a WebSocket that closes or throws before its first message (`hello`), or carries none within
 * `fallbackAfterMs`, is replaced by HTTP underneath, so SignalingClient sees one connection either way. `transport`
 * says which carries it now. May throw, as the WebSocket constructor may, when no fallback is left.
 */
export class ChosenSocket {
  onmessage = null;
  onclose = null;
  onerror = null;
  #choice; #url; #options; #timer = null;
  #socket = null;
  #kind = null;
  #heard = false;

  /**
   * @param {string} url the ws(s):// signaling URL; HTTP signaling is beside it at /signal unless `httpUrl` says otherwise
   * @param {{choice: TransportChoice, WebSocket: Function, HttpSocket?: Function, httpUrl?: string, fetch?: Function,
   *   clock: {setTimeout: Function, clearTimeout: Function}, fallbackAfterMs: number}} options
   */
  constructor(url, options) {
    this.#url = url;
    this.#options = options;
    this.#choice = options.choice;
    this.#open(this.#choice.first);
  }

  /** 'websocket', 'sse' or 'long-poll'. */
  get transport() { return this.#kind === 'websocket' ? 'websocket' : this.#socket?.transport ?? this.#kind; }

  send(text) { this.#socket.send(text); }

  close(code) {
    this.#options.clock.clearTimeout(this.#timer);
    this.#socket.close(code);
  }

  #open(kind) {
    const { WebSocket, HttpSocket: Http = HttpSocket, httpUrl, fetch, clock, fallbackAfterMs } = this.#options;
    let socket;
    try {
      socket = kind === 'websocket' ? new WebSocket(this.#url) : new Http(httpUrl ?? httpSignalingUrlFor(this.#url), { mode: kind, fetch, clock });
    } catch (err) {
      if (!this.#choice.canFallBack(kind)) throw err;
      this.#open('sse');
      return;
    }
    this.#socket = socket;
    this.#kind = kind;
    socket.onmessage = (ev) => {
      if (!this.#heard) {
        this.#heard = true;
        clock.clearTimeout(this.#timer);
        this.#choice.worked(this.transport);
      }
      this.onmessage?.(ev);
    };
    socket.onclose = (ev) => {
      if (!this.#heard && this.#choice.canFallBack(kind)) this.#fallBack();
      else this.onclose?.(ev);
    };
    socket.onerror = (ev) => this.onerror?.(ev);
    if (this.#choice.canFallBack(kind)) {
      this.#timer = clock.setTimeout(() => { if (!this.#heard) this.#fallBack(); }, fallbackAfterMs);
    }
  }

  /** The WebSocket carried no `hello`: the same connection goes on over HTTP (the WebSocket left as "reconnecting"). */
  #fallBack() {
    const socket = this.#socket;
    socket.onmessage = socket.onclose = socket.onerror = null;
    this.#options.clock.clearTimeout(this.#timer);
    try { socket.close(4000); } catch { /* already closing */ }
    try {
      this.#open('sse');
    } catch (err) {
      this.onclose?.({ code: 1006, reason: String(err?.message ?? err), wasClean: false });
    }
  }
}
