import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrackerSignaling } from '../sdk/tracker-signaling.js';
import { FakeTrackerHub, FakeMeetingPeerConnection } from './fake-tracker.mjs';

const TRACKERS = ['ws://t1.test', 'ws://t2.test'];

function member(hub, trackers = TRACKERS) {
  const signaling = new TrackerSignaling({
    trackers, WebSocket: hub.WebSocket, RTCPeerConnection: FakeMeetingPeerConnection, timing: { announceMs: 60_000 },
  });
  const events = [];
  for (const type of ['participant-joined', 'participant-left', 'participant-state', 'chat', 'offer']) {
    signaling.addEventListener(type, ({ detail }) => events.push({ type, ...detail }));
  }
  return { signaling, events };
}

function until(events, predicate, what) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(events)}`)), 5000);
    const check = () => {
      const found = events.find(predicate);
      if (found) { clearTimeout(timer); resolve(found); } else setTimeout(check, 5);
    };
    check();
  });
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('two members on the same two trackers meet once: the offer both trackers deliver is answered once', async () => {
  const hub = new FakeTrackerHub();
  const ada = member(hub);
  const bob = member(hub);
  try {
    const adaJoined = await ada.signaling.join({ room: 'standup', name: 'Ada', password: 'pw' });
    assert.equal(adaJoined.participants.length, 0);
    assert.match(adaJoined.self.id, /^[0-9A-Za-z]{20}$/);
    assert.equal(ada.signaling.transport, 'tracker');
    const bobJoined = await bob.signaling.join({ room: 'standup', name: 'Bob', password: 'pw' });

    const seenByAda = await until(ada.events, (e) => e.type === 'participant-joined', 'Ada sees Bob');
    const seenByBob = await until(bob.events, (e) => e.type === 'participant-joined', 'Bob sees Ada');
    assert.equal(seenByAda.participant.id, bobJoined.self.id);
    assert.equal(seenByAda.participant.name, 'Bob');
    assert.equal(seenByBob.participant.id, adaJoined.self.id);
    // Exactly one side makes the first audio offer: the lower id.
    assert.equal(seenByAda.initiator, adaJoined.self.id < bobJoined.self.id);
    assert.equal(seenByBob.initiator, !seenByAda.initiator);

    // Bob's first announce reached Ada through both trackers with the same offer; she answered it once.
    const adaId = adaJoined.self.id;
    const viaT1 = hub.offersTo(adaId, TRACKERS[0]).map((d) => d.message.offer_id);
    const viaT2 = hub.offersTo(adaId, TRACKERS[1]).map((d) => d.message.offer_id);
    assert.deepEqual(viaT1, viaT2);
    const answers = hub.received.filter(({ msg }) => msg.answer && msg.peer_id === adaId);
    assert.equal(answers.length, 1, JSON.stringify(answers.map((a) => a.url)));
    // The trackers saw sealed SDP only.
    for (const { msg } of hub.received) {
      for (const sdp of [...(msg.offers ?? []).map((o) => o.offer.sdp), msg.answer?.sdp].filter(Boolean)) assert.doesNotMatch(sdp, /fake pc/);
    }

    await settle();
    assert.equal(ada.events.filter((e) => e.type === 'participant-joined').length, 1);
    assert.equal(bob.events.filter((e) => e.type === 'participant-joined').length, 1);

    // State, chat and the audio connection's negotiation go over the link.
    bob.signaling.sendState({ muted: true });
    await until(ada.events, (e) => e.type === 'participant-state' && e.muted === true && e.id === bobJoined.self.id, 'mute');
    bob.signaling.sendChat('hello');
    const chat = await until(ada.events, (e) => e.type === 'chat', 'chat');
    assert.deepEqual([chat.from, chat.name, chat.text], [bobJoined.self.id, 'Bob', 'hello']);
    assert.ok(bob.events.some((e) => e.type === 'chat' && e.from === bobJoined.self.id), 'the sender gets its own chat back');
    bob.signaling.sendOffer(adaId, 'v=0 audio');
    const offer = await until(ada.events, (e) => e.type === 'offer', 'relayed offer');
    assert.deepEqual([offer.from, offer.sdp], [bobJoined.self.id, 'v=0 audio']);

    // Leaving says bye: the other side sees them leave at once.
    bob.signaling.leave();
    const left = await until(ada.events, (e) => e.type === 'participant-left', 'Bob left');
    assert.deepEqual([left.id, left.reason], [bobJoined.self.id, 'left']);
  } finally {
    ada.signaling.close();
    bob.signaling.close();
  }
});

test('a member with another password is in another swarm and never meets the others', async () => {
  const hub = new FakeTrackerHub();
  const ada = member(hub);
  const eve = member(hub);
  const bob = member(hub);
  try {
    const adaJoined = await ada.signaling.join({ room: 'standup', name: 'Ada', password: 'right' });
    const eveJoined = await eve.signaling.join({ room: 'standup', name: 'Eve', password: 'wrong' });
    await bob.signaling.join({ room: 'standup', name: 'Bob', password: 'right' });
    await until(ada.events, (e) => e.type === 'participant-joined', 'Ada sees Bob');
    await settle();
    assert.notEqual(ada.signaling.infoHash, eve.signaling.infoHash);
    assert.deepEqual(eve.events, []);
    assert.ok(!ada.events.some((e) => e.participant?.id === eveJoined.self.id));
    assert.equal(hub.delivered.filter((d) => d.to === eveJoined.self.id && d.message.offer).length, 0);
    assert.equal(hub.delivered.filter((d) => d.to === adaJoined.self.id && d.message.offer).length, 2); // Bob's, via t1 and t2
  } finally {
    for (const m of [ada, eve, bob]) m.signaling.close();
  }
});

test('an unreachable tracker fails the join with tracker-unreachable; bad URLs and missing names are refused', async () => {
  const Dead = class { constructor() { setTimeout(() => this.onclose?.({}), 0); } close() {} };
  const signaling = new TrackerSignaling({ trackers: 'ws://dead.test', WebSocket: Dead, timing: { joinTimeoutMs: 50 } });
  await assert.rejects(signaling.join({ room: 'r', name: 'n' }), { code: 'tracker-unreachable' });
  signaling.close();
  assert.throws(() => new TrackerSignaling({ trackers: 'http://tracker.test' }), { code: 'invalid-state' });
  const other = new TrackerSignaling({ trackers: 'ws://t.test', WebSocket: Dead });
  await assert.rejects(other.join({ room: 'r', name: ' ' }), { code: 'invalid-name' });
  await assert.rejects(new TrackerSignaling({ trackers: 'ws://t.test', WebSocket: Dead }).join({ room: '', name: 'n' }), { code: 'invalid-room' });
});
