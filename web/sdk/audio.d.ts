// Type declarations for the Parley browser SDK: audio (microphone, meters, speaking detection, playback), the
// local voice (mute, deafen, input modes, push to talk, voice activation), per-participant preferences and
// connection quality. Re-exported by parley.d.ts.
import type { ParleyError } from './protocol';

// ---------------------------------------------------------------------------------------------
// Audio
// ---------------------------------------------------------------------------------------------

/** echoCancellation, noiseSuppression, autoGainControl: true; channelCount: 1. */
export const VOICE_CONSTRAINTS: Readonly<MediaTrackConstraints>;
/** getUserMedia with VOICE_CONSTRAINTS; rejects with a ParleyError `microphone-*`. */
export function getMicrophone(constraints?: MediaTrackConstraints, mediaDevices?: MediaDevices): Promise<MediaStream>;
export function microphoneError(err: unknown): ParleyError;
export function rms(samples: ArrayLike<number>): number;
export function getAudioContext(): AudioContext | null;

export interface SpeakingOptions {
  /** Level (RMS 0..1) that starts speaking. Defaults to 0.015. */
  on?: number;
  /** Level below which speaking may stop. Defaults to 0.008. */
  off?: number;
  /** How long the level must stay below `off` before speaking stops. Defaults to 300 ms. */
  holdMs?: number;
}

export class SpeakingDetector {
  constructor(options?: SpeakingOptions);
  speaking: boolean;
  /** Returns true when `speaking` changed. */
  update(level: number, nowMs: number): boolean;
  reset(): void;
}

export class LevelMeter {
  constructor(stream: MediaStream, options?: {
    audioContext?: AudioContext | null; intervalMs?: number; decay?: number;
    detector?: SpeakingDetector | null;
    onLevel?: (level: number, speaking: boolean, changed: boolean) => void;
  });
  readonly level: number;
  readonly speaking: boolean;
  stop(): void;
}

/**
 * Remote playback: each remote stream stays on a muted hidden <audio autoplay> element (Chromium needs one to
 * deliver samples) and is heard through Web Audio: source -> GainNode (0..2) -> destination.
 * Retries a blocked play() or a suspended AudioContext on the next click/key.
 */
export class AudioPlayback extends EventTarget {
  constructor(doc?: Document, options?: { audioContext?: () => AudioContext | null });
  readonly blocked: boolean;
  /** The speaker in use ('' = the default one). */
  readonly sinkId: string;
  createElement(): HTMLAudioElement;
  attach(el: HTMLAudioElement, stream: MediaStream): void;
  detach(el: HTMLAudioElement): void;
  /** 0 = silent, 1 = as received, up to 2 (200 %). */
  setGain(el: HTMLAudioElement, gain: number): void;
  /** Places `el`'s voice with a PannerNode, or not (null). */
  setSpatial(el: HTMLAudioElement, spatial: { settings: import('./positional').PannerSettings;
    position: import('./positional').Vector3; orientation: import('./positional').Orientation } | null): void;
  /** Where I am and which way I face (the AudioListener). */
  setListener(position: import('./positional').Vector3, orientation: import('./positional').Orientation): void;
  getGain(el: HTMLAudioElement): number;
  /** Plays on the speaker `sinkId` (AudioContext.setSinkId); rejects where the browser cannot. */
  setSinkId(sinkId: string): Promise<void>;
  // events: 'blocked', 'unblocked' (plain Event)
}

/** The GainNode whose output is exactly what the page plays for `element` (null if not played via Web Audio). */
export function playbackOutput(element: HTMLAudioElement): GainNode | null;

// ---------------------------------------------------------------------------------------------
// Transmission: input modes, voice activation, push to talk
// ---------------------------------------------------------------------------------------------

export type InputMode = 'open-mic' | 'voice-activation' | 'push-to-talk';
export const INPUT_MODES: readonly InputMode[];

