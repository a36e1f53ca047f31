import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { SignalingClient } from '../sdk/signaling.js';
import { Reconnector, backoffDelayMs, goawayDelayMs, BACKOFF, isTerminal } from '../sdk/reconnect.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakeClock } from './fake-clock.mjs';

const tick = () => new Promise((r) => setTimeout(r, 0));
const TOKEN = 'Vq0dZb2E3Jj1o0QWcE2s3o5mY8bB1nA9xqk3Jt2Yv0c';
const BEATS = { heartbeatSeconds: 10, heartbeatTimeoutSeconds: 25, resumeGraceSeconds: 20 };
const joinedMessage = (extra = {}) => ({
  type: 'joined', protocol: 1, room: 'Game-Night', resumeToken: TOKEN, resumed: false,
  self: { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false }, participants: [], iceServers: [], ...extra,
});

/** A client joined through a fake socket, with a Reconnector watching it (random() = `r`). */
async function joined({ r = 0.5 } = {}) {
  const clock = new FakeClock();
  // These tests script the WebSocket's failures; in auto a WebSocket that closes before hello would go on over HTTP
  // (transport-choice.js, tested in http-socket.test.mjs): pin it.
  const signaling = new SignalingClient({ url: 'ws://t/ws', WebSocket: FakeWebSocket, clock, transport: 'websocket' });
  let muted = false;
  const reconnector = new Reconnector({ signaling, clock, random: () => r, identity: () => ({ room: 'Game-Night', name: 'Alice', muted }) });
  const events = [];
  for (const type of ['reconnecting', 'resumed', 'failed']) reconnector.addEventListener(type, (e) => events.push([type, e.detail]));
  const connecting = signaling.connect();
  FakeWebSocket.last.hello(BEATS);
  await connecting;
  const joining = signaling.join({ room: 'game-night', name: 'Alice' });
  FakeWebSocket.last.receive(joinedMessage());
  reconnector.start(await joining);
  return { clock, signaling, reconnector, events, ws: FakeWebSocket.last, setMuted: (m) => { muted = m; } };
}

beforeEach(() => FakeWebSocket.reset());

test('backoff: full jitter between 250 ms and a ceiling that doubles from 500 ms up to 5 s', () => {
  const ceilings = [500, 1000, 2000, 4000, 5000, 5000, 5000];
  ceilings.forEach((ceiling, attempt) => {
    assert.equal(backoffDelayMs(attempt, () => 0), BACKOFF.minMs, `attempt ${attempt} at least 250 ms`);
    assert.equal(backoffDelayMs(attempt, () => 0.999999), ceiling, `attempt ${attempt} at most ${ceiling} ms`);
    const mid = backoffDelayMs(attempt, () => 0.5);
    assert.ok(mid > 250 && mid < ceiling);
  });
  assert.equal(backoffDelayMs(1000, () => 1), 5000, 'no overflow for huge attempt counts');
  for (let i = 0; i < 200; i++) {
    const d = backoffDelayMs(i % 8);
    assert.ok(d >= 250 && d <= 5000, `random delay ${d} in bounds`);
  }
});

test('goaway: wait retryAfterMs plus up to a second of jitter', () => {
  assert.equal(goawayDelayMs(1000, () => 0), 1000);
  assert.equal(goawayDelayMs(1000, () => 0.5), 1500);
  assert.ok(goawayDelayMs(1000, () => 0.999) < 2000);
});

test('the server\'s ping is answered with pong, at once', async () => {
  const { ws } = await joined();
  ws.sent.length = 0;
  ws.receive({ type: 'ping' });
  assert.deepEqual(ws.sent, [{ type: 'pong' }]);
});

test('a lost socket is resumed with the token, room, name and current muted state, not joined', async () => {
  const { clock, signaling, events, ws, setMuted } = await joined({ r: 0 });
  setMuted(true);
  ws.drop(1006);
  assert.equal(signaling.state, 'closed');
  assert.deepEqual(events.map(([t, d]) => [t, d.attempt, d.delayMs]), [['reconnecting', 1, 250]]);
  clock.advance(249);
  assert.equal(FakeWebSocket.instances.length, 1, 'not before the backoff delay');
  clock.advance(1);
  assert.equal(FakeWebSocket.instances.length, 2);
  const next = FakeWebSocket.last;
  next.hello(BEATS);
  await tick();
  assert.deepEqual(next.sent, [{ type: 'resume', protocol: 1, room: 'Game-Night', token: TOKEN, name: 'Alice', muted: true }]);
  next.receive(joinedMessage({ resumed: true, resumeToken: 'T'.repeat(43) }));
  await tick();
  assert.equal(signaling.state, 'joined');
  assert.equal(events.at(-1)[0], 'resumed');
  assert.equal(events.at(-1)[1].joined.resumed, true);
  // The next loss resumes with the newest token and starts the backoff over.
  next.drop();
  assert.equal(events.at(-1)[1].attempt, 1);
  clock.advance(250);
  FakeWebSocket.last.hello(BEATS);
  await tick();
  assert.equal(FakeWebSocket.last.sent[0].token, 'T'.repeat(43));
});

