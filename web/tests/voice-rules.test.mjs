import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hearRoute, sendsTo, resolveTargets, targetSpec } from '../sdk/voice-rules.js';
import { positionalChannel } from '../sdk/spatial-math.js';

const channel = positionalChannel({ type: 'positional' });
const at = (x, groups = []) => ({ position: { x, y: 0, z: 0 }, groups: new Set(groups) });
const peer = (x, { groups = [], whisper = { active: false, toYou: false }, id = 'p_b' } = {}) =>
  ({ id, ...at(x, groups), whisper });

test('positional: heard and sent to within the audible distance (32 included), neither beyond', () => {
  assert.equal(hearRoute(channel, at(0), peer(10)), 'positional');
  assert.equal(hearRoute(channel, at(0), peer(32)), 'positional');
  assert.equal(hearRoute(channel, at(0), peer(32.5)), 'none');
  assert.equal(sendsTo(channel, at(0), peer(32), null), true);
  assert.equal(sendsTo(channel, at(0), peer(40), null), false);
  // Both sides decide the same from the same two positions.
  assert.equal(sendsTo(channel, at(40), peer(0), null), sendsTo(channel, at(0), peer(40), null));
});

test('a plain room: everyone hears everyone, whatever the positions', () => {
  assert.equal(hearRoute(null, at(0), peer(1000)), 'everyone');
  assert.equal(sendsTo(null, at(0), peer(1000), null), true);
});

test('a shared talk group is heard at any distance, on top of the positional rules', () => {
  assert.equal(hearRoute(channel, at(0, ['red']), peer(100, { groups: ['red', 'blue'] })), 'group');
  assert.equal(sendsTo(channel, at(0, ['red']), peer(100, { groups: ['red'] }), null), true);
  assert.equal(hearRoute(channel, at(0, ['red']), peer(100, { groups: ['blue'] })), 'none');
  assert.equal(hearRoute(channel, at(0, ['red']), peer(5, { groups: ['blue'] })), 'positional');
});

test('whisper: my audio goes only to my targets, near or far, groups or not', () => {
  const targets = new Set(['p_t']);
  assert.equal(sendsTo(channel, at(0), peer(100, { id: 'p_t' }), targets), true);
  assert.equal(sendsTo(channel, at(0), peer(1, { id: 'p_x' }), targets), false);
  assert.equal(sendsTo(channel, at(0, ['red']), peer(1, { id: 'p_x', groups: ['red'] }), targets), false);
  assert.equal(sendsTo(null, at(0), peer(1, { id: 'p_x' }), new Set()), false);
});

test('whisper: its target hears it whatever the distance; anyone else hears nothing from the whisperer', () => {
  assert.equal(hearRoute(channel, at(0), peer(500, { whisper: { active: true, toYou: true } })), 'whisper');
  assert.equal(hearRoute(channel, at(0), peer(1, { whisper: { active: true, toYou: false } })), 'none');
  assert.equal(hearRoute(null, at(0, ['red']), peer(1, { groups: ['red'], whisper: { active: true, toYou: false } })), 'none');
});

test('targets are ids or display names; a name names everyone of that name; null is nobody whispered to', () => {
  const people = [{ id: 'p_a', name: 'Ann' }, { id: 'p_b', name: 'Bob' }, { id: 'p_c', name: 'Bob' }];
  assert.deepEqual([...resolveTargets(['p_a'], people)], ['p_a']);
  assert.deepEqual([...resolveTargets(['Bob'], people)].sort(), ['p_b', 'p_c']);
  assert.deepEqual([...resolveTargets(['Zed'], people)], []);
  assert.equal(resolveTargets(null, people), null);
  assert.deepEqual(targetSpec('Ann'), ['Ann']);
  assert.equal(targetSpec(null), null);
  assert.throws(() => targetSpec([3]), TypeError);
  assert.throws(() => targetSpec(['']), TypeError);
});
