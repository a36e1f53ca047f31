// Type declarations for the Parley browser SDK (web/sdk/index.js).
// Protocol: docs/protocol.md, version 1.

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Error codes the server sends in `error` messages. */
export type ServerErrorCode =
  | 'malformed-json' | 'unknown-type' | 'unsupported-frame' | 'too-large' | 'invalid-message'
  | 'unsupported-protocol' | 'invalid-room' | 'invalid-name' | 'room-full' | 'server-full'
  | 'not-joined' | 'already-joined' | 'unknown-participant' | 'rate-exceeded' | 'join-timeout'
  | 'too-many-errors' | 'server-busy' | 'slow-consumer';

/** Error codes produced by the client itself. */
export type ClientErrorCode =
  | 'server-unreachable' | 'connection-lost' | 'timeout' | 'not-connected' | 'invalid-state'
  | 'aborted' | 'protocol-error' | 'microphone-denied' | 'microphone-not-found' | 'microphone-busy'
  | 'microphone-unavailable' | 'microphone-error' | 'negotiation-failed';

export type ParleyErrorCode = ServerErrorCode | ClientErrorCode;

export const SERVER_ERROR_CODES: readonly ServerErrorCode[];
export const CLIENT_ERROR_CODES: readonly ClientErrorCode[];
/** Server codes after which the server closes the socket. */
export const FATAL_SERVER_CODES: ReadonlySet<ServerErrorCode>;

export class ParleyError extends Error {
  constructor(code: ParleyErrorCode | string, message: string,
    options?: { ref?: string; cause?: unknown; fatal?: boolean });
  readonly name: 'ParleyError';
  /** Stable, machine-readable. */
  readonly code: ParleyErrorCode | string;
  /** For server errors: the `type` of the message that caused it, when known. */
  readonly ref?: string;
  /** True when the server closes the connection after this error. */
  readonly fatal: boolean;
}

// ---------------------------------------------------------------------------------------------
// Protocol messages (version 1)
// ---------------------------------------------------------------------------------------------

export interface Limits {
  maxMessageBytes: number;
  maxParticipantsPerRoom: number;
  messagesPerSecond: number;
  messageBurst: number;
  maxRoomNameLength: number;
  maxDisplayNameLength: number;
  /** Longest chat message in UTF-16 code units (500). */
  maxChatLength: number;
  /** Optional: sustained chat messages per minute (30). */
  chatMessagesPerMinute?: number;
}

export interface ParticipantInfo { id: string; name: string; muted: boolean; speaking: boolean; }

export interface IceCandidate {
  candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null; usernameFragment?: string | null;
}

// Client to server
export interface JoinMessage { type: 'join'; protocol: 1; room: string; name: string; muted?: boolean; }
export interface LeaveMessage { type: 'leave'; }
export interface OfferMessage { type: 'offer'; to: string; sdp: string; }
export interface AnswerMessage { type: 'answer'; to: string; sdp: string; }
export interface CandidateMessage { type: 'candidate'; to: string; candidate: IceCandidate | null; }
export interface StateMessage { type: 'state'; muted?: boolean; speaking?: boolean; }
export interface PingMessage { type: 'ping'; id?: string | number; }
export interface ChatMessage { type: 'chat'; text: string; }
export type ClientMessage =
  | JoinMessage | LeaveMessage | OfferMessage | AnswerMessage | CandidateMessage | StateMessage | PingMessage
  | ChatMessage;

// Server to client
export interface HelloMessage { type: 'hello'; protocol: number; server: string; limits: Limits; }
export interface JoinedMessage {
  type: 'joined'; protocol: number; room: string; self: ParticipantInfo;
  participants: ParticipantInfo[]; iceServers: RTCIceServer[];
}
export interface ParticipantJoinedMessage { type: 'participant-joined'; participant: ParticipantInfo; }
export interface ParticipantLeftMessage { type: 'participant-left'; id: string; reason: 'left' | 'disconnected'; }
export interface ParticipantStateMessage { type: 'participant-state'; id: string; muted?: boolean; speaking?: boolean; }
export interface RelayedOfferMessage { type: 'offer'; from: string; sdp: string; }
export interface RelayedAnswerMessage { type: 'answer'; from: string; sdp: string; }
export interface RelayedCandidateMessage { type: 'candidate'; from: string; candidate: IceCandidate | null; }
export interface PongMessage { type: 'pong'; id?: string | number; }
/** Relayed to everyone in the room, the sender included. `time` is ISO 8601 UTC. */
export interface RelayedChatMessage { type: 'chat'; from: string; name: string; text: string; time: string; }
export interface ErrorMessage { type: 'error'; code: ServerErrorCode; message: string; ref?: string; }
export type ServerMessage =
  | HelloMessage | JoinedMessage | ParticipantJoinedMessage | ParticipantLeftMessage
  | ParticipantStateMessage | RelayedOfferMessage | RelayedAnswerMessage | RelayedCandidateMessage
  | PongMessage | RelayedChatMessage | ErrorMessage;

