import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpatialVoice, POSITION_INTERVAL_MS } from '../sdk/positional.js';
import { Participant } from '../sdk/participant.js';
import { FakeClock } from './fake-clock.mjs';

class FakePeer {
  sent = [];
  paused = false;
  sendMessage(message) { this.sent.push(structuredClone(message)); return true; }
  setPaused(paused) { this.paused = paused; }
  ofType(type) { return this.sent.filter((m) => m.type === type); }
}

function setup(names = ['Bob', 'Carol']) {
  const clock = new FakeClock();
  const connections = names.map((name, i) => ({ participant: new Participant({ id: `p_${i}`, name }, false), peer: new FakePeer() }));
  const events = [];
  const heard = [];
  const voice = new SpatialVoice({
    connections: () => connections, playback: null, self: () => null,
    applyHearing: (p) => heard.push([p.name, p.route]), emit: (type, detail) => events.push([type, detail]),
  }, clock);
  voice.setChannel({ type: 'positional', audibleDistance: 32, conversationalDistance: 1, fadeIntensity: 1, fadeModel: 'inverse' });
  return { clock, connections, voice, events, heard, bob: connections[0], carol: connections[1] };
}

test('positions go to peers at most every 100 ms, the latest one, and only when it changed', () => {
  const { clock, voice, bob } = setup();
  voice.setPosition({ x: 1 });
  assert.equal(bob.peer.ofType('position').length, 1, 'the first one at once');
  for (let i = 2; i <= 30; i++) { clock.advance(5); voice.setPosition({ x: i }); } // a game moving at 200 Hz
  assert.equal(bob.peer.ofType('position').length, 2);
  assert.equal(bob.peer.ofType('position')[1].position.x, 20);
  clock.advance(POSITION_INTERVAL_MS);
  assert.equal(bob.peer.ofType('position').length, 3);
  assert.equal(bob.peer.ofType('position')[2].position.x, 30);
  clock.advance(1000);
  voice.setPosition({ x: 30 });
  assert.equal(bob.peer.ofType('position').length, 3, 'unchanged: nothing sent');
  // A move away and back within one interval sends nothing either.
  voice.setPosition({ x: 31 });
  assert.equal(bob.peer.ofType('position').length, 4);
  voice.setPosition({ x: 40 });
  voice.setPosition({ x: 31 });
  clock.advance(POSITION_INTERVAL_MS);
  assert.equal(bob.peer.ofType('position').length, 4);
});

test('beyond the audible distance a peer is silent and my sender to it paused, both ways; closer again, both back', () => {
  const { voice, bob, carol, events } = setup();
  voice.setPosition({ x: 0 });
  voice.peerMessage(bob, { type: 'position', position: { x: 40, y: 0, z: 0 } });
  assert.equal(bob.participant.route, 'none');
  assert.equal(bob.peer.paused, true);
  assert.equal(carol.participant.route, 'positional');
  assert.equal(carol.peer.paused, false);
  assert.ok(events.some(([type, d]) => type === 'participant-updated' && d.participant === bob.participant && d.changes.includes('route')));

  // I walk towards Bob: decided at once on my side, before Bob hears where I am.
  voice.setPosition({ x: 20 });
  assert.equal(bob.participant.route, 'positional');
  assert.equal(bob.peer.paused, false);
  assert.equal(carol.participant.route, 'positional');
});

test('whisper: only the targets get my audio, each peer is told whether it is whispered to, null ends it', () => {
  const { voice, bob, carol } = setup();
  voice.setTargets(['Carol']);
  assert.equal(carol.peer.paused, false);
  assert.equal(bob.peer.paused, true);
  assert.deepEqual(carol.peer.ofType('whisper').at(-1), { type: 'whisper', active: true, toYou: true });
  assert.deepEqual(bob.peer.ofType('whisper').at(-1), { type: 'whisper', active: true, toYou: false });

  voice.setTargets(null);
  assert.equal(bob.peer.paused, false);
  assert.deepEqual(bob.peer.ofType('whisper').at(-1), { type: 'whisper', active: false, toYou: false });
});

test('a peer whispering to me is heard wherever it is and shown; whispering to someone else, it is silent', () => {
  const { voice, bob, carol, events } = setup();
  voice.peerMessage(bob, { type: 'position', position: { x: 500, y: 0, z: 0 } });
  voice.peerMessage(bob, { type: 'whisper', active: true, toYou: true });
  assert.equal(bob.participant.whisperingToMe, true);
  assert.equal(bob.participant.route, 'whisper');
  assert.ok(events.some(([, d]) => d.participant === bob.participant && d.changes.includes('whisperingToMe')));
  voice.peerMessage(carol, { type: 'whisper', active: true, toYou: false });
  assert.equal(carol.participant.route, 'none');
  assert.equal(carol.participant.whisperingToMe, false);
});

test('talk groups: members are heard and sent to at any distance; leaving the group ends it', () => {
  const { voice, bob } = setup();
  voice.peerMessage(bob, { type: 'position', position: { x: 100, y: 0, z: 0 } });
  voice.peerMessage(bob, { type: 'groups', groups: ['red'] });
  assert.equal(bob.peer.paused, true);
  voice.joinGroup('red');
  assert.deepEqual(bob.peer.ofType('groups').at(-1), { type: 'groups', groups: ['red'] });
  assert.equal(bob.participant.route, 'group');
  assert.equal(bob.peer.paused, false);
  voice.leaveGroup('red');
  assert.equal(bob.participant.route, 'none');
  assert.equal(bob.peer.paused, true);
  assert.throws(() => voice.joinGroup(''), TypeError);
});

test('a new data channel (a reconnect) hears my whole state again; in a plain call nothing extra is sent', () => {
  const { voice, bob } = setup();
  voice.peerReady(bob);
  assert.deepEqual(bob.peer.sent, []);
  voice.setPosition({ x: 3 });
  voice.joinGroup('red');
  voice.setTargets([bob.participant.id]);
  const fresh = new FakePeer();
  voice.peerReady({ participant: bob.participant, peer: fresh });
  assert.deepEqual(fresh.sent.map((m) => m.type), ['position', 'groups', 'whisper']);
  assert.equal(fresh.sent[0].position.x, 3);
  assert.equal(fresh.sent[2].toYou, true);
});

test('malformed messages from a peer change nothing', () => {
  const { voice, bob } = setup();
  voice.peerMessage(bob, { type: 'position', position: { x: 'far' } });
  voice.peerMessage(bob, { type: 'groups', groups: 'red' });
  assert.deepEqual(bob.participant.position, { x: 0, y: 0, z: 0 });
  assert.deepEqual(bob.participant.groups, []);
  assert.equal(voice.peerMessage(bob, { type: 'something-else' }), false);
});
