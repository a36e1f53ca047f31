// Positional voice, the arithmetic (pure, no DOM): a room's channel (docs/protocol.md, "Positional rooms"), Vivox's
// three fade models, and how each maps onto WebAudio's PannerNode so that the browser computes exactly that curve.
// Coordinates are WebAudio's: right-handed, +x right, +y up, a listener facing -z by default.
//
// With c = conversationalDistance, a = audibleDistance, r = fadeIntensity and d = max(distance, c):
//   inverse      gain = c / (c + r (d - c))           PannerNode 'inverse':     refDistance c, rolloffFactor r
//   linear       gain = max(0, 1 - r (d - c) / (a - c)) PannerNode 'linear':    refDistance c, rolloffFactor min(r, 1),
//                                                        maxDistance c + (a - c) / max(r, 1)
//   exponential  gain = (d / c) ^ -r                   PannerNode 'exponential': refDistance c, rolloffFactor r
// and gain = 0 beyond a, whatever the model (the SDK silences the voice; the panner alone would not).
// WebAudio clamps a linear rolloffFactor to [0, 1]; shrinking maxDistance by r gives the same line for r > 1.

/** Vivox's defaults (Channel3DProperties' default constructor). */
export const CHANNEL_DEFAULTS = Object.freeze({
  type: 'positional', audibleDistance: 32, conversationalDistance: 1, fadeIntensity: 1, fadeModel: 'inverse',
});

export const FADE_MODELS = Object.freeze(['inverse', 'linear', 'exponential']);

export const ORIGIN = Object.freeze({ x: 0, y: 0, z: 0 });

/** WebAudio's default listener orientation: facing -z, +y up. */
export const DEFAULT_ORIENTATION = Object.freeze({
  forward: Object.freeze({ x: 0, y: 0, z: -1 }), up: Object.freeze({ x: 0, y: 1, z: 0 }),
});

/** The room's channel from `joined.channel`: a full positional channel, or null (a plain room). */
export function positionalChannel(channel) {
  if (!channel || typeof channel !== 'object' || channel.type !== 'positional') return null;
  const number = (key, ok) => (Number.isFinite(channel[key]) && ok(channel[key]) ? channel[key] : CHANNEL_DEFAULTS[key]);
  const audibleDistance = number('audibleDistance', (v) => v > 0);
  const conversationalDistance = number('conversationalDistance', (v) => v > 0 && v <= audibleDistance);
  return Object.freeze({
    type: 'positional', audibleDistance, conversationalDistance: Math.min(conversationalDistance, audibleDistance),
    fadeIntensity: number('fadeIntensity', (v) => v >= 0),
    fadeModel: FADE_MODELS.includes(channel.fadeModel) ? channel.fadeModel : CHANNEL_DEFAULTS.fadeModel,
  });
}

/** The join option `channel`: true means Vivox's defaults; an object is sent as given (the server checks it). */
export function channelRequest(option) {
  if (option === true) return { type: 'positional' };
  if (option && typeof option === 'object') return { ...option };
  return undefined;
}

export function distance(a, b) {
  return Math.hypot(a.x - b.x, a.y - b.y, a.z - b.z);
}

/** How loud a voice at `d` is heard (0..1) in `channel` (positionalChannel()), per Vivox's model. */
export function fadeGain(channel, d) {
  const { audibleDistance: a, conversationalDistance: c, fadeIntensity: r, fadeModel } = channel;
  if (!(d <= a)) return 0;
  const x = Math.max(d, c);
  switch (fadeModel) {
    case 'linear': return a === c ? 1 : Math.max(0, 1 - (r * (x - c)) / (a - c));
    case 'exponential': return Math.pow(x / c, -r);
    default: return c / (c + r * (x - c));
  }
}

/** The PannerNode settings that make WebAudio compute fadeGain() (up to the audible distance). */
export function pannerSettings(channel) {
  const { audibleDistance: a, conversationalDistance: c, fadeIntensity: r, fadeModel } = channel;
  const linear = fadeModel === 'linear';
  const maxDistance = linear ? c + (a - c) / Math.max(r, 1) : a;
  return {
    panningModel: 'HRTF',
    distanceModel: fadeModel,
    refDistance: c,
    // WebAudio's linear model needs maxDistance > refDistance to fade at all.
    maxDistance: Math.max(maxDistance, c + 1e-6),
    rolloffFactor: linear ? Math.min(r, 1) : r,
  };
}

/** A position {x, y, z} of finite numbers (missing ones 0), else a TypeError. */
export function toPosition(p, what = 'position') {
  if (!p || typeof p !== 'object') throw new TypeError(`${what} must be an object {x, y, z}.`);
  const v = { x: p.x ?? 0, y: p.y ?? 0, z: p.z ?? 0 };
  if (![v.x, v.y, v.z].every(Number.isFinite)) throw new TypeError(`${what} needs finite numbers x, y, z.`);
  return Object.freeze(v);
}

/** An orientation {forward, up}; left out, WebAudio's default (facing -z, +y up). */
export function toOrientation(o) {
  if (o == null) return DEFAULT_ORIENTATION;
  return Object.freeze({
    forward: o.forward == null ? DEFAULT_ORIENTATION.forward : toPosition(o.forward, 'orientation.forward'),
    up: o.up == null ? DEFAULT_ORIENTATION.up : toPosition(o.up, 'orientation.up'),
  });
}

export function samePlace(a, b) {
  return a.x === b.x && a.y === b.y && a.z === b.z;
}

export function sameOrientation(a, b) {
  return samePlace(a.forward, b.forward) && samePlace(a.up, b.up);
}
