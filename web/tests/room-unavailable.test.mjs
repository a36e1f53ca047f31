// Several server nodes: a join the reached node cannot decide now (its shared store is away) is refused with
// `unavailable`; the SDK tries it again on the same connection, with the reconnect backoff, a bounded number of times.
import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyRoom } from '../sdk/room.js';
import { UNAVAILABLE_RETRIES } from '../sdk/room-link.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakePeerConnection } from './fake-peer-connection.mjs';
import { FakeClock } from './fake-clock.mjs';

const ALICE = { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false };
const TOKEN = 'Vq0dZb2E3Jj1o0QWcE2s3o5mY8bB1nA9xqk3Jt2Yv0c';
const tick = () => new Promise((r) => setTimeout(r, 0));
const unavailable = { type: 'error', code: 'unavailable', message: 'try again', ref: 'join' };

function newRoom() {
  const track = { kind: 'audio', enabled: true, stop() {}, addEventListener() {} };
  const clock = new FakeClock();
  const room = new ParleyRoom({
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false, audioElements: false,
    preferences: false, getMicrophone: async () => ({ getAudioTracks: () => [track], getTracks: () => [track] }), clock, random: () => 0,
  });
  return { room, clock };
}

const joins = (ws) => ws.sent.filter((message) => message.type === 'join');

beforeEach(() => { FakeWebSocket.reset(); FakePeerConnection.instances = []; });

test('a join refused with unavailable is sent again after the backoff, on the same connection, and then succeeds', async () => {
  const { room, clock } = newRoom();
  const joining = room.join({ url: 'ws://t/ws', room: 'r', name: 'Alice' });
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello();
  await tick();
  assert.equal(joins(ws).length, 1);
  ws.receive(unavailable);
  await tick();
  assert.equal(joins(ws).length, 1, 'not at once: after the backoff');
  clock.advance(250); // backoffDelayMs(0) with random() = 0
  await tick();
  assert.equal(joins(ws).length, 2);
  assert.equal(FakeWebSocket.instances.length, 1, 'the same connection');
  ws.receive({ type: 'joined', protocol: 1, room: 'r', resumeToken: TOKEN, resumed: false, self: ALICE, participants: [], iceServers: [] });
  const joined = await joining;
  assert.equal(joined.self.id, ALICE.id);
  assert.equal(room.state, 'joined');
});

test('unavailable is tried a bounded number of times, then the join fails with it', async () => {
  const { room, clock } = newRoom();
  const joining = room.join({ url: 'ws://t/ws', room: 'r', name: 'Alice' });
  const failed = joining.then(() => null, (err) => err);
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello();
  await tick();
  for (let attempt = 0; attempt <= UNAVAILABLE_RETRIES; attempt++) {
    ws.receive(unavailable);
    await tick();
    clock.advance(10_000);
    await tick();
  }
  const error = await failed;
  assert.equal(error?.code, 'unavailable');
  assert.equal(joins(ws).length, UNAVAILABLE_RETRIES + 1);
});

test('other refusals are not retried', async () => {
  const { room, clock } = newRoom();
  const failed = room.join({ url: 'ws://t/ws', room: 'r', name: 'Alice' }).then(() => null, (err) => err);
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello();
  await tick();
  ws.receive({ type: 'error', code: 'room-full', message: 'full', ref: 'join' });
  await tick();
  clock.advance(10_000);
  assert.equal((await failed)?.code, 'room-full');
  assert.equal(joins(ws).length, 1);
});
