// Parley SDK types: the signaling client, one peer connection per participant, Opus SDP munging.

import type {
  ClientMessage,
  ErrorMessage,
  HelloMessage,
  IceCandidate,
  JoinedMessage,
  Limits,
  ParleyError,
  ParticipantJoinedMessage,
  ParticipantLeftMessage,
  ParticipantStateMessage,
  PongMessage,
  RelayedAnswerMessage,
  RelayedCandidateMessage,
  RelayedChatMessage,
  RelayedOfferMessage,
  TypedEventTarget,
} from './protocol';

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
