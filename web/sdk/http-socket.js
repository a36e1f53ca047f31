// HttpSocket: Parley signaling over plain HTTP (docs/protocol.md, "Signaling over HTTP"), shaped like a
// WebSocket so that SignalingClient drives it unchanged: send(text), close(code), and onopen, onmessage,
// onclose, onerror. For networks that break WebSockets.
//
//   POST /signal                      opens the session            -> onopen
//   GET  /signal/ID/events?last=N     the server's messages, an event stream read with fetch
//   GET  /signal/ID/poll?last=N       or long polls, when the stream delivers nothing (a buffering proxy)
//   POST /signal/ID/messages?seq=K    each message, numbered: the server applies them once, in order
//   DELETE /signal/ID?code=C          close(code)
//
// A reader that drops is reopened after the last message seen (the server replays the rest); the session ends
// (onclose) on the server's `close` event, a `reset`, an unknown session, or a reader or POST that keeps failing.

const STREAM_SILENCE_MS = 4000;  // an event stream that delivers nothing (not even hello) this long is held back
const RETRY_DELAY_MS = 250;
const MAX_FAILURES = 3;          // consecutive failed requests before the session counts as lost
const MAX_POSTS_IN_FLIGHT = 4;   // the server reorders by seq; a few in flight hide the round trips

