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
export type ClientMessage =
  | JoinMessage | LeaveMessage | OfferMessage | AnswerMessage | CandidateMessage | StateMessage | PingMessage;

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
export interface ErrorMessage { type: 'error'; code: ServerErrorCode; message: string; ref?: string; }
export type ServerMessage =
  | HelloMessage | JoinedMessage | ParticipantJoinedMessage | ParticipantLeftMessage
  | ParticipantStateMessage | RelayedOfferMessage | RelayedAnswerMessage | RelayedCandidateMessage
  | PongMessage | ErrorMessage;

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

/** Remote playback through hidden <audio autoplay> elements; retries blocked play() on the next click/key. */
export class AudioPlayback extends EventTarget {
  constructor(doc?: Document);
  readonly blocked: boolean;
  createElement(): HTMLAudioElement;
  attach(el: HTMLAudioElement, stream: MediaStream): void;
  detach(el: HTMLAudioElement): void;
  // events: 'blocked', 'unblocked' (plain Event)
}

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

export type ParticipantChange = 'muted' | 'speaking' | 'state' | 'audible';

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
