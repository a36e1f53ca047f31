import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyRoom } from '../sdk/room.js';
import { ParleyError } from '../sdk/errors.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakePeerConnection } from './fake-peer-connection.mjs';
import { FakeClock } from './fake-clock.mjs';

const ALICE = { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false };
const BOB = { id: 'p_BBBBBBBBBBBB', name: 'Bob', muted: false, speaking: false };
const CY = { id: 'p_CCCCCCCCCCCC', name: 'Cy', muted: false, speaking: false };
const URL = 'ws://test/ws';
const tick = () => new Promise((r) => setTimeout(r, 0));

function fakeMic(label) {
  const track = { kind: 'audio', label, enabled: true, stopped: false, stop() { this.stopped = true; },
    ended: [], addEventListener(type, listener) { if (type === 'ended') this.ended.push(listener); } };
  return { track, stream: { label, getAudioTracks: () => [track], getTracks: () => [track] } };
}

function makeRoom() {
  const clock = new FakeClock();
  const opened = [];
  const room = new ParleyRoom({
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false,
    audioElements: false, preferences: false, clock,
    getMicrophone: async (constraints) => { const mic = fakeMic(`mic${opened.length + 1}`); opened.push({ constraints, mic }); return mic.stream; },
  });
  return { room, clock, opened };
}

async function finishJoin(ws, joining) {
  await tick();
  ws.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [BOB], iceServers: [] });
  return joining;
}

/** Prewarms, then clicks Join: the join is on its way with the offer made ahead; `joined` is the test's to send. */
async function joinWithOfferAhead() {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  const ws = FakeWebSocket.last;
  ws.hello();
  const ahead = FakePeerConnection.instances[0];
  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  return { room, opened, ws, ahead, joining, carried: ws.sent[0].offer.sdp };
}

beforeEach(() => { FakeWebSocket.reset(); FakePeerConnection.instances = []; });

test('a prewarmed connection and microphone are what the join uses: the click costs the join round trip only', async () => {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  assert.equal(FakeWebSocket.instances.length, 1, 'connected ahead');
  const ws = FakeWebSocket.last;
  ws.hello();
  assert.equal(opened.length, 1, 'microphone opened ahead');
  assert.deepEqual(room.prewarmed, { signaling: true, microphone: true, offer: true });

  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  assert.equal(FakeWebSocket.instances.length, 1, 'no second connection');
  assert.deepEqual(ws.sent.map((m) => m.type), ['join'], 'join goes out at once, on the open connection');
  await finishJoin(ws, joining);
  assert.equal(opened.length, 1, 'no second getUserMedia');
  assert.equal(room.localStream, opened[0].mic.stream);
  assert.equal(opened[0].mic.track.stopped, false);
  assert.deepEqual(room.prewarmed, { signaling: false, microphone: false, offer: false }, 'the join took all three');
  await room.leave();
  assert.equal(opened[0].mic.track.stopped, true, 'released with the call');
});

test('a join that comes while the prewarmed connection still waits for hello uses it', async () => {
  const { room } = makeRoom();
  await room.prewarm({ url: URL, microphone: false });
  const ws = FakeWebSocket.last;
  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  ws.hello();
  await tick();
  assert.equal(FakeWebSocket.instances.length, 1);
  assert.deepEqual(ws.sent.map((m) => m.type), ['join']);
  await finishJoin(ws, joining);
  assert.equal(room.state, 'joined');
  await room.leave();
});

