// Type declarations for the Parley browser SDK (web/sdk/index.js).
// Protocol: docs/protocol.md, version 1.

// Split by concern: protocol.d.ts (errors, wire messages, typed events), connection.d.ts (signaling,
// peer connections, Opus), audio.d.ts (microphone, playback, voice, quality), and this file (the room, access).
export * from './protocol';
export * from './connection';
export * from './audio';
export * from './positional';
import type { Limits, ParleyError, ParticipantInfo, ParticipantPermissions, TypedEventTarget } from './protocol';
import type { Clock, PeerState, RoomSignalingTransport, SignalingTransport } from './connection';
import type { HearRoute, Orientation, PositionalChannel, Vector3, VoiceChannel } from './positional';
import type { AudioPlayback, ConnectionQuality, InputMode, PeerPreferences, SpeakingOptions, VoiceActivationOptions } from './audio';

// ---------------------------------------------------------------------------------------------
// ParleyRoom
// ---------------------------------------------------------------------------------------------

export type RoomState = 'idle' | 'joining' | 'joined' | 'closed';
/** While joined: 'connected' to the signaling server or 'reconnecting' to it (calls go on). Else 'disconnected'. */
export type RoomSignalingState = 'connected' | 'reconnecting' | 'disconnected';

export class Participant {
  readonly id: string;
  readonly name: string;
  /** The app's user id (token `sub`); equal to `id` on a server without tokens. */
  readonly identity: string;
  /** The app's metadata ('' when none). */
  readonly metadata: string;
  /** canPublish false: a listener, never played. admin: a moderator. */
  readonly permissions: Readonly<ParticipantPermissions>;
  /** Muted by a moderator: never played; for self, unmute() rejects with `forbidden`. */
  readonly serverMuted: boolean;
  /** permissions.canPublish && !serverMuted: only then is their audio ever played. */
  readonly mayBeHeard: boolean;
  /** permissions.admin. */
  readonly isModerator: boolean;
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
  /** Where they are (positional rooms), as they last said on the data channel; the origin until then. */
  readonly position: Vector3;
  readonly orientation: Orientation;
  /** Remote only: their talk groups. */
  readonly groups: readonly string[];
  /** Remote only: they whisper to me. */
  readonly whisperingToMe: boolean;
  /** Remote only: how I hear them. */
  readonly route: HearRoute;
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
  /** How long prewarm() keeps the connection and microphone without a join. Defaults to 20000 ms. */
  prewarmIdleMs?: number;
  /**
   * A newcomer's room reports its join (statechange, joined, participant-joined) once its first connections are up,
   * or after this long at most, so that the page's work on those events does not delay the call's first audio; the
   * members already there announce the newcomer (participant-joined) the same way, once their connection to it is up.
   * A participant's `track` may come just before its participant-joined; nothing else about it does (no
   * participant-updated, and no participant-left for one that left before it was announced).
   * Defaults to 0 (at once); Parley's own page uses 1000 ms.
   */
  joinReportMaxMs?: number;
  /** Replaces getMicrophone (e.g. to pick a device). */
  getMicrophone?: (constraints?: MediaTrackConstraints) => Promise<MediaStream>;
  WebSocket?: typeof WebSocket;
  /** What carries signaling; `auto` (the default) falls back from the WebSocket to HTTP by itself. */
  signalingTransport?: 'auto' | SignalingTransport;
  /** fetch for HTTP signaling; defaults to the global one. */
  fetch?: typeof fetch;
  RTCPeerConnection?: typeof RTCPeerConnection;
  /** Timers and time for signaling, reconnection and peer recovery; tests inject a fake. */
  clock?: Clock;
  /** Jitter source in [0, 1) for reconnect backoff. Defaults to Math.random. */
  random?: () => number;
  /**
   * Peer recovery: wait after `disconnected` before an ICE restart (2000 ms), and per recovery step (10000 ms);
   * how long a participant the server says is away (`participant-away`) has to answer a ping on the `parley`
   * channel before we report `peer-lost` (2000 ms).
   */
  recovery?: { disconnectedGraceMs?: number; stepTimeoutMs?: number; awayProbeMs?: number };
  /**
   * WebTorrent tracker URLs (ws:// or wss://; a list, or one string with commas): meet through these trackers instead
   * of a Parley server (docs/protocol.md, "Meeting through WebTorrent trackers"). The room name and
   * JoinOptions.password derive the swarm and the key that seals every SDP; the participant list, mute state and
   * chat go peer to peer. No TURN credentials, moderation, access tokens or resume: those need a server.
   */
  tracker?: string | string[];
  /**
   * 'only' (the default): never contact a Parley server. 'fallback': join through the Parley server (JoinOptions.url)
   * and through the trackers only when it cannot be reached at all (`server-unreachable`).
   */
  trackerMode?: 'only' | 'fallback';
  /** ICE servers of the connections made through trackers (STUN, your own TURN). Defaults to `iceServers`, else none. */
  trackerIceServers?: RTCIceServer[];
  /** Tracker rooms: announce at most this often (20000 ms) and wait this long for a first tracker (15000 ms). */
  trackerTiming?: { announceMs?: number; joinTimeoutMs?: number };
}

