import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpeakingDetector, rms, microphoneError, getMicrophone, VOICE_CONSTRAINTS } from '../sdk/audio.js';

test('rms of a full-scale square wave is 1, of silence 0', () => {
  assert.equal(rms(new Float32Array([1, -1, 1, -1])), 1);
  assert.equal(rms(new Float32Array(8)), 0);
  assert.equal(rms([]), 0);
  assert.ok(Math.abs(rms(Array.from({ length: 4800 }, (_, i) => 0.5 * Math.sin(i / 10))) - 0.5 / Math.SQRT2) < 0.01);
});

test('speaking starts at once when the level reaches the on threshold', () => {
  const d = new SpeakingDetector({ on: 0.02, off: 0.01, holdMs: 300 });
  assert.equal(d.update(0.005, 0), false);
  assert.equal(d.speaking, false);
  assert.equal(d.update(0.019, 50), false);
  assert.equal(d.update(0.02, 100), true);
  assert.equal(d.speaking, true);
});

test('speaking holds 300 ms below the off threshold before stopping', () => {
  const d = new SpeakingDetector({ on: 0.02, off: 0.01, holdMs: 300 });
  d.update(0.05, 1000);
  assert.equal(d.update(0.001, 1050), false);
  assert.equal(d.update(0.001, 1299), false);
  assert.equal(d.speaking, true);
  assert.equal(d.update(0.001, 1300), true);
  assert.equal(d.speaking, false);
});

test('between the thresholds (hysteresis) speaking keeps its state', () => {
  const d = new SpeakingDetector({ on: 0.02, off: 0.01, holdMs: 300 });
  d.update(0.05, 0);
  for (let t = 50; t <= 2000; t += 50) assert.equal(d.update(0.015, t), false);
  assert.equal(d.speaking, true);
  const quiet = new SpeakingDetector({ on: 0.02, off: 0.01, holdMs: 300 });
  for (let t = 0; t <= 2000; t += 50) quiet.update(0.015, t);
  assert.equal(quiet.speaking, false);
});

test('a loud moment during the hold restarts the hold', () => {
  const d = new SpeakingDetector({ on: 0.02, off: 0.01, holdMs: 300 });
  d.update(0.05, 0);
  d.update(0.0, 200);
  d.update(0.012, 250); // above off: still speaking, hold restarts
  assert.equal(d.update(0.0, 500), false);
  assert.equal(d.update(0.0, 550), true);
});

test('reset stops speaking', () => {
  const d = new SpeakingDetector();
  d.update(1, 0);
  d.reset();
  assert.equal(d.speaking, false);
});

test('getUserMedia errors map to stable codes', () => {
  const cases = {
    NotAllowedError: 'microphone-denied', SecurityError: 'microphone-denied',
    NotFoundError: 'microphone-not-found', OverconstrainedError: 'microphone-not-found',
    NotReadableError: 'microphone-busy', AbortError: 'microphone-busy', TypeError: 'microphone-error',
  };
  for (const [name, code] of Object.entries(cases)) {
    const err = microphoneError(Object.assign(new Error('x'), { name }));
    assert.equal(err.code, code, name);
    assert.equal(err.name, 'ParleyError');
    assert.ok(err.message.length > 10);
  }
});

test('getMicrophone asks for voice constraints and maps rejections', async () => {
  let asked;
  const stream = { id: 's' };
  const ok = { getUserMedia: async (c) => { asked = c; return stream; } };
  assert.equal(await getMicrophone({ deviceId: 'x' }, ok), stream);
  assert.deepEqual(asked, { audio: { ...VOICE_CONSTRAINTS, deviceId: 'x' }, video: false });
  assert.deepEqual(VOICE_CONSTRAINTS, { echoCancellation: true, noiseSuppression: true, autoGainControl: true, channelCount: 1 });
  const denied = { getUserMedia: async () => { throw Object.assign(new Error('no'), { name: 'NotAllowedError' }); } };
  await assert.rejects(getMicrophone({}, denied), { code: 'microphone-denied' });
  await assert.rejects(getMicrophone({}, undefined), { code: 'microphone-unavailable' });
});
