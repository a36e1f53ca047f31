import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstConnections } from '../sdk/join-report.js';
import { FakeClock } from './fake-clock.mjs';

const tick = () => new Promise((r) => setTimeout(r, 0));

class FakePeer extends EventTarget {
  state = 'connecting';
  set(state) { this.state = state; this.dispatchEvent(new CustomEvent('statechange', { detail: { state } })); }
}

async function settled(promise) {
  let done = false;
  promise.then(() => { done = true; });
  await tick();
  return done;
}

test('the report waits until no first connection is connecting any more (connected or failed)', async () => {
  const clock = new FakeClock();
  const [a, b] = [new FakePeer(), new FakePeer()];
  const report = firstConnections([a, b], clock, 1000);
  assert.equal(await settled(report), false);
  a.set('connected');
  assert.equal(await settled(report), false, 'one is still connecting');
  b.set('failed');
  assert.equal(await settled(report), true);
  assert.deepEqual(clock.pending, [], 'its timer is gone');
});

test('the report waits joinReportMaxMs at most, and not at all by default or without connections', async () => {
  const clock = new FakeClock();
  const peer = new FakePeer();
  const report = firstConnections([peer], clock, 1000);
  clock.advance(999);
  assert.equal(await settled(report), false);
  clock.advance(1);
  assert.equal(await settled(report), true);
  assert.equal(await settled(firstConnections([new FakePeer()], clock)), true, 'default 0: at once');
  assert.equal(await settled(firstConnections([], clock, 1000)), true);
});