export interface JoinOptions {
  /** Signaling URL. Defaults to ws(s)://<page host>/ws. */
  url?: string;
  /** Required without a token; with one, the token's room (another one is refused: token-wrong-room). */
  room?: string;
  /** Required without a token; with one, ignored by the server (the token's name, else identity). */
  name?: string;
  /**
   * The access token (JWT) from the app's backend, sent once in `join` (token mode). The SDK reads it without
   * verifying, only to open no microphone when it does not allow publishing.
   */
  token?: string;
  /** Join muted. Defaults to the current `muted`. */
  muted?: boolean;
  /** Use this stream instead of opening the microphone (the caller keeps ownership). */
  stream?: MediaStream;
  /**
   * The room's voice channel if this join opens the room (true: positional with Vivox's defaults). Ignored by a room
   * that exists (every joiner gets its channel) and in token mode (the token's `parley.channel` decides).
   */
  channel?: VoiceChannel | true;
  /**
   * Tracker rooms only (ParleyRoomOptions.tracker): the room's password. Only pages with the same room name and
   * password meet: another password is another swarm and another key. '' or absent: none.
   */
  password?: string;
}

export type ParticipantChange = 'muted' | 'speaking' | 'state' | 'audible' | 'volume' | 'locallyMuted'
  | 'name' | 'metadata' | 'permissions' | 'serverMuted' | 'position' | 'groups' | 'whisperingToMe' | 'route';

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
  /** `left`: they left (server or `bye`); `disconnected`: their connection went away or could not be recovered. */
  'participant-left': { participant: Participant; reason: 'left' | 'disconnected' | 'replaced' | 'removed' | 'room-deleted' };
  'participant-updated': { participant: Participant; changes: ParticipantChange[] };
  track: { participant: Participant; track: MediaStreamTrack; stream: MediaStream };
  /** Audio level of self (microphone) and of each remote (received audio), about 20 times a second. */
  level: { participant: Participant; level: number };
  error: { error: ParleyError; participant?: Participant };
  closed: { reason: 'left' | 'error' | 'removed'; error?: ParleyError };
  /** A moderator removed me, or the room was deleted: every connection is closed and nothing is resumed. */
  removed: { reason: 'removed' | 'room-deleted'; error: ParleyError };
  /** The room was locked/unlocked or its metadata changed. */
  'room-updated': { locked: boolean; metadata: string; changes: Array<'locked' | 'metadata'> };
  /** Data from the app's backend (RoomService SendData). */
  data: { payload: Uint8Array; topic: string | null };
  'autoplay-blocked': Record<string, never>;
  'autoplay-unblocked': Record<string, never>;
  /** Mute, deafen or input mode changed. */
  voice: { changes: Array<'muted' | 'deafened' | 'mode'> };
  /** Whether the others hear my microphone changed. */
  transmitting: { transmitting: boolean };
  chat: ChatEvent;
  /** The signaling connection was lost; the SDK reconnects by itself after `delayMs`. Calls go on. */
  reconnecting: { attempt: number; delayMs: number; error: ParleyError };
  /** The session was resumed; `resumed` is false when the server had to add us anew (same id). */
  reconnected: { resumed: boolean };
  signalingstatechange: { state: RoomSignalingState; previous: RoomSignalingState };
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
  readonly signalingState: RoomSignalingState;
  /** What carries signaling now ('websocket', 'sse', 'long-poll', or 'tracker': no server); null when not connected. */
  readonly signalingTransport: RoomSignalingTransport | null;
  getParticipant(id: string): Participant | null;
  /**
   * Gets the next join ready while the person is on the join form: the signaling connection (up to `hello`), the
   * audio output (suspended until the Join click) and, where the microphone permission is already granted
   * (`microphone`: true opens it anyway, false never), the microphone and the first connection's offer (created,
   * not set: nothing is gathered before the join). A join to the same `url` with the same microphone constraints
   * takes them. Released after `prewarmIdleMs` without a join and by releasePrewarm(). Never rejects.
   */
  prewarm(options?: { url?: string; microphone?: boolean | 'if-allowed'; token?: string }): Promise<void>;
  /** What prewarm() holds right now (`offer`: the first connection's offer is being made or ready). */
  readonly prewarmed: { signaling: boolean; microphone: boolean; offer: boolean };
  /** Closes what prewarm() opened (never a call in progress); safe to call any time. */
  releasePrewarm(): void;
  join(options: JoinOptions): Promise<{ room: string; self: Participant; participants: Participant[] }>;
  leave(): Promise<void>;
  /** Unmuting is unmute(): rejects with `forbidden` for a listener or while server-muted. */
  setMuted(muted: boolean): Promise<void>;
  mute(): Promise<void>;
  /**
   * Rejects with `forbidden` (nothing changes) while I may not publish. After a moderator lifted a server mute,
   * this is what sends my audio again; a listener allowed to publish mid-call gets the microphone opened here.
   */
  unmute(): Promise<void>;
  /** False for a listener (the server's word once joined; before that, the token's). */
  readonly canPublish: boolean;
  readonly serverMuted: boolean;
  readonly isModerator: boolean;
  /** Locked: nobody new can join. */
  readonly locked: boolean;
  /** The room's metadata ('' when none). */
  readonly metadata: string;
  /** The room's positional channel, null in a plain room. */
  readonly channel: PositionalChannel | null;
  readonly position: Vector3;
  readonly orientation: Orientation;
  /** What setTargets() was given, null while not whispering. */
  readonly targets: readonly string[] | null;
  readonly groups: string[];
  /** Moves me: my ears at once, the others hear it within ~100 ms (peer to peer, only when changed). */
  setPosition(position: Partial<Vector3>, orientation?: { forward?: Partial<Vector3>; up?: Partial<Vector3> }): void;
  /** Whisper to these participants (ids or display names) only; null: to everyone again. */
  setTargets(targets: string | string[] | null): void;
  /** Talk groups (1..64 characters, at most 16): I hear and am heard by their members at any distance. */
  joinGroup(name: string): void;
  leaveGroup(name: string): void;
  /** Moderators: server-mute (true, hard) or allow to unmute (false). Rejects `forbidden`/`unknown-participant`. */
  muteParticipant(id: string, muted?: boolean): Promise<void>;
  /** Moderators: server-mute everyone who is not a moderator. */
  muteAll(): Promise<void>;
  /** Moderators: remove, optionally banning for `banSeconds` (0..MAX_BAN_SECONDS). */
  removeParticipant(id: string, options?: { banSeconds?: number }): Promise<void>;
  /** Moderators: lock (no new joins) or unlock. */
  lockRoom(locked?: boolean): Promise<void>;
  /** Token mode with `canUpdateOwnMetadata`: change my own name or metadata (else an `error` event `forbidden`). */
  updateSelf(changes: { name?: string; metadata?: string }): Promise<void>;
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
  /** Throws `not-connected` (also while reconnecting), or `invalid-message` (ref 'chat') for an empty or too long text. */
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
// Access tokens and moderation
// ---------------------------------------------------------------------------------------------

/** What an access token says, read without verification (the server verifies). */
export interface AccessTokenInfo {
  identity: string;
  /** `name`, else the identity. */
  name: string;
  /** video.room ('' when missing). */
  room: string;
  /** video.canPublish (default true); with canPublishSources, whether it lists 'microphone'. */
  canPublish: boolean;
  /** video.roomAdmin. */
  admin: boolean;
  expiresAt: Date | null;
}
/** Null when `token` is not a JWT with a JSON payload; never throws. */
export function decodeAccessToken(token: string): AccessTokenInfo | null;
/** The longest ban a moderator can give, in seconds (86400). */
export const MAX_BAN_SECONDS: number;

// ---------------------------------------------------------------------------------------------
// Rate limiting
// ---------------------------------------------------------------------------------------------

export class TokenBucket {
  constructor(options: { rate: number; burst: number; now?: () => number });
  tryTake(): boolean;
  waitMs(): number;
}
export function bucketForLimits(limits: Partial<Limits>, now?: () => number): TokenBucket;
