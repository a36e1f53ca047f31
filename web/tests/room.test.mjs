import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyRoom } from '../sdk/room.js';
import { ParleyError } from '../sdk/errors.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakePeerConnection } from './fake-peer-connection.mjs';
import { FakeClock } from './fake-clock.mjs';

const ALICE = { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false };
const BOB = { id: 'p_BBBBBBBBBBBB', name: 'Bob', muted: true, speaking: false };
const CY = { id: 'p_CCCCCCCCCCCC', name: 'Cy', muted: false, speaking: false };
const tick = () => new Promise((r) => setTimeout(r, 0));

function fakeMic() {
  const track = { kind: 'audio', enabled: true, stopped: false, stop() { this.stopped = true; }, addEventListener() {} };
  return { track, stream: { getAudioTracks: () => [track], getTracks: () => [track] } };
}

function makeRoom(getMicrophone, options = {}) {
  const mic = fakeMic();
  const room = new ParleyRoom({
    ...options,
    // Pinned to the WebSocket these tests script (falling back to HTTP is tested in http-socket.test.mjs).
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false, audioElements: false, preferences: false,
    getMicrophone: getMicrophone ?? (async () => mic.stream),
  });
  const events = [];
  for (const type of ['joined', 'participant-joined', 'participant-left', 'participant-updated', 'error', 'closed']) {
    room.addEventListener(type, (e) => events.push([type, e.detail]));
  }
  return { room, mic, events };
}

/** Joins Alice into a room where Bob already is. */
async function joinedRoom() {
  const made = makeRoom();
  const joining = made.room.join({ url: 'ws://test/ws', room: 'game-night', name: 'Alice', muted: false });
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello();
  await tick();
  ws.receive({ type: 'joined', protocol: 1, room: 'Game-Night', self: ALICE, participants: [BOB], iceServers: [{ urls: ['stun:x'] }] });
  await joining;
  return { ...made, ws };
}

beforeEach(() => { FakeWebSocket.reset(); FakePeerConnection.instances = []; });

test('join opens the mic, joins, and reports self then everyone already there', async () => {
  const { room, ws, events } = await joinedRoom();
  assert.deepEqual(ws.sent[0], { type: 'join', protocol: 1, room: 'game-night', name: 'Alice', muted: false });
  assert.equal(room.state, 'joined');
  assert.equal(room.roomName, 'Game-Night');
  assert.deepEqual(events.filter(([t]) => t === 'participant-joined').map(([, d]) => [d.participant.name, d.participant.isSelf]),
    [['Alice', true], ['Bob', false]]);
  const bob = room.getParticipant(BOB.id);
  assert.equal(bob.muted, true);
  assert.equal(bob.state, 'connecting');
  assert.equal(FakePeerConnection.instances.length, 1);
  const pc = FakePeerConnection.instances[0];
  assert.deepEqual(pc.config.iceServers, [{ urls: ['stun:x'] }], 'uses the ICE servers from joined');
  assert.equal(pc.config.iceCandidatePoolSize, undefined, 'the newcomer sets its offer at once: nothing to gather ahead');
  assert.equal(pc.transceivers.length, 1, 'the newcomer sets up its send track to offer');
  room.leave();
});

test('the newcomer\'s offers are out before the room reports its join; the others are announced after me', async () => {
  const made = makeRoom();
  const seen = [];
  const offersSent = () => FakeWebSocket.last.sent.filter((m) => m.type === 'offer').length;
  made.room.addEventListener('statechange', ({ detail }) => seen.push([detail.state, FakePeerConnection.instances.length, detail.state === 'joined' ? offersSent() : 0]));
  made.room.addEventListener('joined', () => seen.push(['joined', FakePeerConnection.instances.map((pc) => pc.calls.slice())]));
  made.room.addEventListener('participant-joined', ({ detail }) => seen.push(['participant-joined', detail.participant.name]));
  const joining = made.room.join({ url: 'ws://test/ws', room: 'game-night', name: 'Alice' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'game-night', self: ALICE, participants: [BOB, CY], iceServers: [] });
  await joining;
  assert.deepEqual(seen, [
    ['joining', 0, 0],
    ['joined', 2, 2], // the offers start before the join is reported (out here: the fakes answer in microtasks)
    ['joined', [['addTransceiver', 'createOffer', 'setLocal:offer'], ['addTransceiver', 'createOffer', 'setLocal:offer']]],
    ['participant-joined', 'Alice'], ['participant-joined', 'Bob'], ['participant-joined', 'Cy'],
  ]);
  await tick();
  assert.deepEqual(FakeWebSocket.last.sent.filter((m) => m.type === 'offer').map((m) => m.to), [BOB.id, CY.id]);
  made.room.leave();
});

