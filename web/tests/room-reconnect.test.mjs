import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { ParleyRoom } from '../sdk/room.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakePeerConnection } from './fake-peer-connection.mjs';
import { FakeClock } from './fake-clock.mjs';

const ALICE = { id: 'p_AAAAAAAAAAAA', name: 'Alice', muted: false, speaking: false };
const BOB = { id: 'p_BBBBBBBBBBBB', name: 'Bob', muted: true, speaking: false };
const CY = { id: 'p_CCCCCCCCCCCC', name: 'Cy', muted: false, speaking: false };
const TOKEN = 'Vq0dZb2E3Jj1o0QWcE2s3o5mY8bB1nA9xqk3Jt2Yv0c';
const BEATS = { heartbeatSeconds: 10, heartbeatTimeoutSeconds: 25, resumeGraceSeconds: 20 };
const tick = () => new Promise((r) => setTimeout(r, 0));
const offerSdp = (session) => `v=0\r\no=- ${session} 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\n`;

function fakeMic() {
  const track = { kind: 'audio', enabled: true, stop() {}, addEventListener() {} };
  return { getAudioTracks: () => [track], getTracks: () => [track] };
}

/** Alice joins a room where `others` already are; every peer connection is then connected with an open channel. */
async function inCall(others = [BOB]) {
  const clock = new FakeClock();
  // The resumes below come 5 s after the socket opens: over the 3 s in which auto would give up on a WebSocket
  // without hello and fall back to HTTP. These tests are about resuming, not the transport: pin the WebSocket.
  const room = new ParleyRoom({
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false, audioElements: false,
    preferences: false, getMicrophone: async () => fakeMic(), clock, random: () => 0,
  });
  const events = [];
  for (const type of ['participant-joined', 'participant-left', 'participant-updated', 'reconnecting', 'reconnected', 'closed', 'signalingstatechange']) {
    room.addEventListener(type, (e) => events.push([type, e.detail]));
  }
  const joining = room.join({ url: 'ws://t/ws', room: 'r', name: 'Alice' });
  await tick();
  FakeWebSocket.last.hello(BEATS);
  await tick();
  FakeWebSocket.last.receive({ type: 'joined', protocol: 1, room: 'r', resumeToken: TOKEN, resumed: false, self: ALICE, participants: others, iceServers: [] });
  await joining;
  for (const pc of FakePeerConnection.instances) connect(pc);
  return { room, clock, events, ws: FakeWebSocket.last };
}

function connect(pc) {
  pc.setConnectionState('connected');
  pc.channel.open();
}

/** The server is back `afterMs` from now: a new socket, hello, and the `joined` of our resume. */
async function resume(clock, participants, extra = {}, afterMs = 5000) {
  clock.advance(afterMs);
  const ws = FakeWebSocket.last;
  ws.hello(BEATS);
  await tick();
  assert.equal(ws.sent[0].type, 'resume');
  ws.receive({ type: 'joined', protocol: 1, room: 'r', resumeToken: TOKEN, resumed: false, self: ALICE, participants, iceServers: [{ urls: ['turn:fresh'] }], ...extra });
  await tick();
  return ws;
}

beforeEach(() => { FakeWebSocket.reset(); FakePeerConnection.instances = []; });

test('losing the server keeps the call: same participants, same peer connections, signaling reconnecting', async () => {
  const { room, ws, events } = await inCall();
  const pc = FakePeerConnection.instances[0];
  ws.drop(1006);
  assert.equal(room.state, 'joined');
  assert.equal(room.signalingState, 'reconnecting');
  assert.equal(pc.closed, 0);
  assert.equal(room.getParticipant(BOB.id).state, 'connected');
  assert.ok(events.some(([t]) => t === 'reconnecting'));
  assert.ok(!events.some(([t]) => t === 'participant-left' || t === 'closed'));
  assert.throws(() => room.sendChat('hi'), { code: 'not-connected' });
  room.leave();
});

