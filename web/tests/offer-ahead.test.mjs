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

test('an offer carried by the join goes to the connection joined names in offerTo only; without offerTo it is sent as before', async () => {
  const t = track();
  const ahead = new OfferAhead(async (s) => made(s.getAudioTracks()[0]));
  assert.equal(ahead.offerFor(t), null, 'nothing made yet: the join carries none');
  await ahead.prepare(stream(t));
  assert.equal(ahead.offerFor(track()), null, 'made for another microphone');
  assert.equal(ahead.offerFor(t), 'offer');
  ahead.settle('p_bob');
  assert.equal(ahead.take(t, true, 'p_cy'), null, 'not for Cy');
  assert.equal(ahead.prepared, true, 'kept for Bob');
  const forBob = ahead.take(t, true, 'p_bob');
  assert.equal(forBob.sent, true, 'delivered by the server: set, not sent');
  assert.equal(forBob.pc.closed, 0);
  assert.equal(ahead.prepared, false);

  await ahead.prepare(stream(t));
  ahead.offerFor(t);
  ahead.settle(undefined); // nobody got it (an empty room, an older server)
  const first = ahead.take(t, true, 'p_cy');
  assert.equal(first.sent, undefined, 'the first connection sends it itself');
});

test('an offer the join delivered keeps its connection for offerTo even if the microphone changed or sending was refused since', async () => {
  const t = track();
  const ahead = new OfferAhead(async (s) => made(s.getAudioTracks()[0]));
  await ahead.prepare(stream(t));
  ahead.offerFor(t);
  ahead.settle('p_bob');
  const other = track();
  const forBob = ahead.take(other, true, 'p_bob');
  assert.equal(forBob?.sent, true, 'Bob answers this offer: a new connection\'s would not match it');
  assert.equal(forBob.track, t, 'the track it was made with: the session replaces it');
  assert.equal(forBob.pc.closed, 0);

  await ahead.prepare(stream(t));
  ahead.offerFor(t);
  ahead.settle('p_bob');
  assert.equal(ahead.take(t, false, 'p_bob')?.sent, true, 'not sending any more: kept too, made recvonly by the session');

  await ahead.prepare(stream(t));
  ahead.offerFor(t);
  ahead.settle(undefined);
  const notDelivered = ahead.take(other, true, 'p_bob');
  assert.equal(notDelivered, null, 'not delivered: made anew for the new microphone, as before');
});
