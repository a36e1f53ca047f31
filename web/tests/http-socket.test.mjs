import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HttpSocket, httpSignalingUrlFor } from '../sdk/http-socket.js';
import { SignalingClient } from '../sdk/signaling.js';
import { FakeClock } from './fake-clock.mjs';
import { FakeWebSocket } from './fake-websocket.mjs';

const tick = async (n = 5) => { for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0)); };
const HELLO = { type: 'hello', protocol: 1, server: 'parley', limits: {} };

/**
 * A scripted HTTP signaling server behind fetch: records every request; event streams are ReadableStreams the test
 * writes to; polls and POSTs answer as scripted.
 */
class FakeHttpServer {
  requests = [];
  streams = [];
  polls = [];
  postStatus = () => 204;
  openStatus = 201;

  fetch = async (url, init = {}) => {
    const { pathname, searchParams } = new URL(url);
    const method = init.method ?? 'GET';
    this.requests.push({ method, path: pathname, query: Object.fromEntries(searchParams), body: init.body, headers: init.headers });
    if (method === 'POST' && pathname === '/signal') {
      return this.openStatus === 201
        ? Response.json({ session: 'S1' }, { status: 201 })
        : new Response(JSON.stringify({ type: 'error', code: 'server-busy', message: 'busy' }), { status: this.openStatus });
    }
    if (method === 'POST') {
      const status = this.postStatus(Number(searchParams.get('seq')));
      if (status === 'fail') throw new TypeError('network error');
      return new Response(null, { status });
    }
    if (method === 'DELETE') return new Response(null, { status: 204 });
    if (pathname.endsWith('/events')) {
      let controller;
      const body = new ReadableStream({ start: (c) => { controller = c; } });
      const stream = { last: searchParams.get('last'), write: (text) => controller.enqueue(new TextEncoder().encode(text)), end: () => controller.close() };
      this.streams.push(stream);
      init.signal?.addEventListener('abort', () => { stream.aborted = true; try { controller.error(new Error('aborted')); } catch { /* closed */ } });
      return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
    }
    if (pathname.endsWith('/poll')) {
      return new Promise((resolve) => this.polls.push({ last: searchParams.get('last'), answer: (json, status = 200) => resolve(status === 200 ? Response.json(json) : new Response(null, { status })) }));
    }
    return new Response(null, { status: 404 });
  };

  get posts() { return this.requests.filter((r) => r.method === 'POST' && r.path !== '/signal'); }
}

function open(server, options = {}) {
  const clock = new FakeClock();
  const socket = new HttpSocket('http://t/signal?access_token=abc', { fetch: server.fetch, clock, ...options });
  const received = [];
  const closes = [];
  socket.onmessage = (ev) => received.push(JSON.parse(ev.data));
  socket.onclose = (ev) => closes.push(ev);
  return { socket, clock, received, closes };
}

test('the HTTP URL sits beside the WebSocket one, query kept', () => {
  assert.equal(httpSignalingUrlFor('wss://h.example/ws?access_token=x'), 'https://h.example/signal?access_token=x');
  assert.equal(httpSignalingUrlFor('ws://127.0.0.1:8080/ws'), 'http://127.0.0.1:8080/signal');
});

test('opens with the token, reads the event stream in order across split chunks, and keeps the last id', async () => {
  const server = new FakeHttpServer();
  const { socket, received } = open(server);
  await tick();
  assert.deepEqual(server.requests[0], { method: 'POST', path: '/signal', query: { access_token: 'abc' }, body: undefined, headers: undefined });
  assert.equal(socket.readyState, HttpSocket.OPEN);
  const stream = server.streams[0];
  assert.equal(stream.last, '0');
  stream.write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\n: keep-alive\n\nid: 2\nda`);
  stream.write('ta: {"type":"chat",\r\ndata: "text":"hi"}\n\n');
  await tick();
  assert.deepEqual(received.map((m) => m.type), ['hello', 'chat']);
  assert.equal(received[1].text, 'hi');
  assert.equal(socket.transport, 'sse');
});

test('a stream that ends without a close is reopened after the last id seen; replayed messages are not delivered twice', async () => {
  const server = new FakeHttpServer();
  const { clock, received } = open(server);
  await tick();
  server.streams[0].write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\nid: 2\ndata: {"type":"pong"}\n\n`);
  await tick();
  server.streams[0].end();
  await tick();
  clock.advance(1000);
  await tick();
  assert.equal(server.streams.length, 2);
  assert.equal(server.streams[1].last, '2');
  server.streams[1].write('id: 2\ndata: {"type":"pong"}\n\nid: 3\ndata: {"type":"ping"}\n\n');
  await tick();
  assert.deepEqual(received.map((m) => m.type), ['hello', 'pong', 'ping']);
});

test('a stream that delivers nothing, not even hello, gives way to long polling from the start', async () => {
  const server = new FakeHttpServer();
  const { socket, clock, received } = open(server, { streamSilenceMs: 3000 });
  await tick();
  clock.advance(3000);
  await tick();
  assert.ok(server.streams[0].aborted);
  assert.equal(socket.transport, 'long-poll');
  assert.equal(server.polls[0].last, '0');
  server.polls[0].answer({ messages: [HELLO, { type: 'pong' }], last: 2 });
  await tick();
  assert.deepEqual(received.map((m) => m.type), ['hello', 'pong']);
  assert.equal(server.polls[1].last, '2');
  server.polls[1].answer({ messages: [], last: 2, close: { code: 1012, reason: 'shutdown' } });
  await tick();
  assert.equal(socket.readyState, HttpSocket.CLOSED);
});

