// Positional voice, whisper and talk groups (positional.js, spatial-math.js; docs/protocol.md, "Positional rooms").
// Coordinates are WebAudio's: right-handed, +x right, +y up, a listener facing -z by default.

export interface Vector3 { x: number; y: number; z: number; }

/** Which way someone faces: `forward` (default {0, 0, -1}) and `up` (default {0, 1, 0}). */
export interface Orientation { forward: Vector3; up: Vector3; }

export type FadeModel = 'inverse' | 'linear' | 'exponential';

/** A room's voice channel, Vivox's 3D properties: `joined.channel`, the join option `channel`, a token's `parley.channel`. */
export interface VoiceChannel {
  type: 'positional' | 'non-positional';
  /** Beyond it a voice is silent and nothing is sent. Defaults to 32. */
  audibleDistance?: number;
  /** Within it a voice is at full volume. Defaults to 1. */
  conversationalDistance?: number;
  /** How steeply the voice fades past the conversational distance. Defaults to 1.0. */
  fadeIntensity?: number;
  /** Defaults to 'inverse'. */
  fadeModel?: FadeModel;
}

/** A positional channel with every field filled in. */
export type PositionalChannel = Required<VoiceChannel> & { type: 'positional' };

/**
 * How I hear a remote participant: 'everyone' (a plain room), 'positional' (placed in space), 'group' (a shared talk
 * group: full volume), 'whisper' (they whisper to me: full volume), 'none' (beyond the audible distance, or they
 * whisper to others).
 */
export type HearRoute = 'everyone' | 'positional' | 'group' | 'whisper' | 'none';

/** The PannerNode settings for a channel: HRTF panning and the fade model mapped onto WebAudio's distance models. */
export interface PannerSettings {
  panningModel: 'HRTF';
  distanceModel: FadeModel;
  refDistance: number;
  maxDistance: number;
  rolloffFactor: number;
}

/** Vivox's defaults: positional, 32, 1, 1.0, inverse. */
export declare const CHANNEL_DEFAULTS: Readonly<PositionalChannel>;
export declare const FADE_MODELS: readonly FadeModel[];
/** The channel of `joined.channel`, or null in a plain room. */
export declare function positionalChannel(channel: VoiceChannel | null | undefined): PositionalChannel | null;
/** How loud (0..1) a voice at `distance` is heard in `channel`, per its fade model; 0 beyond the audible distance. */
export declare function fadeGain(channel: PositionalChannel, distance: number): number;
export declare function pannerSettings(channel: PositionalChannel): PannerSettings;
