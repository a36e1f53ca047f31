import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pbkdf2Sync } from 'node:crypto';
import { deriveRoomSecrets, sealSdp, openSdp, sealContext, randomPeerId, TRACKER_KDF } from '../sdk/tracker-crypto.js';

const SDP = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=fingerprint:sha-256 AB:CD\r\n';

test('the info_hash is bytes 32-41 of PBKDF2-SHA-256(["parley", room, password], "parley-tracker-v1", 100000), in hex', async () => {
  // Computed independently with node:crypto: the scheme is a wire format between SDK versions, pinned here.
  const expected = pbkdf2Sync(JSON.stringify(['parley', 'standup', 'hunter2']), 'parley-tracker-v1', 100_000, 64, 'sha256')
    .subarray(32, 42).toString('hex');
  const { infoHash } = await deriveRoomSecrets('standup', 'hunter2');
  assert.equal(infoHash, expected);
  assert.match(infoHash, /^[0-9a-f]{20}$/); // 20 characters: what trackers require of an info_hash
  assert.equal(TRACKER_KDF.iterations, 100_000);
});

test('the same room and password give the same swarm; another room or password another one; no password is ""', async () => {
  const a = await deriveRoomSecrets('standup', 'pw');
  assert.equal((await deriveRoomSecrets('standup', 'pw')).infoHash, a.infoHash);
  assert.notEqual((await deriveRoomSecrets('standup', 'pw2')).infoHash, a.infoHash);
  assert.notEqual((await deriveRoomSecrets('standup2', 'pw')).infoHash, a.infoHash);
  assert.equal((await deriveRoomSecrets('standup')).infoHash, (await deriveRoomSecrets('standup', '')).infoHash);
  // No ambiguity between where the room name ends and the password starts.
  assert.notEqual((await deriveRoomSecrets('ab', 'c')).infoHash, (await deriveRoomSecrets('a', 'bc')).infoHash);
});

test('a sealed SDP opens with the same room and password, with a fresh IV each time, and reveals nothing in clear', async () => {
  const { infoHash, key } = await deriveRoomSecrets('standup', 'pw');
  const context = sealContext(infoHash, 'offer', 'A'.repeat(20), 'o'.repeat(20));
  const one = await sealSdp(key, SDP, context);
  const two = await sealSdp(key, SDP, context);
  assert.notEqual(one, two);
  assert.notEqual(one.split('.')[0], two.split('.')[0]);
  assert.ok(!one.includes('fingerprint') && !one.includes('127.0.0.1'));
  const { key: again } = await deriveRoomSecrets('standup', 'pw');
  assert.equal(await openSdp(again, one, context), SDP);
});

test('a wrong password (or another room) does not open a sealed SDP', async () => {
  const { infoHash, key } = await deriveRoomSecrets('standup', 'right');
  const context = sealContext(infoHash, 'offer', 'A'.repeat(20), 'o'.repeat(20));
  const sealed = await sealSdp(key, SDP, context);
  assert.equal(await openSdp((await deriveRoomSecrets('standup', 'wrong')).key, sealed, context), null);
  assert.equal(await openSdp((await deriveRoomSecrets('standup', '')).key, sealed, context), null);
  assert.equal(await openSdp((await deriveRoomSecrets('other', 'right')).key, sealed, context), null);
});

test('a sealed SDP is bound to its sender, offer_id and direction: a tracker cannot pass it off as another', async () => {
  const { infoHash, key } = await deriveRoomSecrets('standup', 'pw');
  const sealed = await sealSdp(key, SDP, sealContext(infoHash, 'offer', 'A'.repeat(20), 'o'.repeat(20)));
  assert.equal(await openSdp(key, sealed, sealContext(infoHash, 'offer', 'B'.repeat(20), 'o'.repeat(20))), null);
  assert.equal(await openSdp(key, sealed, sealContext(infoHash, 'offer', 'A'.repeat(20), 'p'.repeat(20))), null);
  assert.equal(await openSdp(key, sealed, sealContext(infoHash, 'answer', 'A'.repeat(20), 'o'.repeat(20))), null);
});

test('openSdp returns null for hostile input and never throws', async () => {
  const { infoHash, key } = await deriveRoomSecrets('standup', 'pw');
  const context = sealContext(infoHash, 'offer', 'A'.repeat(20), 'o'.repeat(20));
  const sealed = await sealSdp(key, SDP, context);
  const flipped = sealed.slice(0, -3) + (sealed.at(-3) === 'A' ? 'B' : 'A') + sealed.slice(-2);
  for (const bad of [flipped, '', '.', 'a.b', 'x'.repeat(300_000), `${sealed}.x`, '!!!.???', 42, null, {}, 'AAAAAAAAAAAAAAAA.AAAA']) {
    assert.equal(await openSdp(key, bad, context), null, JSON.stringify(bad)?.slice(0, 40));
  }
});

test('peer ids are 20 alphanumerics and differ', () => {
  const ids = new Set(Array.from({ length: 50 }, () => randomPeerId()));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[0-9A-Za-z]{20}$/);
});
