// Parley SDK types: the signaling client, one peer connection per participant, Opus SDP munging.

import type {
  ClientMessage,
  ErrorMessage,
  GoawayMessage,
  HelloMessage,
  IceCandidate,
  JoinedMessage,
  Limits,
  ParleyError,
  ParticipantJoinedMessage,
  ParticipantLeftMessage,
  ParticipantAwayMessage,
  ParticipantStateMessage,
  ParticipantUpdatedMessage,
  RoomUpdatedMessage,
  DataMessage,
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
  /** Our own pings, only towards a server whose `hello` advertises no heartbeats; 0 disables. Defaults to 20000 ms. */
  keepAliveMs?: number;
  /** Timers and time; tests inject a fake. Defaults to the real ones. */
  clock?: Clock;
  /**
   * What carries signaling. `auto` (the default) opens a WebSocket and falls back to HTTP (an event stream, or long
   * polling when a proxy holds the stream back) when it cannot open or no `hello` comes within `fallbackAfterMs`;
   * what worked is kept for this client's reconnects.
   */
  transport?: 'auto' | SignalingTransport;
  /** In `auto`, how long a WebSocket may go without `hello` before HTTP is tried. Defaults to 3000 ms. */
  fallbackAfterMs?: number;
  /** HTTP signaling URL; defaults to `url` with http(s) and the path /signal. */
  httpUrl?: string;
  /** fetch for HTTP signaling; defaults to the global one. */
  fetch?: typeof fetch;
}

/** What carries signaling: a WebSocket, or HTTP (an event stream, or long polls) where WebSockets are blocked. */
export type SignalingTransport = 'websocket' | 'sse' | 'long-poll';
/** What ParleyRoom.signalingTransport reports: a SignalingTransport, or 'tracker' in a room met through trackers. */
export type RoomSignalingTransport = SignalingTransport | 'tracker';

/** What the SDK uses for time, so tests can drive it without sleeping. */
export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  now(): number;
}

/** Close code of a socket the client gives up on to reconnect: the server keeps its place for the grace period. */
export const RECONNECTING_CLOSE_CODE: 4000;

export interface SignalingEventMap {
  statechange: { state: SignalingState; previous: SignalingState };
  hello: HelloMessage;
  'participant-joined': ParticipantJoinedMessage;
  'participant-left': ParticipantLeftMessage;
  'participant-away': ParticipantAwayMessage;
  'participant-state': ParticipantStateMessage;
  'participant-updated': ParticipantUpdatedMessage;
  'room-updated': RoomUpdatedMessage;
  data: DataMessage;
  offer: RelayedOfferMessage;
  answer: RelayedAnswerMessage;
  candidate: RelayedCandidateMessage;
  chat: RelayedChatMessage;
  pong: PongMessage;
  /** The server is shutting down; a `close` with `retryAfterMs` follows at once. */
  goaway: GoawayMessage;
  /** A server `error` not consumed by a pending join. */
  'server-error': { error: ParleyError; message: ErrorMessage };
  /**
   * The connection ended; `error` is null when close() was called. `retryAfterMs` is set after `goaway`.
   * The socket was closed with 4000 (reconnecting) when the client gave up on it, 1000 on close().
   */
  close: { error: ParleyError | null; code: number; reason: string; retryAfterMs?: number };
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
  /**
   * Sends `join {protocol: 1, room, name, muted, token?}`; resolves with `joined`, rejects with the server's error.
   * With the app's access `token`, room and name may be left out.
   */
  join(options: { room?: string; name?: string; muted?: boolean; token?: string }): Promise<JoinedMessage>;
  /** Sends `resume {protocol: 1, room, token, name, muted}`; resolves with `joined` (same id as before). */
  resume(options: { room: string; token: string; name: string; muted?: boolean }): Promise<JoinedMessage>;
  /** Gives up on the current socket as lost (close code 4000); a `close` event with `error` follows. */
  abandon(error?: ParleyError): void;
  leave(): void;
  sendOffer(to: string, sdp: string): void;
  sendAnswer(to: string, sdp: string): void;
  sendCandidate(to: string, candidate: IceCandidate | null): void;
  sendState(state: { muted?: boolean; speaking?: boolean }): void;
  sendChat(text: string): void;
  ping(id?: string | number): void;
  sendPeerLost(id: string): void;
  /** Moderators only (the server answers `forbidden` otherwise). */
  sendMuteParticipant(id: string, muted: boolean): void;
  sendMuteAll(): void;
  sendRemoveParticipant(id: string, banSeconds?: number): void;
  sendLockRoom(locked: boolean): void;
  /** Sends any message; throws `too-large` / `not-connected`; delays messages over the rate limit. */
  send(message: ClientMessage): void;
  close(): void;
  addEventListener: TypedEventTarget<SignalingEventMap>['addEventListener'];
  removeEventListener: TypedEventTarget<SignalingEventMap>['removeEventListener'];
}

