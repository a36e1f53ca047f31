import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VoiceActivityDetector, TransmitGate, PushToTalkKey, isTextField } from '../sdk/transmit.js';
import { LocalVoice } from '../sdk/local-voice.js';

function fakeStream() {
  const track = { enabled: true };
  return { track, stream: { getAudioTracks: () => [track] } };
}

test('voice activation: automatic threshold above the noise floor, opens on voice, closes after the hold', () => {
  const vad = new VoiceActivityDetector({ holdMs: 300 });
  let t = 0;
  for (; t < 2000; t += 50) vad.update(0.004, t); // room noise
  assert.equal(vad.active, false);
  assert.ok(Math.abs(vad.threshold - 0.012) < 1e-9, `3x the floor, got ${vad.threshold}`);
  assert.equal(vad.update(0.05, t), true);
  assert.equal(vad.active, true);
  t += 50;
  vad.update(0.004, t); // quiet for less than the hold
  vad.update(0.004, t + 200);
  assert.equal(vad.active, true);
  vad.update(0.004, t + 260);
  assert.equal(vad.active, false);
});

test('voice activation: digital silence gives the minimum threshold; a manual threshold overrides', () => {
  const vad = new VoiceActivityDetector();
  for (let t = 0; t < 1000; t += 50) vad.update(0, t);
  assert.equal(vad.threshold, 0.008);
  vad.update(0.007, 1000);
  assert.equal(vad.active, false);
  const manual = new VoiceActivityDetector({ threshold: 0.1 });
  manual.update(0.05, 0);
  assert.equal(manual.active, false);
  manual.update(0.2, 50);
  assert.equal(manual.active, true);
});

test('push to talk transmits while pressed and for the release delay', () => {
  const gate = new TransmitGate({ mode: 'push-to-talk', releaseMs: 200 });
  assert.equal(gate.isOpen(0), false);
  gate.press();
  assert.equal(gate.isOpen(10), true);
  gate.release(1000);
  assert.equal(gate.isOpen(1199), true);
  assert.equal(gate.isOpen(1200), false);
  assert.throws(() => gate.setMode('shout'), RangeError);
});

test('deafen mutes; undeafen restores the previous mute state; unmute while deafened undeafens', () => {
  const voice = new LocalVoice({ document: null });
  const { track, stream } = fakeStream();
  voice.attach(stream);
  assert.deepEqual(voice.setDeafened(true), ['deafened', 'muted']);
  assert.equal(track.enabled, false);
  assert.deepEqual(voice.setDeafened(false), ['deafened', 'muted']);
  assert.equal(voice.muted, false);
  assert.equal(track.enabled, true);
  voice.setMuted(true);
  assert.deepEqual(voice.setDeafened(true), ['deafened']);
  assert.deepEqual(voice.setDeafened(false), ['deafened']);
  assert.equal(voice.muted, true, 'muted before deafening stays muted');
  voice.setDeafened(true);
  assert.deepEqual(voice.setMuted(false), ['deafened', 'muted']);
  assert.equal(voice.deafened, false);
});

test('input modes gate the track: push to talk with a release delay, voice activation from levels', async () => {
  let now = 0;
  const voice = new LocalVoice({ document: null, pushToTalkReleaseMs: 20, now: () => now });
  const { track, stream } = fakeStream();
  const seen = [];
  voice.addEventListener('transmitting', ({ detail }) => seen.push(detail.transmitting));
  voice.attach(stream);
  voice.setInputMode('push-to-talk');
  assert.equal(track.enabled, false);
  voice.setPushToTalk(true);
  assert.equal(track.enabled, true);
  voice.setPushToTalk(false);
  assert.equal(track.enabled, true, 'still on during the release delay');
  now = 30;
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(track.enabled, false);
  voice.setInputMode('voice-activation');
  voice.level(0, 100);
  assert.equal(track.enabled, false);
  voice.level(0.1, 150);
  assert.equal(track.enabled, true);
  voice.setMuted(true);
  assert.equal(track.enabled, false, 'mute wins over voice activation');
  voice.setInputMode('open-mic');
  voice.setMuted(false);
  assert.equal(track.enabled, true);
  assert.deepEqual(seen, [false, true, false, true, false, true]);
});

test('the push-to-talk key works outside text fields only, and releases on blur', () => {
  const doc = new EventTarget();
  doc.defaultView = new EventTarget();
  const calls = [];
  const key = new PushToTalkKey(doc, { code: 'Space', onPress: () => calls.push('down'), onRelease: () => calls.push('up') });
  const field = { closest: () => ({ tagName: 'INPUT', type: 'text' }) };
  const fire = (type, target = null, code = 'Space') => {
    const ev = new Event(type, { cancelable: true });
    Object.assign(ev, { code, ctrlKey: false, metaKey: false, altKey: false });
    Object.defineProperty(ev, 'target', { value: target });
    doc.dispatchEvent(ev);
  };
  fire('keydown', field);
  assert.deepEqual(calls, []);
  fire('keydown');
  fire('keydown'); // auto-repeat
  fire('keyup');
  fire('keydown', null, 'KeyT');
  fire('keydown');
  doc.defaultView.dispatchEvent(new Event('blur'));
  assert.deepEqual(calls, ['down', 'up', 'down', 'up']);
  key.dispose();
  fire('keydown');
  assert.equal(calls.length, 4);
  assert.equal(isTextField({ closest: () => ({ tagName: 'INPUT', type: 'range' }) }), false);
  assert.equal(isTextField({ closest: () => ({ tagName: 'TEXTAREA' }) }), true);
});
