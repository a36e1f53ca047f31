import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ACCESS_REFUSAL_CODES, SERVER_ERROR_CODES } from '../sdk/errors.js';
import {
  tick, token, info, makeRoom, joinRoom, resetFakes, FakeWebSocket, FakePeerConnection, LISTENER, PUBLISHER,
  RESUME_TOKEN,
} from './access-harness.mjs';

const ALICE = info('A', 'Alice');
const BOB = info('B', 'Bob');
const JWT = token({ iss: 'key', sub: 'alice', name: 'Alice', exp: 4102444800, video: { roomJoin: true, room: 'r' } });
const LISTENER_JWT = token({ sub: 'lena', exp: 4102444800, video: { roomJoin: true, room: 'r', canPublish: false } });

beforeEach(resetFakes);

test('join({token}) sends the token in join, without room or name, and resumes with the opaque resume token as is', async () => {
  const { room, ws, clock } = await joinRoom({ join: { token: JWT }, self: ALICE, participants: [BOB] });
  assert.deepEqual(ws.sent[0], { type: 'join', protocol: 1, muted: false, token: JWT });
  assert.equal(room.state, 'joined');
  assert.equal(room.self.identity, 'alice');
  ws.drop(1006);
  clock.advance(1000);
  FakeWebSocket.last.hello();
  await tick();
  const resume = FakeWebSocket.last.sent[0];
  assert.equal(resume.type, 'resume');
  assert.equal(resume.token, RESUME_TOKEN, 'the longer token-mode resume token is sent back untouched');
  assert.equal(resume.room, 'r');
  assert.equal(resume.name, 'Alice');
  assert.equal('token' in resume && resume.token === JWT, false, 'the app token is not needed to resume');
  room.leave();
});

for (const code of ACCESS_REFUSAL_CODES) {
  test(`a join refused with ${code} rejects with that code and is never retried`, async () => {
    const { room, mic, clock } = makeRoom();
    const joining = room.join({ url: 'ws://t/ws', token: JWT });
    await tick();
    FakeWebSocket.last.hello();
    await tick();
    // No `ref`: the code alone says it answers the join.
    FakeWebSocket.last.receive({ type: 'error', code, message: `refused: ${code}` });
    await assert.rejects(joining, { code });
    assert.equal(room.state, 'closed');
    assert.equal(mic.track.stopped, true);
    clock.advance(120_000);
    await tick();
    assert.equal(FakeWebSocket.instances.length, 1, 'no second connection');
  });
}

test('every access code is a stable server error code', () => {
  for (const code of ACCESS_REFUSAL_CODES) assert.ok(SERVER_ERROR_CODES.includes(code), code);
  assert.deepEqual([...ACCESS_REFUSAL_CODES].sort(), ['banned', 'duplicate-identity', 'forbidden', 'removed',
    'room-deleted', 'room-locked', 'token-algorithm', 'token-expired', 'token-malformed', 'token-missing',
    'token-no-grant', 'token-no-identity', 'token-not-yet-valid', 'token-signature', 'token-unknown-key',
    'token-wrong-room']);
});

test('a resume refused as banned (removed while away) ends the call as removed, without more tries', async () => {
  const { room, ws, clock, events } = await joinRoom({ join: { token: JWT }, self: ALICE, participants: [BOB] });
  ws.drop(1006);
  clock.advance(1000);
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'error', code: 'banned', message: 'no', ref: 'resume' });
  await tick();
  assert.equal(room.state, 'closed');
  assert.equal(events.find(([t]) => t === 'removed')?.[1].reason, 'removed');
  const sockets = FakeWebSocket.instances.length;
  clock.advance(120_000);
  assert.equal(FakeWebSocket.instances.length, sockets);
});

test('a listener token opens no microphone, offers recvonly without a track, and cannot unmute', async () => {
  const self = info('A', 'Lena', LISTENER);
  const { room, ws, opened } = await joinRoom({ join: { token: LISTENER_JWT }, self, participants: [BOB] });
  assert.deepEqual(opened, [], 'getUserMedia never called');
  assert.equal(room.localStream, null);
  assert.equal(room.canPublish, false);
  assert.equal(room.muted, true);
  assert.equal(ws.sent[0].muted, true, 'joins muted');
  const pc = FakePeerConnection.instances[0];
  assert.deepEqual(pc.transceivers.map((t) => [t.direction, t.sender.track]), [['recvonly', null]]);
  pc.onnegotiationneeded();
  await tick();
  assert.equal(ws.sent.filter((m) => m.type === 'offer').length, 1, 'still offers, to receive');
  await assert.rejects(room.unmute(), { code: 'forbidden' });
  await assert.rejects(room.setMuted(false), { code: 'forbidden' });
  room.setDeafened(true);
  room.setDeafened(false);
  assert.equal(room.muted, true, 'undeafening does not unmute a listener');
  assert.deepEqual(opened, []);
  assert.ok(!ws.sent.some((m) => m.type === 'state' && m.muted === false), 'never says it is unmuted');
  room.leave();
});

test('a listener answers a newcomer recvonly', async () => {
  const self = info('A', 'Lena', LISTENER);
  const { room, ws } = await joinRoom({ join: { token: LISTENER_JWT }, self });
  ws.receive({ type: 'participant-joined', participant: BOB });
  const pc = FakePeerConnection.instances[0];
  ws.receive({ type: 'offer', from: BOB.id, sdp: 'remote-offer' });
  await tick();
  await tick();
  assert.deepEqual(pc.transceivers.map((t) => [t.direction, t.sender.track]), [['recvonly', null]]);
  assert.equal(ws.sent.filter((m) => m.type === 'answer').length, 1);
  room.leave();
});

test('the server has the last word: a listener per joined.self releases a microphone the token seemed to allow', async () => {
  const self = info('A', 'Alice', LISTENER);
  const { room, mic, opened } = await joinRoom({ join: { token: JWT }, self, participants: [BOB] });
  assert.equal(opened.length, 1);
  assert.equal(mic.track.stopped, true, 'the microphone is closed again');
  assert.equal(room.localStream, null);
  assert.equal(FakePeerConnection.instances[0].transceivers[0].direction, 'recvonly');
  assert.equal(FakePeerConnection.instances[0].transceivers[0].sender.track, null);
  room.leave();
});

test('a listener allowed to publish mid-call opens the microphone on unmute and sends again', async () => {
  const self = info('A', 'Lena', LISTENER);
  const { room, ws, opened } = await joinRoom({ join: { token: LISTENER_JWT }, self, participants: [BOB] });
  ws.receive({ type: 'participant-updated', participant: { ...self, permissions: PUBLISHER } });
  assert.equal(room.canPublish, true);
  assert.equal(room.muted, true, 'still muted until I unmute');
  assert.deepEqual(opened, []);
  await room.unmute();
  assert.equal(opened.length, 1);
  assert.equal(room.muted, false);
  const t = FakePeerConnection.instances[0].transceivers[0];
  assert.equal(t.direction, 'sendrecv');
  assert.equal(t.sender.track, room.localStream.getAudioTracks()[0]);
  room.leave();
});