export const PROTOCOL_VERSION: 1;
export const DEFAULT_LIMITS: Readonly<Limits>;

// ---------------------------------------------------------------------------------------------
// Typed events
// ---------------------------------------------------------------------------------------------

export interface TypedEventTarget<M> extends EventTarget {
  addEventListener<K extends keyof M & string>(type: K,
    listener: (ev: CustomEvent<M[K]>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof M & string>(type: K,
    listener: (ev: CustomEvent<M[K]>) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null,
    options?: boolean | EventListenerOptions): void;
}

// ---------------------------------------------------------------------------------------------
// SignalingClient
// ---------------------------------------------------------------------------------------------

export type SignalingState = 'idle' | 'connecting' | 'open' | 'joined' | 'closed';

export interface SignalingClientOptions {
  /** ws:// or wss:// URL of the server's /ws endpoint. */
  url: string;
  /** WebSocket constructor; defaults to the global one. */
  WebSocket?: typeof WebSocket;
  /** How long to wait for `hello`. Defaults to 10000 ms. */
  helloTimeoutMs?: number;
  /** How long to wait for `joined`. Defaults to 15000 ms. */
  joinTimeoutMs?: number;
  /** Interval of application pings while connected; 0 disables. Defaults to 20000 ms. */
  keepAliveMs?: number;
}

export interface SignalingEventMap {
  statechange: { state: SignalingState; previous: SignalingState };
  hello: HelloMessage;
  'participant-joined': ParticipantJoinedMessage;
  'participant-left': ParticipantLeftMessage;
  'participant-state': ParticipantStateMessage;
  offer: RelayedOfferMessage;
  answer: RelayedAnswerMessage;
  candidate: RelayedCandidateMessage;
  chat: RelayedChatMessage;
  pong: PongMessage;
  /** A server `error` not consumed by a pending join. */
  'server-error': { error: ParleyError; message: ErrorMessage };
  /** The connection ended; `error` is null when close() was called. */
  close: { error: ParleyError | null; code: number; reason: string };
}

export class SignalingClient extends EventTarget implements TypedEventTarget<SignalingEventMap> {
  constructor(options: SignalingClientOptions);
  readonly state: SignalingState;
  /** `hello.limits`, or DEFAULT_LIMITS before `hello`. */
  readonly limits: Limits;
  readonly hello: HelloMessage | null;
  /** The `joined` message while joined. */
  readonly session: JoinedMessage | null;
  /** Opens the socket; resolves with `hello`. Rejects with `server-unreachable`. Supersedes earlier attempts. */
  connect(url?: string): Promise<HelloMessage>;
  /** Sends `join {protocol: 1, room, name, muted}`; resolves with `joined`, rejects with the server's error. */
  join(options: { room: string; name: string; muted?: boolean }): Promise<JoinedMessage>;
  leave(): void;
  sendOffer(to: string, sdp: string): void;
  sendAnswer(to: string, sdp: string): void;
  sendCandidate(to: string, candidate: IceCandidate | null): void;
  sendState(state: { muted?: boolean; speaking?: boolean }): void;
  sendChat(text: string): void;
  ping(id?: string | number): void;
  /** Sends any message; throws `too-large` / `not-connected`; delays messages over the rate limit. */
  send(message: ClientMessage): void;
  close(): void;
  addEventListener: TypedEventTarget<SignalingEventMap>['addEventListener'];
  removeEventListener: TypedEventTarget<SignalingEventMap>['removeEventListener'];
}

/** `ws(s)://<host>/ws` for the page's location. */
export function signalingUrlFor(location?: Location | URL): string;

// ---------------------------------------------------------------------------------------------
// PeerSession
// ---------------------------------------------------------------------------------------------

export type PeerState = 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface PeerSessionOptions {
  remoteId: string;
  polite: boolean;
  /** True for the newcomer: it makes the first offer. Existing members only answer it. */
  initiator: boolean;
  send: { offer(sdp: string): void; answer(sdp: string): void; candidate(c: IceCandidate): void };
  localTrack?: MediaStreamTrack | null;
  localStream?: MediaStream | null;
  rtcConfig?: RTCConfiguration;
  /** Applied to local offers/answers before setLocalDescription. Defaults to tuneOpus. */
  mungeSdp?: (sdp: string) => string;
  /** restartIce() attempts after `failed`. Defaults to 2. */
  maxIceRestarts?: number;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

export interface PeerSessionEventMap {
  statechange: { state: PeerState | 'closed'; previous: PeerState | 'closed' };
  track: { track: MediaStreamTrack; stream: MediaStream };
  error: { error: ParleyError };
}

export class PeerSession extends EventTarget implements TypedEventTarget<PeerSessionEventMap> {
  constructor(options: PeerSessionOptions);
  readonly remoteId: string;
  readonly polite: boolean;
  readonly state: PeerState | 'closed';
  readonly remoteStream: MediaStream | null;
  readonly connection: RTCPeerConnection;
  handleDescription(description: { type: 'offer' | 'answer'; sdp: string }): Promise<void>;
  handleCandidate(candidate: IceCandidate | null): Promise<void>;
  setLocalTrack(track: MediaStreamTrack | null, stream?: MediaStream | null): Promise<void>;
  /** Safe to call twice. */
  close(): void;
  addEventListener: TypedEventTarget<PeerSessionEventMap>['addEventListener'];
  removeEventListener: TypedEventTarget<PeerSessionEventMap>['removeEventListener'];
}

export function isPolite(selfId: string, remoteId: string): boolean;
export function peerStateFor(connectionState: string, everConnected: boolean): PeerState | 'closed';

// ---------------------------------------------------------------------------------------------
// Opus SDP munging
// ---------------------------------------------------------------------------------------------

/** stereo=0; sprop-stereo=0; useinbandfec=1; usedtx=1 */
export const VOICE_OPUS_PARAMS: Readonly<Record<string, string>>;
/** Sets `params` on the a=fmtp line of every Opus payload type (adding the line if missing). Pure. */
export function tuneOpus(sdp: string, params?: Record<string, string | number | boolean>): string;
export function parseFmtpParams(text: string): Array<[string, string]>;
export function formatFmtpParams(pairs: Array<[string, string]>): string;
export function opusPayloadTypes(sdp: string): Set<string>;

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

// ---------------------------------------------------------------------------------------------
// ParleyRoom
// ---------------------------------------------------------------------------------------------

export type RoomState = 'idle' | 'joining' | 'joined' | 'closed';

export class Participant {
  readonly id: string;
  readonly name: string;
  readonly muted: boolean;
  readonly speaking: boolean;
  readonly isSelf: boolean;
  /** Remote only; null for self. */
  readonly state: PeerState | null;
  /** Remote: their audio once it arrived. Self: the local microphone. */
  readonly stream: MediaStream | null;
  /** Remote: the hidden <audio autoplay> element that plays `stream` (null when audioElements is false). */
  readonly audio: HTMLAudioElement | null;
  /** Smoothed RMS level 0..1: the microphone for self, the received audio for a remote. */
  readonly level: number;
  /** Remote only: whether their received audio is above the speaking threshold right now. */
  readonly audible: boolean;
  /** Remote only: how loud I hear them, 0..2 (1 = as received). */
  readonly volume: number;
  /** Remote only: muted for me only. */
  readonly locallyMuted: boolean;
}

export interface ParleyRoomOptions {
  /** getUserMedia audio constraints merged over VOICE_CONSTRAINTS (e.g. { deviceId }). */
  audio?: MediaTrackConstraints;
  /** Overrides the ICE servers the server sends in `joined`. */
  iceServers?: RTCIceServer[];
  /** Extra RTCPeerConnection configuration (e.g. { iceTransportPolicy: 'relay' }). */
  rtcConfig?: RTCConfiguration;
  /** Opus fmtp parameters. Defaults to VOICE_OPUS_PARAMS. */
  opus?: Record<string, string | number | boolean>;
  /** Speaking detection thresholds for the local microphone. */
  speaking?: SpeakingOptions;
  /** Set false to skip level metering (no own speaking detection, no remote levels). */
  meter?: boolean;
  /** Set false to not create <audio> elements (play `participant.stream` yourself). */
  audioElements?: boolean;
  /** Initial input mode. Defaults to 'open-mic'. */
  inputMode?: InputMode;
  /** KeyboardEvent.code held to talk in push-to-talk mode. Defaults to 'Space'; null: none. */
  pushToTalkKey?: string | null;
  /** Defaults to 200 ms. */
  pushToTalkReleaseMs?: number;
  voiceActivation?: VoiceActivationOptions;
  /** Where per-participant volume/mute are remembered. Defaults to localStorage; false: nowhere. */
  preferences?: PeerPreferences | false;
  /** Replaces getMicrophone (e.g. to pick a device). */
  getMicrophone?: (constraints?: MediaTrackConstraints) => Promise<MediaStream>;
  WebSocket?: typeof WebSocket;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

export interface JoinOptions {
  /** Signaling URL. Defaults to ws(s)://<page host>/ws. */
  url?: string;
  room: string;
  name: string;
  /** Join muted. Defaults to the current `muted`. */
  muted?: boolean;
  /** Use this stream instead of opening the microphone (the caller keeps ownership). */
  stream?: MediaStream;
}

export type ParticipantChange = 'muted' | 'speaking' | 'state' | 'audible' | 'volume' | 'locallyMuted';

export interface ChatEvent {
  /** The sender (null if they already left). */
  participant: Participant | null;
  from: string;
  /** Display name: render as text. */
  name: string;
  /** Render as text, never as HTML. */
  text: string;
  time: Date;
  /** True for my own messages, echoed by the server. */
  self: boolean;
}

export interface ParleyRoomEventMap {
  statechange: { state: RoomState; previous: RoomState };
  joined: { room: string; self: Participant };
  /** Fired for self first, then for everyone already in the room, then for each newcomer. */
  'participant-joined': { participant: Participant };
  'participant-left': { participant: Participant; reason: 'left' | 'disconnected' | 'replaced' };
  'participant-updated': { participant: Participant; changes: ParticipantChange[] };
  track: { participant: Participant; track: MediaStreamTrack; stream: MediaStream };
  /** Audio level of self (microphone) and of each remote (received audio), about 20 times a second. */
  level: { participant: Participant; level: number };
  error: { error: ParleyError; participant?: Participant };
  closed: { reason: 'left' | 'error'; error?: ParleyError };
  'autoplay-blocked': Record<string, never>;
  'autoplay-unblocked': Record<string, never>;
  /** Mute, deafen or input mode changed. */
  voice: { changes: Array<'muted' | 'deafened' | 'mode'> };
  /** Whether the others hear my microphone changed. */
  transmitting: { transmitting: boolean };
  chat: ChatEvent;
}

export class ParleyRoom extends EventTarget implements TypedEventTarget<ParleyRoomEventMap> {
  constructor(options?: ParleyRoomOptions);
  readonly state: RoomState;
  readonly roomName: string | null;
  readonly self: Participant | null;
  /** Everyone while joined, self first. */
  readonly participants: Participant[];
  readonly muted: boolean;
  readonly localStream: MediaStream | null;
  readonly limits: Limits | null;
  readonly autoplayBlocked: boolean;
  getParticipant(id: string): Participant | null;
  join(options: JoinOptions): Promise<{ room: string; self: Participant; participants: Participant[] }>;
  leave(): Promise<void>;
  setMuted(muted: boolean): void;
  readonly deafened: boolean;
  readonly inputMode: InputMode;
  readonly transmitting: boolean;
  readonly voiceActivation: { auto: boolean; threshold: number; active: boolean };
  readonly pushToTalkKey: string | null;
  readonly playback: AudioPlayback | null;
  /** Deafen: hear nobody, and mute; undeafening restores the mute state from before. */
  setDeafened(deafened: boolean): void;
  setInputMode(mode: InputMode): void;
  setPushToTalk(pressed: boolean): void;
  setPushToTalkKey(code: string | null): void;
  setVoiceActivation(options: { auto?: boolean; threshold?: number }): void;
  /** 0..2; remembered per display name. */
  setParticipantVolume(id: string, volume: number): void;
  /** Mutes `id` for me only; remembered per display name. */
  setParticipantMuted(id: string, muted: boolean): void;
  /** Throws `not-connected`, or `invalid-message` (ref 'chat') for an empty or too long text. */
  sendChat(text: string): void;
  getConnectionQuality(id: string): Promise<ConnectionQuality | null>;
  /** Switches microphone mid-call with replaceTrack (no renegotiation), e.g. { deviceId: { exact: id } }; before a call, applies to the next join. */
  setMicrophone(constraints?: MediaTrackConstraints): Promise<void>;
  /** Audio processing toggles (all on by default); reopens the microphone when joined. */
  setAudioProcessing(options: { noiseSuppression?: boolean; echoCancellation?: boolean; autoGainControl?: boolean }): Promise<void>;
  /** AudioContext.setSinkId where supported; rejects elsewhere. */
  setSpeaker(sinkId: string): Promise<void>;
  addEventListener: TypedEventTarget<ParleyRoomEventMap>['addEventListener'];
  removeEventListener: TypedEventTarget<ParleyRoomEventMap>['removeEventListener'];
}

// ---------------------------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------------------------

export class TokenBucket {
  constructor(options: { rate: number; burst: number; now?: () => number });
  tryTake(): boolean;
  waitMs(): number;
}
export function bucketForLimits(limits: Partial<Limits>, now?: () => number): TokenBucket;
