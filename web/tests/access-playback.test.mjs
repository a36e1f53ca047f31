import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { tick, info, joinRoom, resetFakes, remoteStream, FakePeerConnection, LISTENER, PUBLISHER } from './access-harness.mjs';

const ALICE = info('A', 'Alice');
const BOB = info('B', 'Bob');

/** Just enough of a document for AudioPlayback: <audio> elements that play. No Web Audio in node: element volume. */
class FakeDocument extends EventTarget {
  createElement(tag) {
    return {
      tag, srcObject: null, muted: false, volume: 1, paused: true,
      setAttribute() {}, remove() {}, pause() { this.paused = true; }, play() { this.paused = false; return Promise.resolve(); },
    };
  }
}

beforeEach(() => { resetFakes(); globalThis.document = new FakeDocument(); });
afterEach(() => { delete globalThis.document; });

/** Alice hears `other`: the call is up and their audio arrived. */
async function hearing(other) {
  const joined = await joinRoom({ self: ALICE, participants: [other], options: { audioElements: true } });
  const remote = remoteStream();
  FakePeerConnection.instances[0].ontrack({ track: remote.track, streams: [remote.stream] });
  const participant = joined.room.getParticipant(other.id);
  return { ...joined, participant, remote };
}

/** What Alice hears of `participant`: nothing unless the element plays their stream, unmuted, above 0. */
function audible({ audio, stream }) {
  return audio.srcObject === stream && !audio.muted && audio.volume > 0 && stream.getAudioTracks()[0].enabled;
}

test('a publisher is heard; muted by a moderator they are not, whatever my volume and local mute say', async () => {
  const { room, ws, participant } = await hearing(BOB);
  assert.equal(audible(participant), true);
  ws.receive({ type: 'participant-updated', participant: { ...BOB, muted: true, serverMuted: true } });
  assert.equal(participant.serverMuted, true);
  assert.equal(participant.audio.srcObject, null, 'not attached');
  assert.equal(participant.audio.volume, 0);
  assert.equal(participant.stream.getAudioTracks()[0].enabled, false, 'their received track is disabled');
  room.setParticipantVolume(BOB.id, 2);
  room.setParticipantMuted(BOB.id, true);
  room.setParticipantMuted(BOB.id, false);
  room.setDeafened(true);
  room.setDeafened(false);
  assert.equal(audible(participant), false);
  assert.equal(participant.audio.volume, 0);
  ws.receive({ type: 'participant-updated', participant: { ...BOB, muted: true } });
  assert.equal(audible(participant), true, 'heard again once a moderator lifts it');
  assert.equal(participant.audio.volume, 1, 'my volume choice (2, capped at 1 for a plain element) applies again');
  room.leave();
});

test('a listener is never played, even when audio arrives from them and my volume changes', async () => {
  const lena = info('B', 'Lena', LISTENER);
  const { room, participant } = await hearing(lena);
  assert.equal(participant.permissions.canPublish, false);
  assert.equal(audible(participant), false);
  assert.equal(participant.audio.srcObject, null);
  room.setParticipantVolume(lena.id, 1.5);
  room.setParticipantMuted(lena.id, false);
  assert.equal(audible(participant), false);
  room.leave();
});

test('losing canPublish mid-call silences them at once; participant-updated says what changed', async () => {
  const { room, ws, participant, events } = await hearing(BOB);
  ws.receive({ type: 'participant-updated', participant: { ...BOB, permissions: { ...PUBLISHER, canPublish: false } } });
  assert.equal(audible(participant), false);
  assert.deepEqual(events.filter(([t]) => t === 'participant-updated').at(-1)[1].changes, ['permissions']);
  room.leave();
});

test('without audio elements the received track itself is disabled, so an app playing the stream hears nothing', async () => {
  const joined = await joinRoom({ self: ALICE, participants: [BOB] });
  const remote = remoteStream();
  FakePeerConnection.instances[0].ontrack({ track: remote.track, streams: [remote.stream] });
  joined.ws.receive({ type: 'participant-updated', participant: { ...BOB, serverMuted: true, muted: true } });
  assert.equal(remote.track.enabled, false);
  joined.ws.receive({ type: 'participant-updated', participant: { ...BOB, muted: true } });
  assert.equal(remote.track.enabled, true);
  await tick();
  joined.room.leave();
});

test('without canSubscribe I play nobody, and the admin API granting it plays everyone again', async () => {
  const noSubscribe = { ...ALICE, permissions: { ...ALICE.permissions, canSubscribe: false } };
  const joined = await joinRoom({ self: noSubscribe, participants: [BOB], options: { audioElements: true } });
  const remote = remoteStream();
  FakePeerConnection.instances[0].ontrack({ track: remote.track, streams: [remote.stream] });
  const bob = joined.room.getParticipant(BOB.id);
  assert.equal(audible(bob), false);
  joined.ws.receive({ type: 'participant-updated', participant: { ...noSubscribe, permissions: { ...noSubscribe.permissions, canSubscribe: true } } });
  assert.equal(audible(bob), true);
  joined.room.leave();
});
