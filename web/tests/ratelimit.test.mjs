import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket, bucketForLimits } from '../sdk/ratelimit.js';

test('a bucket allows its burst, then refills at its rate', () => {
  let now = 0;
  const b = new TokenBucket({ rate: 10, burst: 3, now: () => now });
  assert.deepEqual([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()], [true, true, true, false]);
  assert.equal(b.waitMs(), 100);
  now = 50;
  assert.equal(b.tryTake(), false);
  now = 100;
  assert.equal(b.tryTake(), true);
  now = 10_000;
  assert.equal(b.waitMs(), 0);
  assert.deepEqual([b.tryTake(), b.tryTake(), b.tryTake(), b.tryTake()], [true, true, true, false], 'capped at burst');
});

test('the bucket for server limits keeps a 10 % margin', () => {
  let now = 0;
  const b = bucketForLimits({ messagesPerSecond: 50, messageBurst: 200 }, () => now);
  let taken = 0;
  while (b.tryTake()) taken++;
  assert.equal(taken, 180);
  now = 1000;
  taken = 0;
  while (b.tryTake()) taken++;
  assert.equal(taken, 45);
});