// ---------------------------------------------------------------------------------------------
// Reconnector
// ---------------------------------------------------------------------------------------------

/** Backoff of reconnect attempts: attempt n waits in [minMs, min(maxMs, firstMs * 2^n)]; after goaway retryAfterMs + [0, goawayJitterMs). */
export const BACKOFF: Readonly<{ minMs: number; firstMs: number; maxMs: number; goawayJitterMs: number }>;
/** The wait before attempt `attempt` (0 = first) with full jitter; `random` in [0, 1). */
export function backoffDelayMs(attempt: number, random?: () => number, backoff?: typeof BACKOFF): number;
export function goawayDelayMs(retryAfterMs: number, random?: () => number, backoff?: typeof BACKOFF): number;

export interface ReconnectorEventMap {
  reconnecting: { attempt: number; delayMs: number; error: ParleyError };
  resumed: { joined: JoinedMessage };
  /** Reconnecting stopped for good: session-replaced, room-full, invalid-token, ... */
  failed: { error: ParleyError };
}

/** Resumes a joined SignalingClient after each lost socket, with backoff, until one works or a fatal error. */
export class Reconnector extends EventTarget implements TypedEventTarget<ReconnectorEventMap> {
  constructor(options: {
    signaling: SignalingClient;
    identity: () => { room: string; name: string; muted: boolean };
    clock?: Clock;
    random?: () => number;
  });
  readonly reconnecting: boolean;
  /** Starts watching after `joined` (its resumeToken is what `resume` sends). */
  start(joined: JoinedMessage): void;
  stop(): void;
  addEventListener: TypedEventTarget<ReconnectorEventMap>['addEventListener'];
  removeEventListener: TypedEventTarget<ReconnectorEventMap>['removeEventListener'];
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
  /** restartIce() attempts the session makes by itself after `failed`. Defaults to 2 (ParleyRoom passes 0: its recovery decides). */
  maxIceRestarts?: number;
  /** False: audio negotiated `recvonly` (a listener, or muted by a moderator). Defaults to true. */
  sending?: boolean;
  /**
   * An initiator's connection and first offer made ahead of the join with `localTrack` (the room's prewarm): its
   * `rtcConfig` is applied with setConfiguration, then the offer is set and sent without createOffer.
   */
  prepared?: { pc: RTCPeerConnection; channel: RTCDataChannel | null; sdp: string; track: MediaStreamTrack } | null;
  RTCPeerConnection?: typeof RTCPeerConnection;
}

export interface PeerSessionEventMap {
  statechange: { state: PeerState | 'closed'; previous: PeerState | 'closed' };
  /** The remote audio: dispatched once ICE has connected (or failed), and after our answer to the offer that brought it. */
  track: { track: MediaStreamTrack; stream: MediaStream };
  error: { error: ParleyError };
  /** The peer said `bye` on the `parley` data channel. */
  bye: Record<string, never>;
  /** The `parley` channel closed after it was open: the peer's connection went away. */
  'channel-close': Record<string, never>;
  /** The `parley` channel opened. */
  'channel-open': Record<string, never>;
  /** Any other message on the `parley` channel (positional voice). */
  message: { message: { type: string; [key: string]: unknown } };
}

export class PeerSession extends EventTarget implements TypedEventTarget<PeerSessionEventMap> {
  constructor(options: PeerSessionOptions);
  readonly remoteId: string;
  readonly polite: boolean;
  readonly state: PeerState | 'closed';
  readonly remoteStream: MediaStream | null;
  readonly connection: RTCPeerConnection;
  /** The remote description's SDP, null before the first one. */
  readonly remoteSdp: string | null;
  /** Whether our audio is negotiated to be sent (false: recvonly). */
  readonly sending: boolean;
  /** sendrecv or recvonly; a change renegotiates (perfect negotiation). */
  setSending(sending: boolean): void;
  /** `{"type":"bye"}` on the `parley` data channel; false when it is not open. */
  sendBye(): boolean;
  /** Any message on the `parley` data channel; false when it is not open. */
  sendMessage(message: { type: string }): boolean;
  /** Our audio to this peer is paused (no track on the sender: no packets), without renegotiation. */
  readonly paused: boolean;
  setPaused(paused: boolean): Promise<void>;
  /** restartIce(): an offer with new ICE credentials follows. False before this side may offer. */
  restartIce(): boolean;
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