test('messages are numbered in order; a failed POST is sent again with the same number', async () => {
  const server = new FakeHttpServer();
  let failures = 1;
  server.postStatus = (seq) => (seq === 2 && failures-- > 0 ? 'fail' : 204);
  const { socket, clock } = open(server);
  socket.send('{"type":"a"}');
  socket.send('{"type":"b"}');
  socket.send('{"type":"c"}');
  await tick();
  clock.advance(1000);
  await tick();
  const posts = server.posts.map((r) => [r.query.seq, r.body]);
  assert.deepEqual(posts, [['1', '{"type":"a"}'], ['2', '{"type":"b"}'], ['3', '{"type":"c"}'], ['2', '{"type":"b"}']]);
});

test('the server closing (close event) ends the socket with its code and reason', async () => {
  const server = new FakeHttpServer();
  const { closes } = open(server);
  await tick();
  server.streams[0].write('event: close\ndata: {"code":1008,"reason":"removed"}\n\n');
  await tick();
  assert.deepEqual(closes.map((c) => [c.code, c.reason]), [[1008, 'removed']]);
});

test('close(4000) tells the server with DELETE ?code=4000, so it keeps the place', async () => {
  const server = new FakeHttpServer();
  const { socket } = open(server);
  await tick();
  socket.close(4000);
  await tick();
  assert.deepEqual(server.requests.filter((r) => r.method === 'DELETE').map((r) => [r.path, r.query.code]), [['/signal/S1', '4000']]);
});

test('a refused open delivers the server error, then closes as a WebSocket would (1013 busy)', async () => {
  const server = new FakeHttpServer();
  server.openStatus = 503;
  const { received, closes } = open(server);
  await tick();
  assert.equal(received[0].code, 'server-busy');
  assert.equal(closes[0].code, 1013);
});

test('SignalingClient falls back to HTTP when the WebSocket constructor throws, and keeps HTTP for reconnects', async () => {
  const server = new FakeHttpServer();
  const clock = new FakeClock();
  let constructed = 0;
  const Blocked = function Blocked() { constructed++; throw new Error('blocked'); };
  const client = new SignalingClient({ url: 'ws://t/ws', WebSocket: Blocked, fetch: server.fetch, clock });
  const connecting = client.connect();
  await tick();
  server.streams[0].write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\n`);
  await connecting;
  assert.equal(client.transport, 'sse');
  assert.equal(constructed, 1);
  const again = client.connect();
  await tick();
  server.streams[1].write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\n`);
  await again;
  assert.equal(constructed, 1, 'the reconnect went straight to HTTP');
  client.close();
});

test('SignalingClient falls back when the WebSocket opens but no hello comes within fallbackAfterMs', async () => {
  FakeWebSocket.reset();
  const server = new FakeHttpServer();
  const clock = new FakeClock();
  const client = new SignalingClient({ url: 'ws://t/ws', WebSocket: FakeWebSocket, fetch: server.fetch, clock, fallbackAfterMs: 3000 });
  const connecting = client.connect();
  clock.advance(2999);
  assert.equal(server.requests.length, 0);
  clock.advance(1);
  assert.equal(FakeWebSocket.last.closedWith, 4000);
  await tick();
  server.streams[0].write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\n`);
  await connecting;
  assert.equal(client.transport, 'sse');
  client.close();
});

test('SignalingClient falls back when the WebSocket closes before opening; a WebSocket that works is kept', async () => {
  FakeWebSocket.reset();
  const server = new FakeHttpServer();
  const clock = new FakeClock();
  const client = new SignalingClient({ url: 'ws://t/ws', WebSocket: FakeWebSocket, fetch: server.fetch, clock });
  const first = client.connect();
  FakeWebSocket.last.drop(1006);
  await tick();
  server.streams[0].write(`id: 1\ndata: ${JSON.stringify(HELLO)}\n\n`);
  await first;
  assert.equal(client.transport, 'sse');

  const other = new SignalingClient({ url: 'ws://t/ws', WebSocket: FakeWebSocket, fetch: server.fetch, clock });
  const second = other.connect();
  FakeWebSocket.last.hello();
  await second;
  assert.equal(other.transport, 'websocket', 'a new client (the next join) tries the WebSocket first');
  clock.advance(10000);
  assert.equal(other.transport, 'websocket');
  client.close();
  other.close();
});

test('a pinned websocket transport never falls back', async () => {
  const server = new FakeHttpServer();
  const clock = new FakeClock();
  const Blocked = function Blocked() { throw new Error('blocked'); };
  const client = new SignalingClient({ url: 'ws://t/ws', WebSocket: Blocked, fetch: server.fetch, clock, transport: 'websocket' });
  await assert.rejects(client.connect(), { code: 'server-unreachable' });
  assert.equal(server.requests.length, 0);
  assert.throws(() => new SignalingClient({ url: 'ws://t/ws', transport: 'carrier-pigeon' }), TypeError);
});
