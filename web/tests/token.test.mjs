import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeAccessToken, decodeBase64 } from '../sdk/token.js';
import { token } from './access-harness.mjs';

test('an access token is read (not verified): identity, name (else sub), room, canPublish, admin, expiry', () => {
  const t = decodeAccessToken(token({ iss: 'k', sub: 'alice', name: 'Alice Ä', exp: 1900000000,
    video: { roomJoin: true, room: 'game-night', roomAdmin: true } }));
  assert.deepEqual(t, { identity: 'alice', name: 'Alice Ä', room: 'game-night', canPublish: true, admin: true,
    expiresAt: new Date(1900000000 * 1000) });
  assert.equal(decodeAccessToken(token({ sub: 'bob', video: { room: 'r' } })).name, 'bob', 'name falls back to sub');
  assert.equal(decodeAccessToken(token({ jti: 'j1', video: {} })).identity, 'j1', 'identity falls back to jti');
});

test('canPublish follows LiveKit: default true, false, or canPublishSources without microphone', () => {
  const can = (video) => decodeAccessToken(token({ sub: 's', video })).canPublish;
  assert.equal(can({}), true);
  assert.equal(can({ canPublish: false }), false);
  assert.equal(can({ canPublish: true, canPublishSources: ['camera'] }), false);
  assert.equal(can({ canPublish: false, canPublishSources: ['microphone'] }), true);
});

test('anything that is not a JWT with a JSON object payload gives null, never throws', () => {
  const b64 = (s) => Buffer.from(s).toString('base64url');
  for (const bad of [undefined, null, 42, '', 'abc', 'a.b', 'a.b.c.d', `x.${b64('[1]')}.s`, `x.${b64('nope')}.s`,
    'x.%%%.s', `x.${b64('null')}.s`, `x.${Buffer.from([0xff, 0xfe]).toString('base64url')}.s`, 'x.' + 'A'.repeat(20000) + '.s']) {
    assert.equal(decodeAccessToken(bad), null, String(bad).slice(0, 40));
  }
  assert.deepEqual(decodeAccessToken(`x.${b64('{"video":"room"}')}.s`).room, '');
});

test('base64 and base64url, padded or not; invalid gives null', () => {
  assert.deepEqual([...decodeBase64('-_8')], [0xfb, 0xff]);
  assert.deepEqual([...decodeBase64('+/8=')], [0xfb, 0xff]);
  assert.deepEqual([...decodeBase64('')], []);
  assert.equal(decodeBase64('a'), null);
  assert.equal(decodeBase64('a b'), null);
  assert.equal(decodeBase64(7), null);
});