test('with joinReportMaxMs the newcomer reports its join once its first connections are up (the page re-renders then)', async () => {
  const made = makeRoom(undefined, { joinReportMaxMs: 1000 });
  const seen = [];
  for (const type of ['statechange', 'joined', 'participant-joined']) made.room.addEventListener(type, () => seen.push(type));
  const joining = made.room.join({ url: 'ws://test/ws', room: 'game-night', name: 'Alice' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'game-night', self: ALICE, participants: [BOB, CY], iceServers: [] });
  for (let i = 0; i < 5; i++) await tick();
  assert.deepEqual(seen, ['statechange'], 'only `joining` while the connections come up');
  assert.equal(made.room.state, 'joined');
  assert.deepEqual(FakeWebSocket.last.sent.filter((m) => m.type === 'offer').map((m) => m.to), [BOB.id, CY.id]);
  FakePeerConnection.instances[0].setConnectionState('connected');
  await tick();
  assert.deepEqual(seen, ['statechange'], 'Cy is still connecting');
  FakePeerConnection.instances[1].setConnectionState('failed');
  await joining;
  assert.deepEqual(seen, ['statechange', 'statechange', 'joined', 'participant-joined', 'participant-joined', 'participant-joined']);
  made.room.leave();
});

test('with joinReportMaxMs the members already there announce a newcomer once their connection to it is up', async () => {
  const clock = new FakeClock();
  const made = makeRoom(undefined, { joinReportMaxMs: 1000, clock });
  const joining = made.room.join({ url: 'ws://test/ws', room: 'game-night', name: 'Alice' });
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello();
  await tick();
  ws.receive({ type: 'joined', protocol: 1, room: 'game-night', self: ALICE, participants: [], iceServers: [] });
  await joining;
  const events = [];
  for (const type of ['participant-joined', 'participant-updated', 'participant-left']) {
    made.room.addEventListener(type, ({ detail }) => events.push([type, detail.participant.name]));
  }

  ws.receive({ type: 'participant-joined', participant: CY });
  ws.receive({ type: 'participant-state', id: CY.id, speaking: true });
  assert.equal(made.room.getParticipant(CY.id).speaking, true, 'known, and kept up to date');
  assert.deepEqual(events, [], 'not announced while the connection comes up');
  const cyPc = FakePeerConnection.instances.at(-1);
  cyPc.setConnectionState('connected');
  await tick();
  assert.deepEqual(events, [['participant-joined', 'Cy']], 'announced once connected, as it is then');

  // One that leaves before its connection is up was never announced: nothing is said of it leaving either.
  ws.receive({ type: 'participant-joined', participant: BOB });
  ws.receive({ type: 'participant-left', id: BOB.id, reason: 'left' });
  assert.equal(FakePeerConnection.instances.at(-1).closed, 1);
  clock.advance(1000);
  await tick();
  assert.deepEqual(events, [['participant-joined', 'Cy']]);

  // One whose connection never comes up is announced after joinReportMaxMs.
  ws.receive({ type: 'participant-joined', participant: BOB });
  clock.advance(999);
  await tick();
  assert.deepEqual(events.length, 1);
  clock.advance(1);
  await tick();
  assert.deepEqual(events.at(-1), ['participant-joined', 'Bob']);
  made.room.leave();
});

