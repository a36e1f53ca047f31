// What the Parley signaling protocol v1 (docs/protocol.md) fixes, apart from any connection: the version, the
// limits a server may tighten in `hello`, the close code of a socket given up to reconnect, which messages answer
// a `join`, and how `join`, `resume` and `error` look. SignalingClient (signaling.js) speaks it over a socket.

import { ParleyError, FATAL_SERVER_CODES, ACCESS_REFUSAL_CODES } from './errors.js';

export const PROTOCOL_VERSION = 1;

export const DEFAULT_LIMITS = Object.freeze({
  maxMessageBytes: 65536, maxParticipantsPerRoom: 16, messagesPerSecond: 50,
  messageBurst: 200, maxRoomNameLength: 64, maxDisplayNameLength: 32, maxChatLength: 500,
});

/** Close code for a socket the client abandons in order to reconnect (the server keeps its place). */
export const RECONNECTING_CLOSE_CODE = 4000;

/** Server codes that answer a `join` or `resume` even when `ref` is missing. */
export const JOIN_ERRORS = new Set(['unsupported-protocol', 'invalid-room', 'invalid-name', 'room-full',
  'server-full', 'already-joined', 'invalid-token', ...ACCESS_REFUSAL_CODES]);

/** Messages re-emitted as events of the same name, with the message as `detail`. */
export const RELAYED = new Set(['participant-joined', 'participant-left', 'participant-away', 'participant-state',
  'offer', 'answer', 'candidate', 'chat', 'pong', 'participant-updated', 'room-updated', 'data']);

/** The limits of a `hello`: DEFAULT_LIMITS, with every positive finite number the server sent instead. */
export function limitsFrom(hello) {
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(hello.limits ?? {})) {
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) limits[key] = value;
  }
  return limits;
}

/** The `join` message (SignalingClient.join()). */
export function joinMessage({ room, name, muted = false, token, channel, offer }) {
  const message = { type: 'join', protocol: PROTOCOL_VERSION, room, name, muted: Boolean(muted) };
  if (token !== undefined && token !== null) message.token = String(token);
  if (channel) message.channel = channel; // the room's voice channel, if this join opens the room
  // The first offer, for whichever participant the join finds first (`joined.offerTo`): docs/protocol.md.
  if (typeof offer === 'string' && offer) message.offer = { sdp: offer };
  return message;
}

/** The `resume` message: the `resumeToken` of an earlier `joined`, and what to join with if the place is gone. */
export function resumeMessage({ room, token, name, muted = false, channel }) {
  const message = { type: 'resume', protocol: PROTOCOL_VERSION, room, token, name, muted: Boolean(muted) };
  if (channel) message.channel = channel; // the last `joined`'s: a restarted server rebuilds the room with it
  return message;
}

/** The ParleyError a server `error` message stands for (`fatal`: the server closes the connection after it). */
export function serverError(msg) {
  const code = typeof msg.code === 'string' ? msg.code : 'protocol-error';
  return new ParleyError(code, typeof msg.message === 'string' ? msg.message : code,
    { ref: msg.ref, fatal: FATAL_SERVER_CODES.has(code) });
}

/** The signaling URL for a page served by a Parley server: same origin, path /ws. */
export function signalingUrlFor(location = globalThis.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