test('a prewarm left idle is released: the connection closes and the microphone stops', async () => {
  const { room, clock, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  const ws = FakeWebSocket.last;
  ws.hello();
  clock.advance(19000);
  assert.equal(ws.closedWith, null);
  await room.prewarm({ url: URL, microphone: true }); // activity on the form: warm again, from now
  assert.equal(FakeWebSocket.instances.length, 1, 'the same connection');
  assert.equal(opened.length, 1, 'the same microphone');
  clock.advance(19000);
  assert.equal(ws.closedWith, null, 'activity restarted the idle time');
  clock.advance(1000);
  assert.equal(ws.closedWith, 1000, 'closed after 20 s without a join');
  await tick();
  assert.equal(opened[0].mic.track.stopped, true);
  assert.deepEqual(room.prewarmed, { signaling: false, microphone: false, offer: false });

  // A join after the release connects and opens the microphone as it always did.
  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  assert.equal(FakeWebSocket.instances.length, 2);
  FakeWebSocket.last.hello();
  await finishJoin(FakeWebSocket.last, joining);
  assert.equal(opened.length, 2);
  await room.leave();
});

test('releasePrewarm (the page is hidden or goes away) closes the connection and stops the microphone at once', async () => {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  const ws = FakeWebSocket.last;
  ws.hello();
  room.releasePrewarm();
  assert.equal(ws.closedWith, 1000);
  await tick();
  assert.equal(opened[0].mic.track.stopped, true);
  room.releasePrewarm(); // twice is fine
});

test('the microphone is prewarmed only where it is already allowed, and not for a token that cannot publish', async () => {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL }); // node has no Permissions API: not known to be allowed, so no microphone
  assert.equal(opened.length, 0);
  assert.equal(FakeWebSocket.instances.length, 1, 'the connection is prewarmed anyway');
  await room.prewarm({ url: URL, microphone: false });
  assert.equal(opened.length, 0);
  room.releasePrewarm();
});

test('a microphone prewarmed with other constraints than the join\'s is stopped and the join opens its own', async () => {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  FakeWebSocket.last.hello();
  await room.setMicrophone({ deviceId: { exact: 'usb' } }); // chosen on the form after the prewarm
  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await finishJoin(FakeWebSocket.last, joining);
  assert.equal(opened.length, 2);
  assert.equal(opened[0].mic.track.stopped, true);
  assert.deepEqual(opened[1].constraints.deviceId, { exact: 'usb' });
  assert.equal(room.localStream, opened[1].mic.stream);
  await room.leave();
});

test('a prewarmed connection that closed before the join is replaced by a fresh one', async () => {
  const { room } = makeRoom();
  await room.prewarm({ url: URL, microphone: false });
  const first = FakeWebSocket.last;
  first.hello();
  first.drop(1008, 'join-timeout');
  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  assert.equal(FakeWebSocket.instances.length, 2);
  FakeWebSocket.last.hello();
  await finishJoin(FakeWebSocket.last, joining);
  assert.equal(room.state, 'joined');
  await room.leave();
});

test('a refused microphone at join closes the prewarmed connection too', async () => {
  const clock = new FakeClock();
  const room = new ParleyRoom({
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false,
    audioElements: false, preferences: false, clock,
    getMicrophone: async () => { throw new ParleyError('microphone-denied', 'denied'); },
  });
  await room.prewarm({ url: URL, microphone: true });
  const ws = FakeWebSocket.last;
  ws.hello();
  await assert.rejects(room.join({ url: URL, room: 'r', name: 'Alice' }), { code: 'microphone-denied' });
  assert.equal(ws.closedWith, 1000);
  assert.deepEqual(ws.sent, [], 'never joined');
});

test('the first connection and its offer are made during the prewarm; the offer leaves as joined arrives, with the room\'s ICE servers set first', async () => {
  const { room, opened } = makeRoom();
  await room.prewarm({ url: URL, microphone: true });
  const ws = FakeWebSocket.last;
  ws.hello();
  assert.equal(FakePeerConnection.instances.length, 1, 'made ahead');
  const ahead = FakePeerConnection.instances[0];
  assert.deepEqual(ahead.calls, ['addTransceiver', 'createOffer'], 'the offer is created, not set: no ICE servers yet');
  assert.equal(ahead.channels.length, 1, 'with the parley channel');
  assert.equal(ahead.transceivers[0].sender.track, opened[0].mic.track);

  const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
  await tick();
  assert.match(ws.sent[0].offer.sdp, /^v=0/, 'the join carries the offer');
  const iceServers = [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }];
  // A server that did not hand the join's offer to anyone (no offerTo): it is sent as soon as joined arrives.
  ws.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [BOB], iceServers });
  await joining;
  assert.deepEqual(ws.sent.map((m) => m.type), ['join', 'offer']);
  assert.equal(ws.sent[1].sdp, ws.sent[0].offer.sdp);
  assert.equal(FakePeerConnection.instances.length, 1, 'no second connection');
  assert.deepEqual(ahead.calls, ['addTransceiver', 'createOffer', 'setConfiguration', 'setLocal:offer']);
  assert.deepEqual(ahead.config.iceServers, iceServers, 'the room\'s ICE servers, before gathering starts');
  assert.equal(ws.sent[1].to, BOB.id);
  assert.equal(ws.sent[1].sdp, ahead.localDescription.sdp, 'the offer sent is the one set');
  await room.leave();
  assert.equal(ahead.closed, 1);
});