test('a newcomer gets a peer that waits for its offer; state and leave are reflected', async () => {
  const { room, ws, events } = await joinedRoom();
  ws.receive({ type: 'participant-joined', participant: CY });
  const cy = room.getParticipant(CY.id);
  assert.equal(cy.name, 'Cy');
  assert.equal(FakePeerConnection.instances[1].transceivers.length, 0, 'an existing member waits for the offer');
  assert.equal(FakePeerConnection.instances[1].config.iceCandidatePoolSize, 1, 'and gathers meanwhile');
  ws.receive({ type: 'participant-state', id: CY.id, speaking: true });
  assert.deepEqual(events.at(-1)[1].changes, ['speaking']);
  assert.equal(cy.speaking, true);
  ws.receive({ type: 'participant-left', id: CY.id, reason: 'disconnected' });
  assert.equal(room.getParticipant(CY.id), null);
  assert.equal(FakePeerConnection.instances[1].closed, 1);
  assert.deepEqual(events.at(-1)[0], 'participant-left');
  assert.equal(events.at(-1)[1].reason, 'disconnected');
  room.leave();
});

test('mute disables the mic track and publishes state; unmute restores it', async () => {
  const { room, ws, mic } = await joinedRoom();
  ws.sent.length = 0;
  room.setMuted(true);
  assert.equal(mic.track.enabled, false);
  assert.equal(room.self.muted, true);
  room.setMuted(true);
  room.setMuted(false);
  assert.equal(mic.track.enabled, true);
  assert.deepEqual(ws.sent, [{ type: 'state', muted: true, speaking: false }, { type: 'state', muted: false, speaking: false }]);
  room.leave();
});

test('leave sends leave, closes every peer and releases the mic', async () => {
  const { room, ws, mic, events } = await joinedRoom();
  await room.leave();
  assert.deepEqual(ws.sent.at(-1), { type: 'leave' });
  assert.equal(ws.closedWith, 1000);
  assert.equal(FakePeerConnection.instances[0].closed, 1);
  assert.equal(mic.track.stopped, true);
  assert.equal(room.state, 'closed');
  assert.deepEqual(room.participants, []);
  assert.deepEqual(events.at(-1), ['closed', { reason: 'left' }]);
});

test('losing the server while joined tears down and reports connection-lost', async () => {
  const { room, ws, mic, events } = await joinedRoom();
  ws.drop();
  assert.equal(room.state, 'closed');
  assert.equal(mic.track.stopped, true);
  const closed = events.find(([t]) => t === 'closed');
  assert.equal(closed[1].reason, 'error');
  assert.equal(closed[1].error.code, 'connection-lost');
  assert.ok(events.some(([t, d]) => t === 'error' && d.error.code === 'connection-lost'));
});

test('a refused join rejects with the server code, closes the socket and releases the mic', async () => {
  const { room, mic } = makeRoom();
  const joining = room.join({ url: 'ws://test/ws', room: 'game-night', name: 'Carol' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'error', code: 'room-full', message: "Room 'game-night' is full (2 participants).", ref: 'join' });
  await assert.rejects(joining, { code: 'room-full', message: "Room 'game-night' is full (2 participants)." });
  assert.equal(room.state, 'closed');
  assert.equal(mic.track.stopped, true);
  assert.equal(FakeWebSocket.last.closedWith, 1000);
});

test('a denied microphone rejects before connecting', async () => {
  const { room } = makeRoom(async () => { throw new ParleyError('microphone-denied', 'denied'); });
  await assert.rejects(room.join({ url: 'ws://test/ws', room: 'r', name: 'n' }), { code: 'microphone-denied' });
  assert.equal(FakeWebSocket.instances.length, 0);
  assert.equal(room.state, 'closed');
});

test('an unreachable server rejects join with server-unreachable; join works again afterwards', async () => {
  const { room } = makeRoom();
  const joining = room.join({ url: 'ws://test/ws', room: 'r', name: 'n' });
  await tick();
  FakeWebSocket.last.drop();
  await assert.rejects(joining, { code: 'server-unreachable' });
  const again = room.join({ url: 'ws://test/ws', room: 'r', name: 'n' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [], iceServers: [] });
  await again;
  assert.equal(room.state, 'joined');
  room.leave();
});