export interface VoiceActivationOptions {
  /** How long the level must stay below 70 % of the threshold before transmission stops. Defaults to 300 ms. */
  holdMs?: number;
  /** A manual threshold (RMS 0..1); without it the threshold is automatic (3x the noise floor). */
  threshold?: number;
  windowMs?: number;
  minThreshold?: number;
  maxThreshold?: number;
}

export class VoiceActivityDetector {
  constructor(options?: VoiceActivationOptions);
  auto: boolean;
  manualThreshold: number;
  readonly active: boolean;
  /** Lowest level of the last few seconds. */
  readonly floor: number;
  readonly threshold: number;
  /** Returns true when `active` changed. */
  update(level: number, nowMs: number): boolean;
  reset(): void;
}

export class TransmitGate {
  constructor(options?: { mode?: InputMode; releaseMs?: number; vad?: VoiceActivityDetector });
  mode: InputMode;
  pressed: boolean;
  readonly releaseMs: number;
  vad: VoiceActivityDetector;
  setMode(mode: InputMode): void;
  press(): void;
  release(nowMs: number): void;
  isOpen(nowMs: number): boolean;
}

/** Push to talk while the key `code` is held in `doc` (not in text fields); released on window blur. */
export class PushToTalkKey {
  constructor(doc: Document, options: { code?: string; onPress: () => void; onRelease: () => void });
  code: string;
  dispose(): void;
}

export function isTextField(target: EventTarget | null): boolean;

export interface LocalVoiceOptions {
  inputMode?: InputMode;
  /** KeyboardEvent.code held to talk. Defaults to 'Space'; null: no key binding. */
  pushToTalkKey?: string | null;
  /** Transmission continues this long after push to talk is released. Defaults to 200 ms. */
  pushToTalkReleaseMs?: number;
  voiceActivation?: VoiceActivationOptions;
  document?: Document;
  now?: () => number;
}

/** Mute + deafen + input mode, applied as the mic track's `enabled`. */
export class LocalVoice extends EventTarget {
  constructor(options?: LocalVoiceOptions);
  readonly muted: boolean;
  readonly deafened: boolean;
  readonly inputMode: InputMode;
  readonly transmitting: boolean;
  readonly pushToTalkKey: string | null;
  readonly voiceActivation: { auto: boolean; threshold: number; active: boolean };
  gate: TransmitGate;
  attach(stream: MediaStream | null): void;
  setMuted(muted: boolean): string[];
  setDeafened(deafened: boolean): string[];
  setInputMode(mode: InputMode): string[];
  setPushToTalkKey(code: string | null): void;
  setPushToTalk(pressed: boolean): void;
  setVoiceActivation(options: { auto?: boolean; threshold?: number }): void;
  level(level: number, nowMs?: number): void;
  dispose(): void;
  // events: 'change' {changes: ('muted'|'deafened'|'mode')[]}, 'transmitting' {transmitting}
}

// ---------------------------------------------------------------------------------------------
// Hearing preferences and connection quality
// ---------------------------------------------------------------------------------------------

/** Volume (0..2) and local mute per display name, in localStorage by default. */
export class PeerPreferences {
  constructor(storage?: Storage | null);
  get(name: string): { volume: number; muted: boolean };
  set(name: string, changes: { volume?: number; muted?: boolean }): { volume: number; muted: boolean };
}
export function clampVolume(volume: number): number;

export interface ConnectionQuality {
  rttMs: number | null;
  packetLossPercent: number | null;
  jitterMs: number | null;
  packetsReceived: number | null;
  packetsLost: number | null;
  /** Date.now() of the measurement. */
  at: number;
  poor: boolean;
  reasons: Array<'rtt' | 'packet-loss' | 'jitter'>;
}
export const POOR_QUALITY: Readonly<{ rttMs: number; packetLossPercent: number; jitterMs: number }>;
export function qualityFromStats(report: RTCStatsReport | Iterable<any>, previous?: ConnectionQuality | null, now?: number): ConnectionQuality;
export function measureQuality(pc: RTCPeerConnection, previous?: ConnectionQuality | null): Promise<ConnectionQuality>;