export class HttpSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;

  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  readyState = HttpSocket.CONNECTING;
  /** 'sse' or 'long-poll': what carries the server's messages now. */
  transport;

  #base; #query; #fetch; #clock; #streamSilenceMs;
  #session = null;
  #last = 0;
  #seq = 0;
  #queue = [];
  #inFlight = 0;
  #failures = 0;
  #reader = null; // AbortController of the open stream or poll
  #heard = false;  // anything at all arrived on the current session

  /**
   * @param {string} url http(s):// URL of the server's HTTP signaling path (…/signal), with its query (access_token)
   * @param {object} [o]
   * @param {'sse'|'long-poll'} [o.mode='sse'] how to read the server's messages
   * @param {typeof fetch} [o.fetch]
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.clock]
   * @param {number} [o.streamSilenceMs] switch to long polling when the stream delivers nothing this long
   */
  constructor(url, { mode = 'sse', fetch: fetchImpl = globalThis.fetch?.bind(globalThis), clock = globalThis,
    streamSilenceMs = STREAM_SILENCE_MS } = {}) {
    const parsed = new URL(url);
    this.#query = parsed.search;
    parsed.search = '';
    this.#base = parsed.href.replace(/\/$/, '');
    this.#fetch = fetchImpl;
    this.#clock = clock;
    this.#streamSilenceMs = streamSilenceMs;
    this.transport = mode;
    this.#open();
  }

  /** Queues one message; sent as soon as the session is open, numbered in this order. */
  send(text) {
    if (this.readyState >= HttpSocket.CLOSING) throw new Error('The HTTP signaling session is closed.');
    this.#queue.push({ seq: ++this.#seq, body: String(text), tries: 0 });
    this.#pump();
  }

  /** Closes with a WebSocket close code's meaning (1000: left; 4000: reconnecting, keep my place). */
  close(code = 1000) {
    if (this.readyState >= HttpSocket.CLOSING) return;
    const session = this.#session;
    this.#finish(code, '');
    if (session) {
      // keepalive: the request outlives a page being closed.
      this.#fetch(`${this.#base}/${session}?code=${code}`, { method: 'DELETE', keepalive: true }).catch(() => {});
    }
  }

  async #open() {
    let response;
    try {
      response = await this.#fetch(this.#base + this.#query, { method: 'POST', cache: 'no-store' });
    } catch {
      this.#finish(1006, 'unreachable');
      return;
    }
    if (this.readyState !== HttpSocket.CONNECTING) return;
    if (response.status !== 201) {
      // A refusal carries the same `error` message a WebSocket would get before its close.
      const text = await response.text().catch(() => '');
      if (text.startsWith('{')) this.#deliver(text);
      this.#finish(response.status === 503 ? 1013 : 1008, 'refused');
      return;
    }
    try {
      this.#session = (await response.json()).session;
    } catch {
      this.#finish(1002, 'malformed');
      return;
    }
    if (this.readyState !== HttpSocket.CONNECTING) return;
    this.readyState = HttpSocket.OPEN;
    this.onopen?.({});
    this.#read();
    this.#pump();
  }

  #read() {
    if (this.readyState !== HttpSocket.OPEN) return;
    if (this.transport === 'sse') this.#stream(); else this.#poll();
  }

  /** Reads the event stream with fetch (status codes and our own Last-Event-ID, which EventSource hides). */
  async #stream() {
    const controller = this.#reader = new AbortController();
    let silence = null;
    if (!this.#heard) {
      silence = this.#clock.setTimeout(() => {
        if (this.#heard || this.#reader !== controller) return;
        // Nothing at all, not even hello: a proxy holds the stream back. Poll instead; what the stream was
        // given is replayed, as none of it was acknowledged.
        this.transport = 'long-poll';
        controller.abort();
        this.#read();
      }, this.#streamSilenceMs);
    }
    try {
      const response = await this.#fetch(`${this.#base}/${this.#session}/events?last=${this.#last}`,
        { cache: 'no-store', signal: controller.signal, headers: { 'Last-Event-ID': String(this.#last) } });
      if (response.status === 404) return this.#finish(1006, 'unknown-session');
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      await this.#parseStream(response.body, controller);
      if (this.#reader === controller) this.#readerFailed(); // ended without a close: reopen after the last seen
    } catch {
      if (this.#reader === controller && !controller.signal.aborted) this.#readerFailed();
    } finally {
      this.#clock.clearTimeout(silence);
    }
  }

  async #parseStream(body, controller) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    let event = { id: null, type: 'message', data: [] };
    while (this.#reader === controller) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let newline;
      while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
        if (line === '') {
          if (event.data.length && !this.#onEvent(event)) return;
          event = { id: null, type: 'message', data: [] };
        } else if (!line.startsWith(':')) {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value2 = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') event.data.push(value2);
          else if (field === 'id') event.id = value2;
          else if (field === 'event') event.type = value2;
        }
      }
    }
  }

  /** One event of the stream; false once the session is over. */
  #onEvent({ id, type, data }) {
    const text = data.join('\n');
    this.#failures = 0;
    if (type === 'close') return this.#onServerClose(text);
    if (type === 'reset') return this.#finish(1006, 'reset');
    if (type !== 'message') return true;
    if (id !== null && Number(id) <= this.#last) return true; // replayed twice over a reconnect
    if (id !== null) this.#last = Number(id);
    this.#deliver(text);
    return this.readyState === HttpSocket.OPEN;
  }

  async #poll() {
    const controller = this.#reader = new AbortController();
    try {
      const response = await this.#fetch(`${this.#base}/${this.#session}/poll?last=${this.#last}`,
        { cache: 'no-store', signal: controller.signal });
      if (this.#reader !== controller) return;
      if (response.status === 404) return this.#finish(1006, 'unknown-session');
      if (response.status === 204) return; // a newer reader took over
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const batch = await response.json();
      if (this.#reader !== controller) return;
      this.#failures = 0;
      for (const message of batch.messages ?? []) {
        this.#deliver(JSON.stringify(message));
        if (this.readyState !== HttpSocket.OPEN) return;
      }
      if (Number.isFinite(batch.last)) this.#last = Math.max(this.#last, batch.last);
      if (batch.reset) return this.#finish(1006, 'reset');
      if (batch.close) return this.#onServerClose(JSON.stringify(batch.close));
      this.#read();
    } catch {
      if (this.#reader === controller && !controller.signal.aborted) this.#readerFailed();
    }
  }

  #readerFailed() {
    if (this.readyState !== HttpSocket.OPEN) return;
    if (++this.#failures > MAX_FAILURES) {
      this.#finish(1006, 'lost');
      return;
    }
    this.#clock.setTimeout(() => this.#read(), RETRY_DELAY_MS * this.#failures);
  }

  #onServerClose(text) {
    let close = {};
    try { close = JSON.parse(text); } catch { /* a bare close */ }
    this.#finish(Number.isInteger(close.code) ? close.code : 1006, typeof close.reason === 'string' ? close.reason : '');
    return false;
  }

  /** Sends queued messages, a few at a time; a failed one is sent again with the same number. */
  #pump() {
    while (this.readyState === HttpSocket.OPEN && this.#inFlight < MAX_POSTS_IN_FLIGHT && this.#queue.length) {
      this.#post(this.#queue.shift());
    }
  }

  async #post(item) {
    this.#inFlight++;
    let retry = false;
    try {
      const response = await this.#fetch(`${this.#base}/${this.#session}/messages?seq=${item.seq}`,
        { method: 'POST', body: item.body, headers: { 'Content-Type': 'text/plain;charset=UTF-8' }, cache: 'no-store' });
      if (response.status === 404) {
        this.#finish(1006, 'unknown-session');
      } else if (response.status === 409 || response.status >= 500) {
        retry = true;
      }
      // 413: the server closes the session with too-large on the stream; anything else was taken.
    } catch {
      retry = true;
    } finally {
      this.#inFlight--;
    }
    if (retry && this.readyState === HttpSocket.OPEN) {
      if (++item.tries > MAX_FAILURES) {
        this.#finish(1006, 'lost');
        return;
      }
      this.#clock.setTimeout(() => {
        this.#queue.unshift(item);
        this.#pump();
      }, RETRY_DELAY_MS * item.tries);
      return;
    }
    this.#pump();
  }

  #deliver(text) {
    this.#heard = true;
    this.onmessage?.({ data: text });
  }

  #finish(code, reason) {
    if (this.readyState === HttpSocket.CLOSED) return;
    this.readyState = HttpSocket.CLOSED;
    this.#reader?.abort();
    this.#reader = null;
    this.#queue = [];
    this.onclose?.({ code, reason, wasClean: code === 1000 });
  }
}

/** The HTTP signaling URL beside a WebSocket one: ws(s)://host/ws?q -> http(s)://host/signal?q. */
export function httpSignalingUrlFor(webSocketUrl) {
  const url = new URL(webSocketUrl);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/ws\/?$/, '/signal');
  return url.href;
}
