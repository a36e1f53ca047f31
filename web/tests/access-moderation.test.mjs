import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { tick, info, joinRoom, resetFakes, FakeWebSocket, FakePeerConnection, MODERATOR } from './access-harness.mjs';

const MOD = info('A', 'Mona', MODERATOR);
const ALICE = info('A', 'Alice');
const BOB = info('B', 'Bob');
const CARL = info('C', 'Carl', MODERATOR);

beforeEach(resetFakes);

test('a moderator mutes, allows to unmute, mutes everyone, removes with a ban and locks the room', async () => {
  const { room, ws } = await joinRoom({ self: MOD, participants: [BOB] });
  ws.sent.length = 0;
  await room.muteParticipant(BOB.id, true);
  await room.muteParticipant(BOB.id, false);
  await room.muteAll();
  await room.removeParticipant(BOB.id, { banSeconds: 600 });
  await room.lockRoom(true);
  await room.lockRoom(false);
  assert.deepEqual(ws.sent, [
    { type: 'mute-participant', id: BOB.id, muted: true },
    { type: 'mute-participant', id: BOB.id, muted: false },
    { type: 'mute-all' },
    { type: 'remove-participant', id: BOB.id, banSeconds: 600 },
    { type: 'lock-room', locked: true },
    { type: 'lock-room', locked: false },
  ]);
  room.leave();
});

test('moderation is refused locally with forbidden / unknown-participant / invalid-message, nothing sent', async () => {
  const plain = await joinRoom({ self: ALICE, participants: [BOB] });
  plain.ws.sent.length = 0;
  await assert.rejects(plain.room.muteParticipant(BOB.id, true), { code: 'forbidden', ref: 'mute-participant' });
  await assert.rejects(plain.room.lockRoom(true), { code: 'forbidden' });
  await assert.rejects(plain.room.muteAll(), { code: 'forbidden' });
  assert.deepEqual(plain.ws.sent, []);
  plain.room.leave();

  resetFakes();
  const { room, ws } = await joinRoom({ self: MOD, participants: [BOB, CARL] });
  ws.sent.length = 0;
  await assert.rejects(room.removeParticipant(CARL.id), { code: 'forbidden' }, 'moderators cannot act on each other');
  await assert.rejects(room.muteParticipant(CARL.id, true), { code: 'forbidden' });
  await assert.rejects(room.muteParticipant('p_ZZZZZZZZZZZZ', true), { code: 'unknown-participant' });
  await assert.rejects(room.removeParticipant(MOD.id), { code: 'unknown-participant' });
  await assert.rejects(room.removeParticipant(BOB.id, { banSeconds: 86401 }), { code: 'invalid-message' });
  await assert.rejects(room.removeParticipant(BOB.id, { banSeconds: 1.5 }), { code: 'invalid-message' });
  assert.deepEqual(ws.sent, []);
  room.leave();
});

test('the server refusing a moderation message is an error event with its code', async () => {
  const { room, ws, events } = await joinRoom({ self: MOD, participants: [BOB] });
  ws.receive({ type: 'error', code: 'forbidden', message: 'no', ref: 'mute-participant' });
  const error = events.find(([t]) => t === 'error')[1].error;
  assert.equal(error.code, 'forbidden');
  assert.equal(error.ref, 'mute-participant');
  assert.equal(room.state, 'joined');
  room.leave();
});

for (const [code, reason] of [['removed', 'removed'], ['room-deleted', 'room-deleted']]) {
  test(`${code}: every connection closes at once, no resume, removed {reason: ${reason}}, closed`, async () => {
    const { room, ws, clock, events, mic } = await joinRoom({ self: ALICE, participants: [BOB, info('C', 'Cy')] });
    ws.receive({ type: 'error', code, message: 'You were removed.' });
    assert.equal(room.state, 'closed');
    assert.ok(FakePeerConnection.instances.every((pc) => pc.closed === 1), 'every peer connection closed');
    assert.equal(mic.track.stopped, true);
    assert.deepEqual(events.filter(([t]) => t === 'removed').map(([, d]) => [d.reason, d.error.code]), [[reason, code]]);
    assert.equal(events.at(-1)[0], 'closed');
    assert.equal(events.at(-1)[1].reason, 'removed');
    ws.drop(1008); // the server's close that follows
    clock.advance(300_000);
    await tick();
    assert.equal(FakeWebSocket.instances.length, 1, 'never reconnects');
    assert.ok(!events.some(([t]) => t === 'reconnecting'));
  });
}

for (const reason of ['removed', 'replaced']) {
  test(`participant-left with reason ${reason} closes the connection to them at once`, async () => {
    const { room, ws, events } = await joinRoom({ self: ALICE, participants: [BOB] });
    ws.receive({ type: 'participant-left', id: BOB.id, reason });
    assert.equal(FakePeerConnection.instances[0].closed, 1);
    assert.equal(room.getParticipant(BOB.id), null);
    assert.equal(events.at(-1)[1].reason, reason);
    room.leave();
  });
}

test('joined and room-updated carry locked and metadata; room-updated reports what changed', async () => {
  const { room, ws, events } = await joinRoom({ self: ALICE, extra: { locked: true, metadata: '{"topic":"x"}' } });
  assert.equal(room.locked, true);
  assert.equal(room.metadata, '{"topic":"x"}');
  ws.receive({ type: 'room-updated', locked: false, metadata: '{"topic":"x"}' });
  assert.equal(room.locked, false);
  assert.deepEqual(events.filter(([t]) => t === 'room-updated').map(([, d]) => d.changes), [['locked']]);
  room.leave();
});

test('data from the app backend becomes a data event with bytes and topic; a bad payload is dropped', async () => {
  const { room, ws, events } = await joinRoom({ self: ALICE });
  ws.receive({ type: 'data', payload: Buffer.from('héllo').toString('base64'), topic: 'news' });
  ws.receive({ type: 'data', payload: '%%%not base64' });
  ws.receive({ type: 'data', payload: 'AAE=' });
  const data = events.filter(([t]) => t === 'data').map(([, d]) => d);
  assert.equal(data.length, 2);
  assert.ok(data[0].payload instanceof Uint8Array);
  assert.equal(new TextDecoder().decode(data[0].payload), 'héllo');
  assert.equal(data[0].topic, 'news');
  assert.deepEqual([...data[1].payload], [0, 1]);
  assert.equal(data[1].topic, null);
  room.leave();
});

test('participants carry identity, metadata, permissions and serverMuted (defaults from an older server)', async () => {
  const old = { id: 'p_DDDDDDDDDDDD', name: 'Dee', muted: false, speaking: false };
  const { room } = await joinRoom({ self: ALICE, participants: [{ ...BOB, metadata: 'm', serverMuted: true }, old] });
  const bob = room.getParticipant(BOB.id);
  assert.deepEqual([bob.identity, bob.metadata, bob.serverMuted, bob.mayBeHeard], ['bob', 'm', true, false]);
  const dee = room.getParticipant(old.id);
  assert.deepEqual([dee.identity, dee.metadata, dee.serverMuted], [old.id, '', false]);
  assert.deepEqual({ ...dee.permissions }, { canPublish: true, canSubscribe: true, canPublishData: true, admin: false });
  room.leave();
});
