import { test } from 'node:test';
import assert from 'node:assert/strict';
import { offerDecision, resumePlan, participantJoinedDecision, sessionIdOf, isWorking } from '../sdk/peer-decisions.js';

const sdp = (session) => `v=0\r\no=- ${session} 2 IN IP4 127.0.0.1\r\ns=-\r\n`;

test('the session id comes from the SDP origin line', () => {
  assert.equal(sessionIdOf(sdp('4611731400430051336')), '4611731400430051336');
  assert.equal(sessionIdOf('nonsense'), null);
  assert.equal(sessionIdOf(null), null);
});

test('an offer replaces a closed or given-up connection, or one from a new remote connection; else it is applied', () => {
  const table = [
    [{ state: 'connected', currentRemoteSdp: sdp(1), offerSdp: sdp(1) }, 'apply', 'renegotiation or ICE restart of the same connection'],
    [{ state: 'reconnecting', currentRemoteSdp: sdp(1), offerSdp: sdp(1) }, 'apply', 'an ICE restart while we recover'],
    [{ state: 'reconnecting', currentRemoteSdp: sdp(1), offerSdp: sdp(2) }, 'replace', 'they started over with a new connection'],
    [{ state: 'connected', currentRemoteSdp: sdp(1), offerSdp: sdp(2) }, 'replace', 'a new remote connection, even if ours looked fine'],
    [{ state: 'connecting', currentRemoteSdp: null, offerSdp: sdp(2) }, 'apply', 'the first offer'],
    [{ state: 'failed', currentRemoteSdp: sdp(1), offerSdp: sdp(1) }, 'replace', 'we gave up on it'],
    [{ state: 'closed', currentRemoteSdp: null, offerSdp: sdp(1) }, 'replace', 'closed'],
    [{ state: null, currentRemoteSdp: null, offerSdp: sdp(1) }, 'replace', 'no connection at all'],
  ];
  for (const [input, expected, why] of table) assert.equal(offerDecision(input), expected, why);
});

test('after our resume: keep working connections, offer to the listed others, keep the unlisted for now', () => {
  const states = new Map([['p_ok', 'connected'], ['p_broken', 'reconnecting'], ['p_gone', 'failed'], ['p_away', 'connected']]);
  const plan = resumePlan([{ id: 'p_ok' }, { id: 'p_broken' }, { id: 'p_gone' }, { id: 'p_new', name: 'N' }], states);
  assert.deepEqual(plan.keep, ['p_ok']);
  assert.deepEqual(plan.renegotiate, ['p_broken', 'p_gone']);
  assert.deepEqual(plan.add, [{ id: 'p_new', name: 'N' }]);
  assert.deepEqual(plan.unlisted, ['p_away'], 'not dropped: they may not have resumed yet');
});

test('participant-joined: resumed with a working connection keeps it; without one waits for their offer', () => {
  assert.equal(participantJoinedDecision('connected', true), 'keep');
  assert.equal(participantJoinedDecision('reconnecting', true), 'await-offer');
  assert.equal(participantJoinedDecision('failed', true), 'await-offer');
  assert.equal(participantJoinedDecision(null, true), 'add');
  assert.equal(participantJoinedDecision(null, false), 'add');
  assert.equal(participantJoinedDecision('connected', false), 'replace', 'joined anew: a new session');
  assert.ok(isWorking('connected') && !isWorking('reconnecting') && !isWorking('connecting'));
});
