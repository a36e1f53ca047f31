import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { tick, info, joinRoom, resetFakes, FakePeerConnection, MODERATOR } from './access-harness.mjs';

const ALICE = info('A', 'Alice');
const BOB = info('B', 'Bob');

beforeEach(resetFakes);

/** Alice in a call with Bob; the connection negotiated (answer applied), so it can renegotiate. */
async function inCall() {
  const joined = await joinRoom({ self: ALICE, participants: [BOB] });
  const pc = FakePeerConnection.instances[0];
  pc.onnegotiationneeded();
  await tick();
  joined.ws.receive({ type: 'answer', from: BOB.id, sdp: 'remote-answer' });
  await tick();
  return { ...joined, pc };
}

const serverMute = (ws, muted) => ws.receive({ type: 'participant-updated',
  participant: { ...ALICE, muted: true, ...(muted ? { serverMuted: true } : {}) } });

test('muted by a moderator: the mic track is disabled and every connection renegotiates recvonly', async () => {
  const { room, ws, mic, pc } = await inCall();
  assert.equal(pc.transceivers[0].direction, 'sendrecv');
  const offers = () => ws.sent.filter((m) => m.type === 'offer').length;
  const before = offers();
  serverMute(ws, true);
  assert.equal(room.serverMuted, true);
  assert.equal(room.muted, true);
  assert.equal(mic.track.enabled, false);
  assert.equal(pc.transceivers[0].direction, 'recvonly');
  pc.onnegotiationneeded(); // what the browser fires after a direction change
  await tick();
  assert.equal(offers(), before + 1, 'the renegotiation goes out');
  room.leave();
});

test('muted by a moderator: unmute, setMuted(false) and undeafen cannot turn the microphone back on', async () => {
  const { room, ws, mic, pc } = await inCall();
  serverMute(ws, true);
  ws.sent.length = 0;
  await assert.rejects(room.unmute(), { code: 'forbidden' });
  await assert.rejects(room.setMuted(false), { code: 'forbidden' });
  room.setDeafened(true);
  room.setDeafened(false);
  room.setInputMode('push-to-talk');
  room.setPushToTalk(true);
  assert.equal(mic.track.enabled, false);
  assert.equal(room.muted, true);
  assert.equal(room.transmitting, false);
  assert.equal(pc.transceivers[0].direction, 'recvonly');
  assert.ok(!ws.sent.some((m) => m.type === 'state' && m.muted === false));
  room.setPushToTalk(false);
  room.leave();
});

test('a lifted server mute keeps me muted and recvonly until I unmute; then sendrecv again', async () => {
  const { room, ws, mic, pc } = await inCall();
  serverMute(ws, true);
  serverMute(ws, false);
  assert.equal(room.serverMuted, false);
  assert.equal(room.muted, true, 'lifting only allows me to unmute');
  assert.equal(mic.track.enabled, false);
  assert.equal(pc.transceivers[0].direction, 'recvonly');
  ws.sent.length = 0;
  await room.unmute();
  assert.equal(room.muted, false);
  assert.equal(mic.track.enabled, true);
  assert.equal(pc.transceivers[0].direction, 'sendrecv');
  assert.deepEqual(ws.sent.filter((m) => m.type === 'state'), [{ type: 'state', muted: false, speaking: false }]);
  room.leave();
});

test('a connection made while server-muted starts recvonly (recovery, newcomer, resume)', async () => {
  const { room, ws } = await inCall();
  serverMute(ws, true);
  const cy = info('C', 'Cy');
  ws.receive({ type: 'participant-joined', participant: cy });
  ws.receive({ type: 'offer', from: cy.id, sdp: 'remote-offer' });
  await tick();
  await tick();
  const pc = FakePeerConnection.instances.at(-1);
  assert.equal(pc.transceivers[0].direction, 'recvonly', 'the first answer does not send');
  assert.ok(pc.transceivers[0].sender.track, 'the track waits on the transceiver');
  room.leave();
});

test('joined already server-muted (a resume after a mute) stays muted and recvonly', async () => {
  const { room, mic } = await joinRoom({ self: { ...ALICE, muted: true, serverMuted: true }, participants: [BOB] });
  assert.equal(room.serverMuted, true);
  assert.equal(room.muted, true);
  assert.equal(mic.track.enabled, false);
  assert.equal(FakePeerConnection.instances[0].transceivers[0].direction, 'recvonly');
  await assert.rejects(room.unmute(), { code: 'forbidden' });
  room.leave();
});

test('self participant-updated reports permissions and server mute; becoming a moderator shows', async () => {
  const { room, ws, events } = await inCall();
  ws.receive({ type: 'participant-updated', participant: { ...ALICE, permissions: MODERATOR } });
  assert.equal(room.isModerator, true);
  const update = events.filter(([t, d]) => t === 'participant-updated' && d.participant.isSelf).at(-1);
  assert.deepEqual(update[1].changes, ['permissions']);
  room.leave();
});
