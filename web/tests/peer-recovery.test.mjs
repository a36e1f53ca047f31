import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerRecovery } from '../sdk/peer-recovery.js';
import { FakeClock } from './fake-clock.mjs';

function recovery({ canRenegotiate = true } = {}) {
  const clock = new FakeClock();
  const actions = [];
  const r = new PeerRecovery({
    canRenegotiate, clock, timing: { disconnectedGraceMs: 2000, stepTimeoutMs: 10000, unreachableMs: 3000 },
    actions: { restartIce: () => actions.push('restartIce'), renegotiate: () => actions.push('renegotiate'), giveUp: () => actions.push('giveUp') },
  });
  return { r, clock, actions };
}

test('disconnected: ICE restart after the grace period, unless it recovers by itself', () => {
  const { r, clock, actions } = recovery();
  r.update('connected');
  r.update('reconnecting');
  assert.equal(r.recovering, true);
  clock.advance(1999);
  assert.deepEqual(actions, []);
  r.update('connected');
  clock.advance(5000);
  assert.deepEqual(actions, [], 'came back by itself');
  r.update('reconnecting');
  clock.advance(2000);
  assert.deepEqual(actions, ['restartIce']);
  r.update('connected');
  assert.equal(r.step, 'idle');
});

test('failed: ICE restart at once, then a new connection, then give up, each after 10 s', () => {
  const { r, clock, actions } = recovery();
  r.update('failed');
  assert.deepEqual(actions, ['restartIce']);
  clock.advance(10000);
  assert.deepEqual(actions, ['restartIce', 'renegotiate']);
  clock.advance(10000);
  assert.deepEqual(actions, ['restartIce', 'renegotiate', 'giveUp']);
  assert.equal(r.step, 'gave-up');
  assert.equal(r.recovering, false);
});

test('the polite side never starts over itself: it waits for the other side\'s new offer, then gives up', () => {
  const { r, clock, actions } = recovery({ canRenegotiate: false });
  r.update('failed');
  clock.advance(10000);
  assert.deepEqual(actions, ['restartIce']);
  clock.advance(10000);
  assert.deepEqual(actions, ['restartIce', 'giveUp']);
});

test('while signaling is down, steps that need it wait and run if it is back within unreachableMs', () => {
  const { r, clock, actions } = recovery();
  r.setSignalingUp(false);
  r.update('failed');
  clock.advance(2999);
  assert.deepEqual(actions, []);
  assert.equal(r.step, 'restart-pending');
  assert.equal(r.recovering, true);
  r.setSignalingUp(true);
  assert.deepEqual(actions, ['restartIce']);
  r.setSignalingUp(false);
  clock.advance(10000);
  assert.equal(r.step, 'renegotiate-pending');
  clock.advance(2999);
  r.setSignalingUp(true);
  assert.deepEqual(actions, ['restartIce', 'renegotiate']);
});

test('while signaling is down, a connection that does not come back by itself is given up after unreachableMs', () => {
  const { r, clock, actions } = recovery();
  r.setSignalingUp(false);
  r.update('reconnecting');
  clock.advance(2000); // the grace period: the ICE restart now needs the server
  assert.equal(r.step, 'restart-pending');
  clock.advance(3000);
  assert.deepEqual(actions, ['giveUp']);
  assert.equal(r.step, 'gave-up');
  r.setSignalingUp(true);
  assert.deepEqual(actions, ['giveUp'], 'a given-up connection stays given up');
});

test('while signaling is down, a connection that comes back by itself is kept', () => {
  const { r, clock, actions } = recovery();
  r.setSignalingUp(false);
  r.update('failed');
  clock.advance(2000);
  r.update('connected');
  clock.advance(60000);
  assert.deepEqual(actions, []);
  assert.equal(r.step, 'idle');
});

test('a step that times out while signaling is down waits unreachableMs for it, then gives up', () => {
  const { r, clock, actions } = recovery();
  r.update('failed');
  assert.deepEqual(actions, ['restartIce']);
  r.setSignalingUp(false);
  clock.advance(10000);
  assert.equal(r.step, 'renegotiate-pending');
  clock.advance(3000);
  assert.deepEqual(actions, ['restartIce', 'giveUp']);
});

test('a connection replaced by the room gets a full step to connect', () => {
  const { r, clock, actions } = recovery();
  r.update('failed');
  r.replaced();
  clock.advance(9999);
  r.update('connected');
  clock.advance(20000);
  assert.deepEqual(actions, ['restartIce']);
  assert.equal(r.step, 'idle');
});
