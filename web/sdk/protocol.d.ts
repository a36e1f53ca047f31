// Parley SDK types: error codes, the signaling protocol's messages (docs/protocol.md, version 1), typed events.

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** Error codes the server sends in `error` messages. */
export type ServerErrorCode =
  | 'malformed-json' | 'unknown-type' | 'unsupported-frame' | 'too-large' | 'invalid-message'
  | 'unsupported-protocol' | 'invalid-room' | 'invalid-name' | 'room-full' | 'server-full'
  | 'not-joined' | 'already-joined' | 'unknown-participant' | 'rate-exceeded' | 'join-timeout'
  | 'too-many-errors' | 'server-busy' | 'slow-consumer' | 'invalid-token' | 'session-replaced' | 'heartbeat-timeout'
  | AccessErrorCode;

/**
 * Access refusals and moderation (docs/access.md). A join refused with one of these is never retried;
 * `removed` and `room-deleted` end the call (event `removed`), `duplicate-identity` too (the same identity
 * joined elsewhere).
 */
export type AccessErrorCode =
  | 'token-missing' | 'token-malformed' | 'token-algorithm' | 'token-unknown-key' | 'token-signature'
  | 'token-expired' | 'token-not-yet-valid' | 'token-no-identity' | 'token-no-grant' | 'token-wrong-room'
  | 'banned' | 'room-locked' | 'forbidden' | 'removed' | 'duplicate-identity' | 'room-deleted';

/** Error codes produced by the client itself. */
export type ClientErrorCode =
  | 'server-unreachable' | 'connection-lost' | 'timeout' | 'not-connected' | 'invalid-state'
  | 'aborted' | 'protocol-error' | 'microphone-denied' | 'microphone-not-found' | 'microphone-busy'
  | 'microphone-unavailable' | 'microphone-error' | 'negotiation-failed'
  /** A tracker room (ParleyRoomOptions.tracker): no tracker answered; or what was asked needs a Parley server. */
  | 'tracker-unreachable' | 'needs-server';

export type ParleyErrorCode = ServerErrorCode | ClientErrorCode;

export const SERVER_ERROR_CODES: readonly ServerErrorCode[];
export const CLIENT_ERROR_CODES: readonly ClientErrorCode[];
export const ACCESS_REFUSAL_CODES: readonly AccessErrorCode[];
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
  /** Optional: the server sends `ping` this often (10). */
  heartbeatSeconds?: number;
  /** Optional: silence after which either side treats the connection as gone (25). */
  heartbeatTimeoutSeconds?: number;
  /** Optional: how long an abruptly disconnected participant keeps its place (20). */
  resumeGraceSeconds?: number;
}

/** What a participant may do. An older server sends none: all true but `admin`. */
export interface ParticipantPermissions {
  /** False: a listener, never heard; its own SDK opens no microphone and negotiates recvonly. */
  canPublish: boolean;
  canSubscribe: boolean;
  canPublishData: boolean;
  /** A moderator of the room. */
  admin: boolean;
}

export interface ParticipantInfo {
  id: string; name: string; muted: boolean; speaking: boolean;
  /** The app's user id (token `sub`); equal to `id` in open mode. */
  identity?: string;
  /** The app's metadata; omitted when empty. */
  metadata?: string;
  permissions?: ParticipantPermissions;
  /** Present (true) only while muted by a moderator. */
  serverMuted?: boolean;
}

export interface IceCandidate {
  candidate: string; sdpMid?: string | null; sdpMLineIndex?: number | null; usernameFragment?: string | null;
}

