import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHANNEL_DEFAULTS, positionalChannel, channelRequest, fadeGain, pannerSettings, distance, toPosition, toOrientation,
} from '../sdk/spatial-math.js';

// The distance gain of a WebAudio PannerNode, as the Web Audio API specification defines it (§ "Distance Effects"):
// the reference the SDK's mapping must reproduce.
function webAudioGain({ distanceModel, refDistance: ref, maxDistance: max, rolloffFactor: f }, d) {
  switch (distanceModel) {
    case 'linear': {
      const r = Math.min(Math.max(f, 0), 1);
      const x = Math.min(Math.max(d, ref), max);
      return 1 - (r * (x - ref)) / (max - ref);
    }
    case 'inverse': return ref / (ref + f * (Math.max(d, ref) - ref));
    case 'exponential': return Math.pow(Math.max(d, ref) / ref, -f);
  }
  throw new Error(distanceModel);
}

const close = (actual, expected, what) => assert.ok(Math.abs(actual - expected) < 1e-9, `${what}: ${actual} != ${expected}`);

test('Vivox defaults: audible 32, conversational 1, intensity 1, inverse; positional=1 asks for them', () => {
  assert.deepEqual({ ...positionalChannel({ type: 'positional' }) }, CHANNEL_DEFAULTS);
  assert.deepEqual(channelRequest(true), { type: 'positional' });
  assert.equal(channelRequest(undefined), undefined);
  assert.equal(positionalChannel(null), null);
  assert.equal(positionalChannel({ type: 'non-positional' }), null);
});

test('inverse by distance: full within the conversational distance, c / (c + r (d - c)) beyond, silent past audible', () => {
  const ch = positionalChannel({ type: 'positional' });
  assert.equal(fadeGain(ch, 0), 1);
  assert.equal(fadeGain(ch, 1), 1);
  close(fadeGain(ch, 10), 0.1, 'd=10');
  close(fadeGain(ch, 32), 1 / 32, 'd=32');
  assert.equal(fadeGain(ch, 32.001), 0);
  const steep = positionalChannel({ type: 'positional', conversationalDistance: 2, fadeIntensity: 2 });
  close(fadeGain(steep, 6), 2 / (2 + 2 * 4), 'c=2 r=2 d=6');
});

test('linear by distance: a straight line from 1 at c to 1 - r at a, never below 0', () => {
  const ch = positionalChannel({ type: 'positional', fadeModel: 'linear', audibleDistance: 21 });
  close(fadeGain(ch, 11), 0.5, 'half way');
  close(fadeGain(ch, 21), 0, 'at audible');
  const steep = positionalChannel({ type: 'positional', fadeModel: 'linear', audibleDistance: 21, fadeIntensity: 2 });
  close(fadeGain(steep, 6), 0.5, 'r=2, a quarter of the way');
  assert.equal(fadeGain(steep, 15), 0);
  const gentle = positionalChannel({ type: 'positional', fadeModel: 'linear', audibleDistance: 21, fadeIntensity: 0.5 });
  close(fadeGain(gentle, 21), 0.5, 'r=0.5 at audible');
});

test('exponential by distance: (d / c) ^ -r', () => {
  const ch = positionalChannel({ type: 'positional', fadeModel: 'exponential', fadeIntensity: 1.5 });
  close(fadeGain(ch, 4), Math.pow(4, -1.5), 'd=4');
  close(fadeGain(ch, 0.5), 1, 'inside c');
});

test('every model maps onto a PannerNode whose WebAudio gain is the Vivox gain up to the audible distance', () => {
  for (const fadeModel of ['inverse', 'linear', 'exponential']) {
    for (const fadeIntensity of [0, 0.25, 1, 2.5, 10]) {
      for (const [conversationalDistance, audibleDistance] of [[1, 32], [3, 50], [0.5, 2], [5, 5]]) {
        const ch = positionalChannel({ type: 'positional', fadeModel, fadeIntensity, conversationalDistance, audibleDistance });
        const settings = pannerSettings(ch);
        assert.equal(settings.panningModel, 'HRTF');
        assert.equal(settings.distanceModel, fadeModel);
        assert.ok(settings.rolloffFactor >= 0 && (fadeModel !== 'linear' || settings.rolloffFactor <= 1));
        for (let i = 0; i <= 40; i++) {
          const d = (audibleDistance * i) / 40;
          const expected = fadeGain(ch, d);
          const actual = webAudioGain(settings, d);
          assert.ok(Math.abs(actual - expected) < 1e-5, `${fadeModel} r=${fadeIntensity} c=${conversationalDistance} a=${audibleDistance} d=${d}: ${actual} != ${expected}`);
        }
      }
    }
  }
});

test('the ratio the browser test checks: inverse, distance 1 against 10 is 20 dB', () => {
  const ch = positionalChannel({ type: 'positional' });
  close(20 * Math.log10(fadeGain(ch, 1) / fadeGain(ch, 10)), 20, 'dB');
});

test('a channel from the server with a value out of bounds falls back to the default for it', () => {
  const ch = positionalChannel({ type: 'positional', audibleDistance: -3, conversationalDistance: 99, fadeIntensity: -1, fadeModel: 'cubic' });
  assert.deepEqual({ ...ch }, CHANNEL_DEFAULTS);
});

test('positions need finite numbers; missing coordinates are 0; orientation defaults to facing -z, +y up', () => {
  assert.deepEqual({ ...toPosition({ x: 1 }) }, { x: 1, y: 0, z: 0 });
  assert.throws(() => toPosition({ x: NaN }), TypeError);
  assert.throws(() => toPosition('here'), TypeError);
  assert.deepEqual(toOrientation(undefined).forward, { x: 0, y: 0, z: -1 });
  assert.deepEqual(toOrientation({ forward: { x: 1 } }).up, { x: 0, y: 1, z: 0 });
  assert.equal(distance({ x: 0, y: 0, z: 0 }, { x: 3, y: 4, z: 0 }), 5);
});