test('after the resume a working connection is kept, fresh ICE servers applied, and nothing is re-offered', async () => {
  const { room, ws, clock, events } = await inCall();
  const pc = FakePeerConnection.instances[0];
  ws.drop();
  const next = await resume(clock, [BOB]);
  assert.equal(room.signalingState, 'connected');
  assert.equal(FakePeerConnection.instances.length, 1, 'no new connection');
  assert.equal(pc.closed, 0);
  assert.deepEqual(pc.config.iceServers, [{ urls: ['turn:fresh'] }]);
  assert.deepEqual(next.sent.filter((m) => m.type === 'offer'), []);
  assert.deepEqual(events.at(-1), ['reconnected', { resumed: false }]);
  room.leave();
});

test('after the resume a listed participant without a working connection gets an offer on a new one; the unlisted stay', async () => {
  const { room, ws, clock } = await inCall([BOB, CY]);
  const [bobPc, cyPc] = FakePeerConnection.instances;
  ws.drop();
  clock.advance(60000); // the server stays away for a minute; working connections need nothing from it
  bobPc.setConnectionState('disconnected');
  clock.advance(1000); // Bob's broke a second before the server is back: its recovery waits for the server
  cyPc.setConnectionState('disconnected');
  assert.equal(room.getParticipant(BOB.id).state, 'reconnecting');
  const next = await resume(clock, [BOB, { ...CY, muted: true }].slice(0, 1), {}, 1000);
  assert.equal(bobPc.closed, 1, 'the broken connection is replaced');
  const newPc = FakePeerConnection.instances.at(-1);
  assert.notEqual(newPc, bobPc);
  newPc.onnegotiationneeded();
  await tick();
  assert.equal(next.sent.filter((m) => m.type === 'offer' && m.to === BOB.id).length, 1);
  assert.ok(room.getParticipant(CY.id), 'Cy, not listed, is not dropped at once');
  assert.equal(room.getParticipant(BOB.id).state, 'reconnecting');
  newPc.setConnectionState('connected');
  assert.equal(room.getParticipant(BOB.id).state, 'connected');
  room.leave();
});

test('a connection that does not come back by itself is reported to the server (peer-lost) as its ICE restart starts', async () => {
  const { room, ws, clock } = await inCall([BOB, CY]);
  const [bobPc] = FakePeerConnection.instances;
  bobPc.setConnectionState('disconnected');
  clock.advance(1999);
  assert.deepEqual(ws.sent.filter((m) => m.type === 'peer-lost'), []);
  clock.advance(1);
  assert.deepEqual(ws.sent.filter((m) => m.type === 'peer-lost'), [{ type: 'peer-lost', id: BOB.id }]);
  bobPc.setConnectionState('connected');
  assert.equal(room.getParticipant(BOB.id).state, 'connected');
  room.leave();
});

test('while the server is away, a participant whose connection does not come back leaves the list within seconds', async () => {
  const { room, ws, clock, events } = await inCall([BOB, CY]);
  const [bobPc] = FakePeerConnection.instances;
  ws.drop();
  bobPc.setConnectionState('disconnected'); // power or network gone: no bye, no channel close yet
  clock.advance(4999); // 2 s for ICE to come back by itself, then 3 s waiting for the server to restart it
  assert.equal(room.getParticipant(BOB.id).state, 'reconnecting');
  clock.advance(1);
  assert.equal(room.getParticipant(BOB.id), null);
  assert.deepEqual(events.filter(([t]) => t === 'participant-left').map(([, d]) => [d.participant.id, d.reason]), [[BOB.id, 'disconnected']]);
  assert.equal(bobPc.closed, 1);
  assert.equal(room.getParticipant(CY.id).state, 'connected');
  room.leave();
});

test('bye on the parley channel removes the participant at once, even while the server is away', async () => {
  const { room, ws, events } = await inCall();
  ws.drop();
  FakePeerConnection.instances[0].channel.receive({ type: 'bye' });
  assert.equal(room.getParticipant(BOB.id), null);
  assert.deepEqual(events.filter(([t]) => t === 'participant-left').map(([, d]) => d.reason), ['left']);
  room.leave();
});

