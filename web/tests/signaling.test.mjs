import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient, DEFAULT_LIMITS, signalingUrlFor } from '../sdk/signaling.js';
import { FakeWebSocket } from './fake-websocket.mjs';

const WS_URL = 'ws://127.0.0.1:8080/ws';
const JOINED = {
  type: 'joined', protocol: 1, room: 'Game-Night',
  self: { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false },
  participants: [{ id: 'p_BBBBBBBBBBBB', name: 'Bob', muted: true, speaking: false }],
  iceServers: [],
};

function client(options = {}) {
  // Pinned to the WebSocket: these tests script it; falling back to HTTP has its own (http-socket.test.mjs).
  const c = new SignalingClient({ url: WS_URL, WebSocket: FakeWebSocket, keepAliveMs: 0, transport: 'websocket', ...options });
  const states = [];
  c.addEventListener('statechange', (e) => states.push(e.detail.state));
  return { c, states };
}

async function joinedClient() {
  const { c, states } = client();
  const connected = c.connect();
  FakeWebSocket.last.hello();
  await connected;
  const joining = c.join({ room: 'game-night', name: 'Alice' });
  FakeWebSocket.last.receive(JOINED);
  await joining;
  return { c, states, ws: FakeWebSocket.last };
}

beforeEach(() => FakeWebSocket.reset());

test('connect waits for hello, then join sends join {protocol:1, room, name, muted} and resolves with joined', async () => {
  const { c, states } = client();
  assert.equal(c.state, 'idle');
  const connected = c.connect();
  assert.equal(c.state, 'connecting');
  const ws = FakeWebSocket.last;
  assert.equal(ws.url, WS_URL);
  assert.deepEqual(ws.sent, [], 'nothing is sent before hello');
  ws.hello({ maxMessageBytes: 1000, messagesPerSecond: 20 });
  const hello = await connected;
  assert.equal(hello.type, 'hello');
  assert.equal(c.state, 'open');
  assert.equal(c.limits.maxMessageBytes, 1000);
  assert.equal(c.limits.maxParticipantsPerRoom, DEFAULT_LIMITS.maxParticipantsPerRoom);

  const joining = c.join({ room: 'game-night', name: 'Alice', muted: true });
  assert.deepEqual(ws.sent, [{ type: 'join', protocol: 1, room: 'game-night', name: 'Alice', muted: true }]);
  ws.receive(JOINED);
  assert.deepEqual(await joining, JOINED);
  assert.equal(c.state, 'joined');
  assert.deepEqual(c.session, JOINED);
  assert.deepEqual(states, ['connecting', 'open', 'joined']);
  c.close();
  assert.equal(c.state, 'closed');
  assert.equal(ws.closedWith, 1000);
});

for (const [code, message] of [
  ['room-full', "Room 'game-night' is full (16 participants)."],
  ['invalid-name', 'Display names must be 1 to 32 characters.'],
  ['invalid-room', 'Room names may contain letters, digits, and - _ . ~ and single spaces.'],
]) {
  test(`a server ${code} error rejects join with that code and the server's message`, async () => {
    const { c } = client();
    const connected = c.connect();
    FakeWebSocket.last.hello();
    await connected;
    const joining = c.join({ room: 'game-night', name: 'Alice' });
    FakeWebSocket.last.receive({ type: 'error', code, message, ref: 'join' });
    await assert.rejects(joining, (err) => err.code === code && err.message === message && err.ref === 'join');
    assert.equal(c.state, 'open', 'the socket stays open; join may be retried');
    c.close();
  });
}

test('a socket that closes before hello is server-unreachable', async () => {
  const { c, states } = client();
  const closes = [];
  c.addEventListener('close', (e) => closes.push(e.detail.error.code));
  const connected = c.connect();
  FakeWebSocket.last.drop();
  await assert.rejects(connected, { code: 'server-unreachable' });
  assert.equal(c.state, 'closed');
  assert.deepEqual(states, ['connecting', 'closed']);
  assert.deepEqual(closes, ['server-unreachable']);
});

test('a constructor that throws is server-unreachable', async () => {
  const c = new SignalingClient({ url: 'nope', WebSocket: class { constructor() { throw new SyntaxError('bad url'); } }, keepAliveMs: 0 });
  await assert.rejects(c.connect(), { code: 'server-unreachable' });
  assert.equal(c.state, 'closed');
});

test('no hello in time is server-unreachable', async () => {
  const { c } = client({ helloTimeoutMs: 20 });
  await assert.rejects(c.connect(), { code: 'server-unreachable' });
  assert.equal(c.state, 'closed');
  assert.equal(FakeWebSocket.last.closedWith, 4000, 'the socket is closed');
});

test('losing the socket after joining is connection-lost', async () => {
  const { c, states, ws } = await joinedClient();
  const closes = [];
  c.addEventListener('close', (e) => closes.push(e.detail));
  ws.drop(1006);
  assert.equal(c.state, 'closed');
  assert.equal(closes.length, 1);
  assert.equal(closes[0].error.code, 'connection-lost');
  assert.equal(closes[0].code, 1006);
  assert.deepEqual(states, ['connecting', 'open', 'joined', 'closed']);
});

