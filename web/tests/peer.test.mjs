import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { PeerSession, isPolite, peerStateFor } from '../sdk/peer.js';
import { FakePeerConnection } from './fake-peer-connection.mjs';

const tick = () => new Promise((r) => setTimeout(r, 0));
const TRACK = { kind: 'audio', id: 'mic' };
const STREAM = { id: 'local-stream' };

function session({ initiator, polite = false } = {}) {
  const sent = [];
  const peer = new PeerSession({
    remoteId: 'p_remote', polite, initiator, localTrack: TRACK, localStream: STREAM,
    send: { offer: (sdp) => sent.push(['offer', sdp]), answer: (sdp) => sent.push(['answer', sdp]), candidate: (c) => sent.push(['candidate', c]) },
    rtcConfig: { iceServers: [] },
    RTCPeerConnection: FakePeerConnection,
  });
  return { peer, pc: FakePeerConnection.instances.at(-1), sent };
}

beforeEach(() => { FakePeerConnection.instances = []; });

test('the newcomer adds a sendrecv transceiver and makes the first offer, munged for voice', async () => {
  const { pc, sent } = session({ initiator: true });
  assert.equal(pc.transceivers.length, 1);
  assert.equal(pc.transceivers[0].direction, 'sendrecv');
  assert.equal(pc.transceivers[0].sender.track, TRACK);
  assert.deepEqual(pc.transceivers[0].streams, [STREAM]);
  pc.onnegotiationneeded();
  await tick();
  assert.deepEqual(pc.calls, ['addTransceiver', 'createOffer', 'setLocal:offer']);
  assert.equal(sent.length, 1);
  assert.equal(sent[0][0], 'offer');
  assert.match(sent[0][1], /a=fmtp:111 minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0;usedtx=1/);
  assert.equal(pc.localDescription.sdp, sent[0][1], 'the munged description is the one set');
});

test('an existing member neither adds a track nor offers before the newcomer\'s offer', async () => {
  const { pc, sent } = session({ initiator: false });
  assert.equal(pc.transceivers.length, 0);
  pc.onnegotiationneeded?.();
  await tick();
  assert.deepEqual(sent, []);
  assert.deepEqual(pc.calls, []);
});

test('an existing member answers with its mic on the offer\'s transceiver', async () => {
  const { peer, pc, sent } = session({ initiator: false });
  await peer.handleDescription({ type: 'offer', sdp: 'remote-offer' });
  assert.deepEqual(pc.calls, ['setRemote:offer', 'addTrack', 'createAnswer', 'setLocal:answer']);
  assert.equal(pc.transceivers.length, 1, 'reuses the transceiver the offer created');
  assert.equal(pc.transceivers[0].sender.track, TRACK);
  assert.equal(pc.transceivers[0].direction, 'sendrecv');
  assert.equal(sent.length, 1);
  assert.equal(sent[0][0], 'answer');
  assert.match(sent[0][1], /usedtx=1/);
});

test('remote candidates wait for the remote description, then apply in order', async () => {
  const { peer, pc } = session({ initiator: true });
  pc.onnegotiationneeded();
  await tick();
  const c1 = { candidate: 'candidate:1 1 udp 1 127.0.0.1 1000 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  const c2 = { candidate: 'candidate:2 1 udp 1 127.0.0.1 1001 typ host', sdpMid: '0', sdpMLineIndex: 0 };
  await peer.handleCandidate(c1);
  await peer.handleCandidate(c2);
  assert.deepEqual(pc.candidates, []);
  await peer.handleDescription({ type: 'answer', sdp: 'remote-answer' });
  assert.deepEqual(pc.candidates, [c1, c2]);
  await peer.handleCandidate(null);
  assert.deepEqual(pc.candidates, [c1, c2, undefined], 'null is end of candidates');
});

test('local candidates are relayed; end of candidates is not', () => {
  const { pc, sent } = session({ initiator: true });
  const json = { candidate: 'candidate:1 1 udp 1 127.0.0.1 1000 typ host', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: 'u' };
  pc.onicecandidate({ candidate: { candidate: json.candidate, toJSON: () => json } });
  pc.onicecandidate({ candidate: null });
  pc.onicecandidate({ candidate: { candidate: '', toJSON: () => ({ candidate: '' }) } });
  assert.deepEqual(sent, [['candidate', json]]);
});

test('on glare the impolite side ignores the remote offer, the polite side accepts it', async () => {
  for (const polite of [false, true]) {
    const { peer, pc, sent } = session({ initiator: true, polite });
    pc.onnegotiationneeded();
    await tick();
    assert.equal(pc.signalingState, 'have-local-offer');
    await peer.handleDescription({ type: 'offer', sdp: 'their-offer' });
    if (polite) {
      assert.ok(pc.calls.includes('setRemote:offer'));
      assert.equal(sent.at(-1)[0], 'answer');
    } else {
      assert.ok(!pc.calls.includes('setRemote:offer'));
      assert.equal(sent.length, 1, 'only our own offer');
    }
  }
});

test('a stale answer in stable state is ignored', async () => {
  const { peer, pc } = session({ initiator: true });
  await tick(); // the first offer is made at once (it does not wait for negotiationneeded)
  await peer.handleDescription({ type: 'answer', sdp: 'the answer' });
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.calls.filter((c) => c === 'setRemote:answer').length, 1);
  await peer.handleDescription({ type: 'answer', sdp: 'late' });
  assert.equal(pc.calls.filter((c) => c === 'setRemote:answer').length, 1, 'the late one is not applied');
  assert.equal(pc.remoteDescription.sdp, 'the answer');
});

