import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenFromSearch, joinFieldsFor, lockJoinFields } from '../ui/token-join.js';
import { messageFor } from '../ui/messages.js';
import { ACCESS_REFUSAL_CODES } from '../sdk/errors.js';
import { token } from './access-harness.mjs';

test('the page reads ?token= and shows the room (video.room) and name (name, else sub) from its payload', () => {
  const jwt = token({ sub: 'alice', name: 'Alice <b>', exp: 1900000000, video: { roomJoin: true, room: 'Game Night' } });
  assert.equal(tokenFromSearch(`?token=${jwt}`), jwt);
  assert.equal(tokenFromSearch('?room=x'), null);
  assert.equal(tokenFromSearch('?token='), null);
  assert.deepEqual(joinFieldsFor(jwt), { room: 'Game Night', name: 'Alice <b>' });
  assert.deepEqual(joinFieldsFor(token({ sub: 'bob', video: { room: 'r' } })), { room: 'r', name: 'bob' });
  assert.equal(joinFieldsFor('not-a-jwt'), null);
});

test('the token fields are filled and read-only', () => {
  const input = () => ({ value: 'typed', readOnly: false, attrs: {}, setAttribute(k, v) { this.attrs[k] = v; } });
  const ui = { roomInput: input(), nameInput: input() };
  lockJoinFields(ui, { room: 'r', name: 'Alice' });
  assert.deepEqual([ui.roomInput.value, ui.nameInput.value], ['r', 'Alice']);
  for (const i of [ui.roomInput, ui.nameInput]) {
    assert.equal(i.readOnly, true);
    assert.equal(i.attrs['aria-readonly'], 'true');
  }
  lockJoinFields(ui, null);
  assert.deepEqual([ui.roomInput.value, ui.nameInput.value], ['', '']);
});

test('refusals read clearly and differently: expired, invalid, another room, banned, locked, removed', () => {
  const text = (code) => messageFor({ code, message: `server text for ${code}` });
  const shown = ['token-expired', 'token-signature', 'token-wrong-room', 'banned', 'room-locked', 'removed'].map(text);
  assert.equal(new Set(shown).size, shown.length, 'distinct messages');
  assert.match(text('token-expired'), /expired/);
  assert.match(text('token-wrong-room'), /another room/);
  assert.match(text('room-locked'), /locked/);
  assert.equal(text('removed'), 'You were removed from the room.');
  for (const code of ['token-missing', 'token-malformed', 'token-algorithm', 'token-unknown-key', 'token-signature',
    'token-no-identity', 'token-no-grant']) {
    assert.match(text(code), /invalid/, code);
  }
  for (const code of ACCESS_REFUSAL_CODES) {
    assert.ok(!text(code).includes('server text') || code === 'forbidden', `${code} has its own words`);
  }
});
