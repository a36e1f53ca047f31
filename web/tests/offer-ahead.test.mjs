import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OfferAhead } from '../sdk/offer-ahead.js';

const track = (state = 'live') => ({ kind: 'audio', readyState: state });
const stream = (t) => ({ getAudioTracks: () => [t] });
const made = (t) => {
  const pc = { closed: 0, signalingState: 'stable', close() { this.closed++; } };
  return { pc, channel: {}, sdp: 'offer', track: t };
};

test('what was made ahead is handed over once, for the same live track while we send; otherwise closed', async () => {
  const t = track();
  const ahead = new OfferAhead(async (s) => made(s.getAudioTracks()[0]));
  await ahead.prepare(stream(t));
  const first = ahead.take(t, true);
  assert.equal(first.track, t);
  assert.equal(ahead.take(t, true), null, 'once');

  await ahead.prepare(stream(t));
  const other = ahead.take(track(), true);
  assert.equal(other, null, 'another track');
  await ahead.prepare(stream(t));
  let taken = ahead.take(t, false);
  assert.equal(taken, null, 'not sending (a listener, or muted by a moderator): recvonly, made anew');
  const ended = track('ended');
  await ahead.prepare(stream(ended));
  taken = ahead.take(ended, true);
  assert.equal(taken, null, 'an ended track');
});

test('a take while it is still being made gets nothing, and what is made then is closed', async () => {
  let finish;
  const t = track();
  const result = made(t);
  const ahead = new OfferAhead(() => new Promise((resolve) => { finish = () => resolve(result); }));
  const preparing = ahead.prepare(stream(t));
  assert.equal(ahead.take(t, true), null);
  finish();
  await preparing;
  assert.equal(result.pc.closed, 1);
  assert.equal(ahead.prepared, false);
});

test('preparing again for the same track makes nothing new; a failure leaves nothing behind', async () => {
  let makes = 0;
  const t = track();
  const ahead = new OfferAhead(async (s) => { makes++; return made(s.getAudioTracks()[0]); });
  await ahead.prepare(stream(t));
  await ahead.prepare(stream(t));
  assert.equal(makes, 1);
  const failing = new OfferAhead(async () => { throw new Error('no WebRTC'); });
  await failing.prepare(stream(t));
  assert.equal(failing.prepared, false);
  assert.equal(failing.take(t, true), null);
});
