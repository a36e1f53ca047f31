import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PeerPreferences, clampVolume } from '../sdk/preferences.js';
import { qualityFromStats } from '../sdk/quality.js';
import { AudioPlayback } from '../sdk/playback.js';

class MemoryStorage {
  map = new Map();
  getItem(k) { return this.map.get(k) ?? null; }
  setItem(k, v) { this.map.set(k, String(v)); }
  removeItem(k) { this.map.delete(k); }
}

test('preferences remember volume and local mute per display name, forget defaults', () => {
  const storage = new MemoryStorage();
  const prefs = new PeerPreferences(storage);
  assert.deepEqual(prefs.get('Bob'), { volume: 1, muted: false });
  prefs.set('Bob', { volume: 5 });
  assert.deepEqual(new PeerPreferences(storage).get('Bob'), { volume: 2, muted: false });
  prefs.set('Bob', { muted: true });
  assert.deepEqual(prefs.get('Bob'), { volume: 2, muted: true });
  prefs.set('Bob', { volume: 1, muted: false });
  assert.equal(storage.map.size, 0);
  storage.setItem('parley.peer.Eve', '{not json');
  assert.deepEqual(prefs.get('Eve'), { volume: 1, muted: false });
  assert.deepEqual(new PeerPreferences(null).set('X', { volume: 0 }), { volume: 0, muted: false });
  assert.equal(clampVolume(-1), 0);
  assert.equal(clampVolume('nope'), 1);
});

test('connection quality from getStats: RTT from the selected pair, loss over the interval, jitter', () => {
  const report = (received, lost, jitter = 0.012) => new Map(Object.entries({
    t: { id: 't', type: 'transport', selectedCandidatePairId: 'cp' },
    cp: { id: 'cp', type: 'candidate-pair', currentRoundTripTime: 0.0421 },
    in: { id: 'in', type: 'inbound-rtp', kind: 'audio', packetsReceived: received, packetsLost: lost, jitter },
  }));
  const first = qualityFromStats(report(1000, 0), null, 1);
  assert.deepEqual([first.rttMs, first.packetLossPercent, first.jitterMs, first.poor], [42.1, 0, 12, false]);
  const second = qualityFromStats(report(1090, 10, 0.08), first, 2);
  assert.equal(second.packetLossPercent, 10);
  assert.deepEqual(second.reasons, ['packet-loss', 'jitter']);
  assert.equal(second.poor, true);
  const empty = qualityFromStats([], null);
  assert.deepEqual([empty.rttMs, empty.packetLossPercent, empty.jitterMs, empty.poor], [null, null, null, false]);
});

test('playback gain: Web Audio GainNode up to 2, element volume (max 1) without Web Audio', () => {
  const doc = { createElement: () => ({ setAttribute() {}, play: () => Promise.resolve(), pause() {} }) };
  const plain = new AudioPlayback(doc, { audioContext: () => null });
  const el = plain.createElement();
  plain.attach(el, { getAudioTracks: () => [] });
  plain.setGain(el, 1.5);
  assert.equal(el.volume, 1);
  assert.equal(el.muted, false);
  assert.equal(plain.getGain(el), 1.5);

  const connections = [];
  const node = (name) => ({ name, connect(n) { connections.push([name, n.name]); return n; }, disconnect() {} });
  const ctx = {
    state: 'running', currentTime: 0, destination: node('destination'), addEventListener() {},
    createMediaStreamSource: () => node('source'),
    createGain: () => ({ ...node('gain'), gain: { value: 1, setTargetAtTime(v) { this.value = v; } } }),
  };
  const routed = new AudioPlayback(doc, { audioContext: () => ctx });
  const el2 = routed.createElement();
  routed.setGain(el2, 0);
  routed.attach(el2, { getAudioTracks: () => [] });
  assert.equal(el2.muted, true, 'the element only keeps the stream flowing');
  assert.deepEqual(connections, [['source', 'gain'], ['gain', 'destination']]);
  routed.setGain(el2, 2);
  routed.detach(el2);
});