// Client to server
/** In token mode `room` and `name` may be left out (the token's are used) and `token` is the app's JWT. */
export interface JoinMessage {
  type: 'join'; protocol: 1; room?: string; name?: string; muted?: boolean; token?: string;
  /** The first offer, for the first connected participant the join finds (named in `joined.offerTo`). */
  offer?: { sdp: string };
}
export interface ResumeMessage {
  type: 'resume'; protocol: 1; room: string; token: string; name: string; muted?: boolean;
}
export interface LeaveMessage { type: 'leave'; }
export interface OfferMessage { type: 'offer'; to: string; sdp: string; }
export interface AnswerMessage { type: 'answer'; to: string; sdp: string; }
export interface CandidateMessage { type: 'candidate'; to: string; candidate: IceCandidate | null; }
export interface StateMessage { type: 'state'; muted?: boolean; speaking?: boolean; }
export interface PingMessage { type: 'ping'; id?: string | number; }
/** The answer to the server's heartbeat `ping`. */
export interface ClientPongMessage { type: 'pong'; }
export interface ChatMessage { type: 'chat'; text: string; }
/** Our peer connection to participant `id` stopped working: the server checks that they are still there. */
export interface PeerLostMessage { type: 'peer-lost'; id: string; }
/** Moderators only. `muted: true` is a server mute (hard); false lets them unmute themselves. */
export interface MuteParticipantMessage { type: 'mute-participant'; id: string; muted: boolean; }
/** Moderators only: server-mutes everyone who is not a moderator. */
export interface MuteAllMessage { type: 'mute-all'; }
/** Moderators only: `banSeconds` 0..86400 (0: only the same token is refused). */
export interface RemoveParticipantMessage { type: 'remove-participant'; id: string; banSeconds?: number; }
/** Moderators only: a locked room refuses new joins (`room-locked`); resumes still pass. */
export interface LockRoomMessage { type: 'lock-room'; locked: boolean; }
export type ClientMessage =
  | JoinMessage | ResumeMessage | LeaveMessage | OfferMessage | AnswerMessage | CandidateMessage | StateMessage
  | PingMessage | ClientPongMessage | ChatMessage | PeerLostMessage
  | MuteParticipantMessage | MuteAllMessage | RemoveParticipantMessage | LockRoomMessage;

// Server to client
export interface HelloMessage { type: 'hello'; protocol: number; server: string; limits: Limits; }
export interface JoinedMessage {
  type: 'joined'; protocol: number; room: string; self: ParticipantInfo;
  participants: ParticipantInfo[]; iceServers: RTCIceServer[];
  /** Send it in `resume` to come back with the same id after losing the connection. */
  resumeToken?: string;
  /** True when a `resume` found our place still held (nobody saw us leave). */
  resumed?: boolean;
  /** Present (true) only while the room is locked. */
  locked?: boolean;
  /** The room's metadata; omitted when empty. */
  metadata?: string;
  /** The room's voice channel; present only in a positional room. */
  channel?: import('./positional').VoiceChannel;
  /** Who was handed the offer the `join` carried; absent if nobody was. */
  offerTo?: string;
}
export interface ParticipantJoinedMessage { type: 'participant-joined'; participant: ParticipantInfo; resumed?: boolean; }
/** `removed`: a moderator removed them; `replaced`: the same identity joined again elsewhere. */
export interface ParticipantLeftMessage {
  type: 'participant-left'; id: string; reason: 'left' | 'disconnected' | 'removed' | 'replaced' | 'room-deleted';
}
/** Name, metadata, permissions or server mute changed (a moderator, or the app's backend). */
export interface ParticipantUpdatedMessage { type: 'participant-updated'; participant: ParticipantInfo; }
export interface RoomUpdatedMessage { type: 'room-updated'; locked: boolean; metadata?: string; }
/** From the app's backend (SendData); `payload` is base64. */
export interface DataMessage { type: 'data'; payload: string; topic?: string; }
/** Its socket dropped without a close frame; it keeps its place. Answer `peer-lost` if our peer connection to it is gone too. */
export interface ParticipantAwayMessage { type: 'participant-away'; id: string; }
export interface ParticipantStateMessage { type: 'participant-state'; id: string; muted?: boolean; speaking?: boolean; }
export interface RelayedOfferMessage { type: 'offer'; from: string; sdp: string; }
export interface RelayedAnswerMessage { type: 'answer'; from: string; sdp: string; }
export interface RelayedCandidateMessage { type: 'candidate'; from: string; candidate: IceCandidate | null; }
export interface PongMessage { type: 'pong'; id?: string | number; }
/** The server's heartbeat; the client answers `pong`. */
export interface ServerPingMessage { type: 'ping'; }
/** The server is shutting down; reconnect after `retryAfterMs` plus jitter. */
export interface GoawayMessage { type: 'goaway'; reason: string; retryAfterMs: number; }
/** Relayed to everyone in the room, the sender included. `time` is ISO 8601 UTC. */
export interface RelayedChatMessage { type: 'chat'; from: string; name: string; text: string; time: string; }
export interface ErrorMessage { type: 'error'; code: ServerErrorCode; message: string; ref?: string; }
export type ServerMessage =
  | HelloMessage | JoinedMessage | ParticipantJoinedMessage | ParticipantLeftMessage | ParticipantAwayMessage
  | ParticipantStateMessage | RelayedOfferMessage | RelayedAnswerMessage | RelayedCandidateMessage
  | PongMessage | ServerPingMessage | GoawayMessage | RelayedChatMessage | ErrorMessage
  | ParticipantUpdatedMessage | RoomUpdatedMessage | DataMessage;

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