test('unknown channel messages are ignored; a closed channel removes a connected participant, not a recovering one', async () => {
  const { room } = await inCall([BOB, CY]);
  const [bobPc, cyPc] = FakePeerConnection.instances;
  bobPc.channel.receive({ type: 'future-thing' });
  bobPc.channel.receive('not json');
  assert.ok(room.getParticipant(BOB.id));
  cyPc.setConnectionState('failed');
  cyPc.channel.remoteClose();
  assert.ok(room.getParticipant(CY.id), 'recovering: the recovery decides');
  bobPc.channel.remoteClose();
  assert.equal(room.getParticipant(BOB.id), null);
  room.leave();
});

test('leave says bye on every open channel, then leave to the server, and closes normally', async () => {
  const { room, ws } = await inCall([BOB, CY]);
  await room.leave();
  for (const pc of FakePeerConnection.instances) assert.deepEqual(pc.channel.sent, [{ type: 'bye' }]);
  assert.deepEqual(ws.sent.at(-1), { type: 'leave' });
  assert.equal(ws.closedWith, 1000);
});

test('a resumed participant with a working connection is kept; an offer from a new remote connection replaces ours', async () => {
  const { room, ws, events } = await inCall();
  const pc = FakePeerConnection.instances[0];
  ws.receive({ type: 'participant-joined', participant: BOB, resumed: true });
  assert.equal(FakePeerConnection.instances.length, 1);
  assert.ok(!events.some(([t]) => t === 'participant-left'));
  await pc.setRemoteDescription({ type: 'answer', sdp: offerSdp(1) });
  ws.receive({ type: 'offer', from: BOB.id, sdp: offerSdp(1) });
  await tick();
  assert.equal(FakePeerConnection.instances.length, 1, 'same remote connection: applied');
  ws.receive({ type: 'offer', from: BOB.id, sdp: offerSdp(2) });
  await tick();
  assert.equal(FakePeerConnection.instances.length, 2, 'a new remote connection: ours is replaced');
  assert.equal(pc.closed, 1);
  assert.ok(ws.sent.some((m) => m.type === 'answer' && m.to === BOB.id));
  assert.equal(room.getParticipant(BOB.id).name, 'Bob');
  room.leave();
});

test('a peer given up on while the server is away is removed', async () => {
  const { room, ws, clock } = await inCall();
  const pc = FakePeerConnection.instances[0];
  pc.setConnectionState('failed'); // ICE restart at once (server up)
  ws.drop();
  clock.advance(10000); // restart did not help; a new connection needs the server: waits
  assert.ok(room.getParticipant(BOB.id));
  await resume(clock, []); // server back, Bob not listed (yet)
  clock.advance(10000);
  assert.equal(room.getParticipant(BOB.id), null, 'not confirmed by the server, not recovered: gone');
  room.leave();
});

test('session-replaced ends the call with that error', async () => {
  const { room, ws, events } = await inCall();
  ws.receive({ type: 'error', code: 'session-replaced', message: 'Replaced.' });
  ws.drop(1008);
  assert.equal(room.state, 'closed');
  assert.equal(events.at(-1)[0], 'closed');
  assert.equal(events.at(-1)[1].error.code, 'session-replaced');
});

test('signalingstatechange: reconnecting on loss, connected on resume, disconnected on leave', async () => {
  const { room, ws, clock, events } = await inCall();
  ws.drop();
  await resume(clock, [BOB]);
  FakeWebSocket.last.drop();
  await room.leave();
  assert.deepEqual(events.filter(([t]) => t === 'signalingstatechange').map(([, d]) => d.state),
    ['connected', 'reconnecting', 'connected', 'reconnecting', 'disconnected']);
  assert.equal(room.signalingState, 'disconnected');
  clock.advance(60000);
  assert.equal(FakeWebSocket.instances.length, 2, 'no reconnecting after leave');
});

