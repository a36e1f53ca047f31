import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioPlayback } from '../sdk/playback.js';

class FakeDocument extends EventTarget {
  createElement(tag) {
    const el = { tag, attrs: {}, srcObject: null, paused: true, plays: 0, blockNext: 0 };
    el.setAttribute = (k, v) => { el.attrs[k] = v; };
    el.pause = () => { el.paused = true; };
    el.play = () => {
      el.plays++;
      if (el.blockNext > 0) {
        el.blockNext--;
        return Promise.reject(Object.assign(new Error('blocked'), { name: 'NotAllowedError' }));
      }
      el.paused = false;
      return Promise.resolve();
    };
    return el;
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

test('creates hidden autoplay elements and plays attached streams', async () => {
  const doc = new FakeDocument();
  const playback = new AudioPlayback(doc);
  const el = playback.createElement();
  assert.equal(el.tag, 'audio');
  assert.equal(el.autoplay, true);
  assert.equal(el.hidden, true);
  const stream = { id: 's' };
  playback.attach(el, stream);
  await settle();
  assert.equal(el.srcObject, stream);
  assert.equal(el.paused, false);
  assert.equal(playback.blocked, false);
  playback.detach(el);
  playback.detach(el);
  assert.equal(el.srcObject, null);
  assert.equal(el.paused, true);
});

test('a blocked play() is retried on the next click or key press', async () => {
  const doc = new FakeDocument();
  const playback = new AudioPlayback(doc);
  const events = [];
  playback.addEventListener('blocked', () => events.push('blocked'));
  playback.addEventListener('unblocked', () => events.push('unblocked'));
  const a = playback.createElement();
  const b = playback.createElement();
  a.blockNext = 1;
  b.blockNext = 1;
  playback.attach(a, { id: 'a' });
  playback.attach(b, { id: 'b' });
  await settle();
  assert.deepEqual(events, ['blocked'], 'one notice for any number of blocked elements');
  assert.equal(playback.blocked, true);
  doc.dispatchEvent(new Event('keydown'));
  await settle();
  assert.equal(a.paused, false);
  assert.equal(b.paused, false);
  assert.deepEqual(events, ['blocked', 'unblocked']);
  doc.dispatchEvent(new Event('click'));
  await settle();
  assert.equal(a.plays, 2, 'the retry listener is removed once used');
});