test('the newcomer\'s first offer starts with the connection, without waiting for negotiationneeded, and only once', async () => {
  const { pc, sent } = session({ initiator: true });
  assert.deepEqual(pc.calls, ['addTransceiver', 'createOffer'], 'createOffer called in the constructor');
  await tick();
  assert.deepEqual(sent.map(([kind]) => kind), ['offer']);
  pc.onnegotiationneeded(); // the browser's event, dispatched later: the offer awaiting its answer covers it
  await tick();
  assert.deepEqual(pc.calls, ['addTransceiver', 'createOffer', 'setLocal:offer']);
  assert.equal(sent.length, 1);
});

test('connection states map to connecting / connected / reconnecting / failed, with ICE restarts', () => {
  const { peer, pc } = session({ initiator: true });
  const states = [];
  peer.addEventListener('statechange', (e) => states.push(e.detail.state));
  assert.equal(peer.state, 'connecting');
  pc.setConnectionState('connecting');
  pc.setConnectionState('connected');
  pc.setConnectionState('disconnected');
  pc.setConnectionState('connected');
  pc.setConnectionState('failed');       // restart 1
  pc.setConnectionState('connecting');
  pc.setConnectionState('failed');       // restart 2
  pc.setConnectionState('checking');
  pc.setConnectionState('failed');       // out of restarts
  assert.equal(pc.restarts, 2);
  assert.deepEqual(states, ['connected', 'reconnecting', 'connected', 'reconnecting', 'failed']);
  assert.equal(peer.state, 'failed');
});

test('close is safe to call twice and silences the connection', () => {
  const { peer, pc } = session({ initiator: true });
  const states = [];
  peer.addEventListener('statechange', (e) => states.push(e.detail.state));
  peer.close();
  peer.close();
  assert.equal(pc.closed, 1);
  assert.equal(peer.state, 'closed');
  assert.deepEqual(states, ['closed']);
  assert.equal(pc.onnegotiationneeded, null);
});

test('politeness is deterministic and opposite on both sides', () => {
  assert.notEqual(isPolite('p_a', 'p_b'), isPolite('p_b', 'p_a'));
  assert.equal(isPolite('p_a', 'p_b'), isPolite('p_a', 'p_b'));
  assert.equal(peerStateFor('new', false), 'connecting');
  assert.equal(peerStateFor('new', true), 'reconnecting');
  assert.equal(peerStateFor('completed', true), 'connected');
});

test('both sides create the negotiated parley channel (id 0) before any offer; bye and a closed open channel are events', async () => {
  for (const initiator of [true, false]) {
    const { peer, pc } = session({ initiator });
    assert.equal(pc.channels.length, 1);
    assert.equal(pc.channel.label, 'parley');
    assert.deepEqual(pc.channel.init, { negotiated: true, id: 0, ordered: true });
    // The newcomer offers at once, with the channel already there (so the offer negotiates it); the other waits.
    assert.deepEqual(pc.channelsAtOffers, initiator ? [1] : []);
    const events = [];
    for (const type of ['bye', 'channel-close']) peer.addEventListener(type, () => events.push(type));
    assert.equal(peer.sendBye(), false, 'not open yet');
    pc.channel.remoteClose();
    assert.deepEqual(events, [], 'a channel that never opened says nothing');
    pc.channel.open();
    assert.equal(peer.sendBye(), true);
    assert.deepEqual(pc.channel.sent, [{ type: 'bye' }]);
    pc.channel.receive({ type: 'bye' });
    pc.channel.remoteClose();
    assert.deepEqual(events, ['bye', 'channel-close']);
    peer.close();
  }
});

test('an existing member offers nothing after its first answer (the channel was negotiated by that offer)', async () => {
  const { peer, pc, sent } = session({ initiator: false });
  pc.onnegotiationneeded(); // fired by the channel, before the newcomer's offer
  await peer.handleDescription({ type: 'offer', sdp: 'remote-offer' });
  await tick();
  assert.deepEqual(sent.map(([kind]) => kind), ['answer']);
  assert.equal(peer.restartIce(), true, 'after answering it may restart ICE');
  assert.equal(pc.restarts, 1);
});