test('a resumed participant without a working connection: wait for their offer on a new connection, and answer it', async () => {
  const { room, ws } = await inCall();
  const pc = FakePeerConnection.instances[0];
  pc.setConnectionState('disconnected');
  ws.receive({ type: 'participant-joined', participant: BOB, resumed: true });
  assert.equal(pc.closed, 1);
  const fresh = FakePeerConnection.instances.at(-1);
  assert.notEqual(fresh, pc);
  assert.equal(fresh.transceivers.length, 0, 'an answerer: it waits for their offer');
  assert.equal(room.getParticipant(BOB.id).state, 'reconnecting');
  ws.receive({ type: 'offer', from: BOB.id, sdp: offerSdp(7) });
  await tick();
  assert.equal(FakePeerConnection.instances.at(-1), fresh, 'the first offer on the waiting connection is applied');
  assert.ok(ws.sent.some((m) => m.type === 'answer' && m.to === BOB.id));
  fresh.setConnectionState('connected');
  assert.equal(room.getParticipant(BOB.id).state, 'connected');
  room.leave();
});

// participant-away: the server saw that participant's socket drop without a close frame (a crash, a killed browser).

const peerLost = (ws) => ws.sent.filter((m) => m.type === 'peer-lost').map((m) => m.id);

test('participant-away: a participant that does not answer a ping on the parley channel within 2 s is reported peer-lost', async () => {
  const { room, ws, clock } = await inCall([BOB, CY]);
  const [bobPc, cyPc] = FakePeerConnection.instances;
  ws.receive({ type: 'participant-away', id: BOB.id });
  assert.deepEqual(bobPc.channel.sent, [{ type: 'ping' }]);
  assert.deepEqual(cyPc.channel.sent, []);
  ws.receive({ type: 'participant-away', id: BOB.id }); // one probe at a time
  assert.deepEqual(bobPc.channel.sent, [{ type: 'ping' }]);
  clock.advance(1999);
  assert.deepEqual(peerLost(ws), []);
  clock.advance(1);
  assert.deepEqual(peerLost(ws), [BOB.id]);
  assert.equal(room.getParticipant(BOB.id).state, 'connected', 'the server decides: its participant-left removes them');
  ws.receive({ type: 'participant-left', id: BOB.id, reason: 'disconnected' });
  assert.equal(room.getParticipant(BOB.id), null);
  clock.advance(60000);
  assert.deepEqual(peerLost(ws), [BOB.id]);
  room.leave();
});

test('participant-away: a pong, or their resume, means alive: nothing is reported', async () => {
  const { room, ws, clock } = await inCall([BOB, CY]);
  const [bobPc, cyPc] = FakePeerConnection.instances;
  ws.receive({ type: 'participant-away', id: BOB.id });
  clock.advance(500);
  bobPc.channel.receive({ type: 'pong' });
  ws.receive({ type: 'participant-away', id: CY.id });
  ws.receive({ type: 'participant-joined', participant: CY, resumed: true });
  clock.advance(10000);
  assert.deepEqual(peerLost(ws), []);
  assert.equal(room.getParticipant(BOB.id).state, 'connected');
  assert.equal(room.getParticipant(CY.id).state, 'connected');
  assert.deepEqual(cyPc.channel.sent, [{ type: 'ping' }]);
  room.leave();
});

test('participant-away: a connection that is already not working is reported at once; an unknown id is ignored', async () => {
  const { room, ws } = await inCall([BOB, CY]);
  const [bobPc] = FakePeerConnection.instances;
  bobPc.setConnectionState('disconnected');
  ws.receive({ type: 'participant-away', id: BOB.id });
  ws.receive({ type: 'participant-away', id: 'p_nobodyatall' });
  assert.deepEqual(peerLost(ws), [BOB.id]);
  assert.deepEqual(bobPc.channel.sent, []);
  room.leave();
});
