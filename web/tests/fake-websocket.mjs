// A scripted stand-in for the browser WebSocket, for SignalingClient tests.

export class FakeWebSocket {
  static instances = [];

  static reset() { FakeWebSocket.instances = []; }

  static get last() { return FakeWebSocket.instances.at(-1); }

  constructor(url) {
    this.url = url;
    this.sent = [];
    this.closedWith = null;
    this.onmessage = this.onclose = this.onerror = this.onopen = null;
    FakeWebSocket.instances.push(this);
  }

  send(text) { this.sent.push(JSON.parse(text)); }

  close(code) { this.closedWith = code ?? 1000; }

  /** The server sends `message`. */
  receive(message) { this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) }); }

  /** The server sends the protocol's hello. */
  hello(limits = {}) { this.receive({ type: 'hello', protocol: 1, server: 'parley', limits }); }

  /** The connection ends from the far side. */
  drop(code = 1006, reason = '') {
    this.onerror?.({});
    this.onclose?.({ code, reason, wasClean: false });
  }
}