test('ping on the parley channel is answered pong; a pong is an event; ping() is false before the channel opens', async () => {
  const { peer, pc } = session({ initiator: true });
  let pongs = 0;
  peer.addEventListener('pong', () => pongs++);
  assert.equal(peer.ping(), false, 'not open yet');
  pc.channel.open();
  assert.equal(peer.ping(), true);
  pc.channel.receive({ type: 'ping' });
  assert.deepEqual(pc.channel.sent, [{ type: 'ping' }, { type: 'pong' }]);
  assert.equal(pongs, 0);
  pc.channel.receive({ type: 'pong' });
  assert.equal(pongs, 1);
  peer.close();
});

test('the first offer is sent while setLocalDescription runs; an answer that comes back first waits for it', async () => {
  let release;
  const gate = new Promise((r) => { release = r; });
  class SlowLocal extends FakePeerConnection {
    async setLocalDescription(desc) { await gate; return super.setLocalDescription(desc); }
  }
  const sent = [];
  const peer = new PeerSession({
    remoteId: 'p_remote', polite: false, initiator: true, localTrack: TRACK, localStream: STREAM,
    send: { offer: (sdp) => sent.push(['offer', sdp]), answer: () => {}, candidate: () => {} },
    RTCPeerConnection: SlowLocal,
  });
  const pc = FakePeerConnection.instances.at(-1);
  await tick();
  assert.deepEqual(sent.map(([kind]) => kind), ['offer'], 'out before setLocalDescription resolved');
  assert.equal(pc.signalingState, 'stable');
  const answered = peer.handleDescription({ type: 'answer', sdp: 'remote-answer' });
  await tick();
  assert.ok(!pc.calls.includes('setRemote:answer'), 'the answer waits');
  release();
  await answered;
  assert.deepEqual(pc.calls, ['addTransceiver', 'createOffer', 'setLocal:offer', 'setRemote:answer']);
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.remoteDescription.sdp, 'remote-answer');
});

test('an existing member sends its answer while setLocalDescription runs, and the offer\'s track event only after it and ICE', async () => {
  let release;
  const gate = new Promise((r) => { release = r; });
  class Answering extends FakePeerConnection {
    async setRemoteDescription(desc) {
      await super.setRemoteDescription(desc);
      this.ontrack?.({ track: { kind: 'audio', id: 'remote' }, streams: [{ id: 'remote-stream' }] }); // as Chromium: during it
    }
    async setLocalDescription(desc) { await gate; return super.setLocalDescription(desc); }
  }
  const order = [];
  const peer = new PeerSession({
    remoteId: 'p_remote', polite: true, initiator: false, localTrack: TRACK, localStream: STREAM,
    send: { offer: () => {}, answer: () => order.push('answer sent'), candidate: () => {} },
    RTCPeerConnection: Answering,
  });
  peer.addEventListener('track', ({ detail }) => order.push(`track ${detail.stream.id}`));
  const answered = peer.handleDescription({ type: 'offer', sdp: 'remote-offer' });
  const pc = FakePeerConnection.instances.at(-1);
  for (let i = 0; i < 5; i++) await tick();
  assert.deepEqual(order, ['answer sent'], 'the answer first, before setLocalDescription resolved');
  pc.iceConnectionState = 'checking';
  pc.setConnectionState('connecting');
  assert.deepEqual(order, ['answer sent'], 'no track while ICE checks');
  pc.iceConnectionState = 'connected';
  pc.setConnectionState('connecting');
  assert.deepEqual(order, ['answer sent', 'track remote-stream'], 'the track once ICE has connected');
  release();
  await answered;
  assert.equal(pc.signalingState, 'stable');
});

test('a track event of an answer (our offer) waits for ICE, then is not held again', async () => {
  class Answered extends FakePeerConnection {
    async setRemoteDescription(desc) {
      await super.setRemoteDescription(desc);
      this.ontrack?.({ track: { kind: 'audio', id: 'remote' }, streams: [{ id: 'remote-stream' }] });
    }
  }
  const tracks = [];
  const peer = new PeerSession({
    remoteId: 'p_remote', polite: false, initiator: true, localTrack: TRACK, localStream: STREAM,
    send: { offer: () => {}, answer: () => {}, candidate: () => {} }, RTCPeerConnection: Answered,
  });
  peer.addEventListener('track', () => tracks.push('track'));
  await tick();
  await peer.handleDescription({ type: 'answer', sdp: 'remote-answer' });
  assert.deepEqual(tracks, [], 'held while ICE has not connected');
  const pc = FakePeerConnection.instances.at(-1);
  pc.iceConnectionState = 'failed';
  pc.setConnectionState('failed');
  assert.deepEqual(tracks, ['track'], 'released when ICE gives up too: the app learns of it either way');
  // Later descriptions on a connection past ICE: at once.
  pc.signalingState = 'have-local-offer';
  await peer.handleDescription({ type: 'answer', sdp: 'remote-answer-2' });
  assert.deepEqual(tracks, ['track', 'track']);
});