test('chat: sendChat sends {type: chat, text}; relayed chat becomes a chat event; limits checked locally', async () => {
  const { room, ws } = await joinedRoom();
  const chats = [];
  room.addEventListener('chat', (e) => chats.push(e.detail));
  ws.sent.length = 0;
  room.sendChat('  <b>hi</b>  ');
  assert.deepEqual(ws.sent, [{ type: 'chat', text: '<b>hi</b>' }]);
  assert.throws(() => room.sendChat('   '), { code: 'invalid-message', ref: 'chat' });
  assert.throws(() => room.sendChat('x'.repeat(501)), { code: 'invalid-message' });
  ws.receive({ type: 'chat', from: ALICE.id, name: 'Alice', text: '<b>hi</b>', time: '2026-11-24T01:20:00.000Z' });
  ws.receive({ type: 'chat', from: BOB.id, name: 'Bob', text: 'yo', time: '2026-11-24T01:20:01.000Z' });
  assert.deepEqual(chats.map((c) => [c.name, c.text, c.self, c.time.toISOString()]), [
    ['Alice', '<b>hi</b>', true, '2026-11-24T01:20:00.000Z'], ['Bob', 'yo', false, '2026-11-24T01:20:01.000Z']]);
  assert.equal(chats[1].participant, room.getParticipant(BOB.id));
  await room.leave();
  assert.throws(() => room.sendChat('late'), { code: 'not-connected' });
});

test('deafen mutes and publishes; per-participant volume and local mute update the participant', async () => {
  const { room, ws, mic } = await joinedRoom();
  const updates = [];
  room.addEventListener('participant-updated', (e) => updates.push([e.detail.participant.name, e.detail.changes]));
  ws.sent.length = 0;
  room.setDeafened(true);
  assert.equal(room.deafened, true);
  assert.equal(room.muted, true);
  assert.equal(mic.track.enabled, false);
  room.setDeafened(false);
  assert.equal(mic.track.enabled, true);
  assert.deepEqual(ws.sent, [{ type: 'state', muted: true, speaking: false }, { type: 'state', muted: false, speaking: false }]);
  const bob = room.getParticipant(BOB.id);
  room.setParticipantVolume(BOB.id, 1.5);
  room.setParticipantMuted(BOB.id, true);
  assert.equal(bob.volume, 1.5);
  assert.equal(bob.locallyMuted, true);
  assert.deepEqual(updates.slice(-2), [['Bob', ['volume']], ['Bob', ['locallyMuted']]]);
  room.setParticipantVolume(BOB.id, 1);
  room.setParticipantMuted(BOB.id, false);
  room.leave();
});

test('setMicrophone swaps the track on every connection with replaceTrack, no new offer, and keeps mute', async () => {
  const second = fakeMic();
  let opened = 0;
  const first = fakeMic();
  const made = makeRoom(async () => (opened++ === 0 ? first.stream : second.stream));
  const joining = made.room.join({ url: 'ws://test/ws', room: 'r', name: 'Alice' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [BOB], iceServers: [] });
  await joining;
  await tick(); // the first offer, made at once, is out
  const pc = FakePeerConnection.instances[0];
  made.room.setMuted(true);
  const offersBefore = FakeWebSocket.last.sent.filter((m) => m.type === 'offer').length;
  const callsBefore = pc.calls.length;
  await made.room.setMicrophone({ deviceId: { exact: 'usb' } });
  assert.equal(pc.transceivers[0].sender.track, second.track);
  assert.equal(first.track.stopped, true, 'the old microphone is released');
  assert.equal(second.track.enabled, false, 'still muted');
  assert.deepEqual(pc.calls.slice(callsBefore).filter((c) => /offer|Transceiver/i.test(c)), []);
  assert.equal(FakeWebSocket.last.sent.filter((m) => m.type === 'offer').length, offersBefore);
  assert.equal(made.room.localStream, second.stream);
  await made.room.leave();
});

test('setMicrophone and setAudioProcessing before joining shape the microphone the next join opens', async () => {
  const asked = [];
  const made = makeRoom(async (constraints) => { asked.push(constraints); return fakeMic().stream; });
  await made.room.setAudioProcessing({ noiseSuppression: false });
  await made.room.setMicrophone({ deviceId: { exact: 'usb' } });
  assert.equal(made.room.state, 'idle');
  assert.deepEqual(asked, [], 'nothing is opened before the join');
  const joining = made.room.join({ url: 'ws://test/ws', room: 'r', name: 'Alice' });
  await tick();
  FakeWebSocket.last.hello();
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [], iceServers: [] });
  await joining;
  assert.equal(asked[0].noiseSuppression, false);
  assert.deepEqual(asked[0].deviceId, { exact: 'usb' });
  await made.room.leave();
});
