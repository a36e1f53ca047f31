import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrackerPairing, linkKey, OFFER_TTL_MS } from '../sdk/tracker-pairing.js';

const A = 'A'.repeat(20); // the lowest id
const B = 'B'.repeat(20);
const C = 'C'.repeat(20);

test('an offer is answered once, whichever tracker delivers it first; my own offers are never answered', () => {
  const pairing = new TrackerPairing({ selfId: B, maxPeers: 15 });
  assert.equal(pairing.onOffer(A, 'o1', 0), 'answer');
  assert.equal(pairing.onOffer(A, 'o1', 5), 'duplicate'); // the same offer through a second tracker
  assert.equal(pairing.onOffer(B, 'o9', 5), 'ignore');
  assert.equal(pairing.peerCount, 1);
  assert.equal(pairing.preferred(A), linkKey(A, 'o1'));
});

test('a second offer from a peer I answered already is ignored (one link per pair)', () => {
  const pairing = new TrackerPairing({ selfId: B, maxPeers: 15 });
  assert.equal(pairing.onOffer(A, 'o1', 0), 'answer');
  assert.equal(pairing.onOffer(A, 'o2', 0), 'ignore'); // their other offer, fanned out to me by another tracker
});

test('an answer is applied once per offer: a second answerer, a second tracker, or an expired offer are ignored', () => {
  const pairing = new TrackerPairing({ selfId: A, maxPeers: 15 });
  pairing.offered('o1', 0);
  pairing.offered('o2', 0);
  assert.equal(pairing.pendingOffers, 2);
  assert.equal(pairing.onAnswer(B, 'o1', 10), 'accept');
  assert.equal(pairing.onAnswer(B, 'o1', 11), 'ignore'); // the same answer again
  assert.equal(pairing.onAnswer(C, 'o1', 12), 'ignore'); // another peer got the same offer from another tracker
  assert.equal(pairing.onAnswer(B, 'o2', 13), 'ignore'); // B answered two of my offers: one link is enough
  assert.equal(pairing.onAnswer(C, 'unknown', 14), 'ignore');
  assert.equal(pairing.onAnswer(C, 'o2', OFFER_TTL_MS + 1), 'ignore'); // too late
  assert.deepEqual(pairing.expire(OFFER_TTL_MS + 1), ['o2']);
  assert.equal(pairing.pendingOffers, 0);
});

test('crossed offers: both sides keep the link offered by the lower id, and agree', () => {
  // A offered o1 and B answered it; meanwhile B offered o2 and A answered it.
  const a = new TrackerPairing({ selfId: A, maxPeers: 15 });
  const b = new TrackerPairing({ selfId: B, maxPeers: 15 });
  a.offered('o1', 0);
  b.offered('o2', 0);
  assert.equal(b.onOffer(A, 'o1', 1), 'answer'); // B answers A's offer: B's own is still unanswered
  assert.equal(a.onOffer(B, 'o2', 1), 'answer'); // A cannot know yet that B answers its offer
  assert.equal(b.onAnswer(A, 'o2', 2), 'ignore'); // B: the link offered by A (the lower id) wins over its own
  assert.equal(a.onAnswer(B, 'o1', 2), 'accept'); // A: its own offer wins over B's, which A answered
  assert.equal(a.preferred(B), linkKey(A, 'o1')); // A closes the link offered by B once its own is open
  assert.equal(b.preferred(A), linkKey(A, 'o1'));

  // ...and when B's offer reaches A after A's own link with B is up, A does not answer it at all.
  const a2 = new TrackerPairing({ selfId: A, maxPeers: 15 });
  const b2 = new TrackerPairing({ selfId: B, maxPeers: 15 });
  a2.offered('o1', 0);
  b2.offered('o2', 0);
  assert.equal(b2.onOffer(A, 'o1', 1), 'answer');
  assert.equal(a2.onAnswer(B, 'o1', 2), 'accept');
  assert.equal(a2.onOffer(B, 'o2', 3), 'ignore');
  assert.equal(a2.preferred(B), linkKey(A, 'o1'));

  // A higher id whose link was offered by the higher side takes the lower side's offer: both then keep that one.
  const b3 = new TrackerPairing({ selfId: B, maxPeers: 15 });
  assert.equal(b3.onOffer(C, 'o5', 0), 'answer'); // link offered by C
  b3.offered('o6', 0);
  assert.equal(b3.onAnswer(C, 'o6', 1), 'accept'); // link offered by B (lower than C): worth having
  assert.equal(b3.preferred(C), linkKey(B, 'o6'));
  b3.dropped(C, linkKey(C, 'o5')); // B closes the loser once its own is open
  assert.equal(b3.preferred(C), linkKey(B, 'o6'));
});

test('a full room answers no offer and takes no answer from someone new; a dropped link frees its place', () => {
  const pairing = new TrackerPairing({ selfId: B, maxPeers: 1 });
  assert.equal(pairing.onOffer(A, 'o1', 0), 'answer');
  assert.equal(pairing.onOffer(C, 'o2', 0), 'full');
  pairing.offered('o3', 0);
  assert.equal(pairing.onAnswer(C, 'o3', 1), 'full');
  pairing.dropped(A, linkKey(A, 'o1'));
  assert.equal(pairing.peerCount, 0);
  assert.equal(pairing.onAnswer(C, 'o3', 2), 'accept');
});