test('a fatal server error is the reason of the close that follows', async () => {
  const { c, ws } = await joinedClient();
  const closes = [];
  c.addEventListener('close', (e) => closes.push(e.detail.error));
  ws.receive({ type: 'error', code: 'too-many-errors', message: 'Too many errors.' });
  ws.drop(1008);
  assert.equal(closes[0].code, 'too-many-errors');
  assert.equal(closes[0].fatal, true);
});

test('events from a superseded connection attempt are dropped', async () => {
  const { c } = client();
  const first = c.connect();
  const old = FakeWebSocket.last;
  const second = c.connect();
  await assert.rejects(first, { code: 'aborted' });
  const current = FakeWebSocket.last;
  assert.notEqual(old, current);
  assert.equal(old.closedWith, 4000, "superseded, not left: the server keeps the place");
  old.hello();
  old.drop();
  assert.equal(c.state, 'connecting', 'the old socket changes nothing');
  current.hello();
  await second;
  assert.equal(c.state, 'open');
  c.close();
  const events = [];
  c.addEventListener('close', () => events.push('close'));
  current.drop();
  assert.deepEqual(events, [], 'after close(), the socket is ignored');
});

test('relayed messages become typed events while joined', async () => {
  const { c, ws } = await joinedClient();
  const got = [];
  for (const type of ['participant-joined', 'participant-left', 'participant-state', 'offer', 'answer', 'candidate']) {
    c.addEventListener(type, (e) => got.push([type, e.detail]));
  }
  const messages = [
    { type: 'participant-joined', participant: { id: 'p_C', name: 'Cy', muted: false, speaking: false } },
    { type: 'participant-state', id: 'p_C', muted: true, speaking: false },
    { type: 'offer', from: 'p_C', sdp: 'v=0' },
    { type: 'answer', from: 'p_C', sdp: 'v=0' },
    { type: 'candidate', from: 'p_C', candidate: { candidate: 'candidate:1 1 udp 1 127.0.0.1 1 typ host', sdpMid: '0', sdpMLineIndex: 0 } },
    { type: 'participant-left', id: 'p_C', reason: 'left' },
  ];
  for (const m of messages) ws.receive(m);
  ws.receive('not json');
  ws.receive({ no: 'type' });
  assert.deepEqual(got.map(([t]) => t), messages.map((m) => m.type));
  assert.deepEqual(got.map(([, d]) => d), messages);
  c.close();
});

test('send helpers produce the protocol messages', async () => {
  const { c, ws } = await joinedClient();
  ws.sent.length = 0;
  c.sendOffer('p_B', 'sdp-o');
  c.sendAnswer('p_B', 'sdp-a');
  c.sendCandidate('p_B', { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 });
  c.sendCandidate('p_B', null);
  c.sendState({ muted: true, speaking: false });
  c.ping(7);
  c.leave();
  assert.equal(c.state, 'open');
  assert.deepEqual(ws.sent, [
    { type: 'offer', to: 'p_B', sdp: 'sdp-o' },
    { type: 'answer', to: 'p_B', sdp: 'sdp-a' },
    { type: 'candidate', to: 'p_B', candidate: { candidate: 'c', sdpMid: '0', sdpMLineIndex: 0 } },
    { type: 'candidate', to: 'p_B', candidate: null },
    { type: 'state', muted: true, speaking: false },
    { type: 'ping', id: 7 },
    { type: 'leave' },
  ]);
  c.close();
});

test('a message over hello.limits.maxMessageBytes is refused with too-large', async () => {
  const { c } = client();
  const connected = c.connect();
  FakeWebSocket.last.hello({ maxMessageBytes: 100 });
  await connected;
  assert.throws(() => c.send({ type: 'ping', id: 'x'.repeat(100) }), { code: 'too-large' });
  assert.deepEqual(FakeWebSocket.last.sent, []);
  c.close();
});

test('messages beyond the burst are delayed, in order, not dropped', async () => {
  const { c } = client();
  const connected = c.connect();
  const ws = FakeWebSocket.last;
  ws.hello({ messagesPerSecond: 50, messageBurst: 5 });
  await connected;
  for (let i = 0; i < 8; i++) c.ping(i);
  assert.equal(ws.sent.length, 4, '90 % of the burst goes at once');
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(ws.sent.map((m) => m.id), [0, 1, 2, 3, 4, 5, 6, 7]);
  c.close();
});

test('join is only allowed while open, and sending needs a connection', async () => {
  const { c } = client();
  await assert.rejects(c.join({ room: 'r', name: 'n' }), { code: 'invalid-state' });
  assert.throws(() => c.ping(), { code: 'not-connected' });
});

test('no joined in time rejects join with timeout', async () => {
  const { c } = client({ joinTimeoutMs: 20 });
  const connected = c.connect();
  FakeWebSocket.last.hello();
  await connected;
  await assert.rejects(c.join({ room: 'r', name: 'n' }), { code: 'timeout' });
  c.close();
});

test('close() is safe to call twice and rejects a pending join', async () => {
  const { c } = client();
  const connected = c.connect();
  FakeWebSocket.last.hello();
  await connected;
  const joining = c.join({ room: 'r', name: 'n' });
  c.close();
  c.close();
  await assert.rejects(joining, { code: 'aborted' });
  assert.equal(c.state, 'closed');
});

test('the signaling URL follows the page scheme', () => {
  assert.equal(signalingUrlFor(new URL('http://example.org:8080/?room=x')), 'ws://example.org:8080/ws');
  assert.equal(signalingUrlFor(new URL('https://example.org/')), 'wss://example.org/ws');
});