test('failed attempts back off: 250-500, then up to 1000, 2000 ms ...', async () => {
  const { clock, events, ws } = await joined({ r: 0.999999 });
  ws.drop();
  for (const expected of [500, 1000, 2000, 4000, 5000]) {
    assert.equal(events.at(-1)[1].delayMs, expected);
    clock.advance(expected);
    FakeWebSocket.last.drop(); // the server is still down
    await tick();
  }
  assert.equal(events.filter(([t]) => t === 'reconnecting').length, 6);
});

test('silence for heartbeatTimeoutSeconds abandons the socket with 4000 and reconnects', async () => {
  const { clock, signaling, events, ws } = await joined();
  clock.advance(20000);
  ws.receive({ type: 'ping' }); // a sign of life resets the clock
  clock.advance(24999);
  assert.equal(signaling.state, 'joined');
  clock.advance(1);
  assert.equal(signaling.state, 'closed');
  assert.equal(ws.closedWith, 4000);
  assert.equal(events[0][0], 'reconnecting');
  assert.equal(events[0][1].error.code, 'connection-lost');
});

test('goaway: the socket is abandoned at once and the first try waits retryAfterMs plus jitter', async () => {
  const { clock, events, ws } = await joined({ r: 0.5 });
  ws.receive({ type: 'goaway', reason: 'shutdown', retryAfterMs: 3000 });
  assert.equal(ws.closedWith, 4000);
  assert.deepEqual(events.map(([t, d]) => [t, d.delayMs]), [['reconnecting', 3500]]);
  clock.advance(3499);
  assert.equal(FakeWebSocket.instances.length, 1);
  clock.advance(1);
  assert.equal(FakeWebSocket.instances.length, 2);
});

test('session-replaced stops reconnecting for good', async () => {
  const { clock, events, ws } = await joined();
  ws.receive({ type: 'error', code: 'session-replaced', message: 'Resumed elsewhere.' });
  ws.drop(1008);
  assert.deepEqual(events.map(([t, d]) => [t, d.error.code]), [['failed', 'session-replaced']]);
  clock.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 1, 'no new socket');
});

test('a resume refused with a join error (room-full) stops; a resume that times out tries again', async () => {
  const { clock, events, ws } = await joined({ r: 0 });
  ws.drop();
  clock.advance(250);
  FakeWebSocket.last.hello(BEATS);
  await tick();
  clock.advance(15000); // no joined: join timeout
  await tick();
  assert.equal(FakeWebSocket.instances[1].closedWith, 4000);
  assert.equal(events.at(-1)[0], 'reconnecting');
  clock.advance(events.at(-1)[1].delayMs);
  FakeWebSocket.last.hello(BEATS);
  await tick();
  FakeWebSocket.last.receive({ type: 'error', code: 'room-full', message: 'full', ref: 'resume' });
  await tick();
  assert.deepEqual(events.at(-1)[0], 'failed');
  assert.equal(events.at(-1)[1].error.code, 'room-full');
});

test('close() after leave is a normal close (1000) and never reconnects', async () => {
  const { clock, signaling, events, ws } = await joined();
  signaling.leave();
  signaling.close();
  assert.equal(ws.closedWith, 1000);
  assert.deepEqual(ws.sent.at(-1), { type: 'leave' });
  clock.advance(60000);
  assert.deepEqual(events, []);
  assert.equal(FakeWebSocket.instances.length, 1);
});

test('terminal codes', () => {
  for (const code of ['session-replaced', 'room-full', 'invalid-token', 'invalid-name']) assert.ok(isTerminal({ code }));
  for (const code of ['connection-lost', 'server-unreachable', 'timeout', 'server-busy', 'heartbeat-timeout']) assert.ok(!isTerminal({ code }));
});

test('a server that advertises no heartbeats gets our pings instead, and 2.5 intervals of silence count as lost', async () => {
  const clock = new FakeClock();
  const signaling = new SignalingClient({ url: 'ws://t/ws', WebSocket: FakeWebSocket, clock, keepAliveMs: 20000, transport: 'websocket' });
  const closes = [];
  signaling.addEventListener('close', (e) => closes.push(e.detail.error.code));
  const connecting = signaling.connect();
  FakeWebSocket.last.hello({});
  await connecting;
  const ws = FakeWebSocket.last;
  clock.advance(20000);
  assert.deepEqual(ws.sent, [{ type: 'ping', id: 1 }]);
  ws.receive({ type: 'pong', id: 1 });
  clock.advance(49999);
  assert.equal(signaling.state, 'open');
  clock.advance(1);
  assert.deepEqual(closes, ['connection-lost']);
  assert.equal(ws.closedWith, 4000);
});

test('with server heartbeats the client sends no pings of its own', async () => {
  const { clock, ws } = await joined();
  ws.sent.length = 0;
  for (let i = 0; i < 5; i++) {
    clock.advance(10000);
    ws.receive({ type: 'ping' });
  }
  assert.deepEqual(ws.sent, Array(5).fill({ type: 'pong' }));
});