test('the offer made ahead goes with the join: the connection to the participant joined names in offerTo sets it and does not send it again', async () => {
  const { room, ws, ahead, joining, carried } = await joinWithOfferAhead();
  const iceServers = [{ urls: ['turn:127.0.0.1:3478'], username: 'u', credential: 'c' }];
  // Cy is listed first but away, so the server gave the offer to Bob.
  ws.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [CY, BOB], iceServers, offerTo: BOB.id });
  await joining;
  assert.deepEqual(ahead.calls, ['addTransceiver', 'createOffer', 'setConfiguration', 'setLocal:offer']);
  assert.equal(ahead.localDescription.sdp, carried, 'the offer set is the one the join carried');
  assert.deepEqual(ahead.config.iceServers, iceServers);
  assert.equal(FakePeerConnection.instances.length, 2, 'Cy\'s connection is made anew');
  assert.deepEqual(ws.sent.map((m) => [m.type, m.to]), [['join', undefined], ['offer', CY.id]], 'no second offer to Bob');
  assert.deepEqual(FakePeerConnection.instances[1].calls.slice(-1), ['setLocal:offer'], 'Cy\'s own offer');

  ws.receive({ type: 'answer', from: BOB.id, sdp: 'v=0\r\nbob-answer' });
  await tick();
  assert.equal(ahead.calls.at(-1), 'setRemote:answer', 'Bob\'s answer lands on the connection made ahead');
  await room.leave();
});

test('the microphone is unplugged between the click and joined: the connection to offerTo keeps the delivered offer and takes the new track', async () => {
  const { room, opened, ws, ahead, joining, carried } = await joinWithOfferAhead();
  const unplugged = opened[0].mic.track;
  unplugged.readyState = 'ended';
  await Promise.all(unplugged.ended.map((listener) => listener()));
  assert.equal(opened.length, 2, 'fell back to the default microphone');
  ws.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [BOB], iceServers: [], offerTo: BOB.id });
  await joining;
  await tick();
  assert.equal(FakePeerConnection.instances.length, 1, 'no new connection for Bob: his answer is to the offer made ahead');
  assert.equal(ahead.closed, 0);
  assert.equal(ahead.localDescription.sdp, carried);
  assert.deepEqual(ws.sent.map((m) => m.type), ['join'], 'no second offer');
  assert.equal(ahead.transceivers[0].sender.track, opened[1].mic.track, 'the new microphone on it, without a new offer');
  assert.equal(ahead.transceivers[0].direction, 'sendrecv');
  await room.leave();
});

test('a connection made ahead is never kept: an empty room, a released prewarm and another microphone each close it', async () => {
  {
    const { room } = makeRoom();
    await room.prewarm({ url: URL, microphone: true });
    FakeWebSocket.last.hello();
    const ahead = FakePeerConnection.instances.at(-1);
    const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
    await tick();
    FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'r', self: ALICE, participants: [], iceServers: [] });
    await joining;
    assert.equal(ahead.closed, 1, 'nobody to offer to');
    await room.leave();
  }
  {
    const { room } = makeRoom();
    await room.prewarm({ url: URL, microphone: true });
    const ahead = FakePeerConnection.instances.at(-1);
    room.releasePrewarm();
    assert.equal(ahead.closed, 1, 'released with the prewarm');
  }
  {
    const { room, opened } = makeRoom();
    await room.prewarm({ url: URL, microphone: true });
    FakeWebSocket.last.hello();
    const ahead = FakePeerConnection.instances.at(-1);
    await room.setMicrophone({ deviceId: { exact: 'usb' } });
    const joining = room.join({ url: URL, room: 'r', name: 'Alice' });
    await tick();
    assert.equal(FakeWebSocket.last.sent[0].offer, undefined, 'made for another microphone: not carried');
    await finishJoin(FakeWebSocket.last, joining);
    assert.equal(ahead.closed, 1, 'made for the microphone the join did not take');
    const used = FakePeerConnection.instances.at(-1);
    assert.notEqual(used, ahead);
    assert.equal(used.transceivers[0].sender.track, opened[1].mic.track);
    await room.leave();
  }
});
