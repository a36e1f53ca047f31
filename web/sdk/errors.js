// Errors raised by the Parley SDK. Every error carries a stable `code`; `message` is for humans.

/** Codes the server sends in `error` messages (docs/protocol.md). */
export const SERVER_ERROR_CODES = Object.freeze([
  'malformed-json', 'unknown-type', 'unsupported-frame', 'too-large', 'invalid-message',
  'unsupported-protocol', 'invalid-room', 'invalid-name', 'room-full', 'server-full',
  'not-joined', 'already-joined', 'unknown-participant', 'rate-exceeded', 'join-timeout',
  'too-many-errors', 'server-busy', 'slow-consumer', 'invalid-token', 'session-replaced', 'heartbeat-timeout',
  'invalid-channel', // join.channel (or the token's parley.channel) out of bounds: docs/protocol.md, "Positional rooms"
  // Access (docs/access.md): token refusals, moderation.
  'token-missing', 'token-malformed', 'token-algorithm', 'token-unknown-key', 'token-signature', 'token-expired',
  'token-not-yet-valid', 'token-no-identity', 'token-no-grant', 'token-wrong-room', 'banned', 'room-locked',
  'forbidden', 'removed', 'duplicate-identity', 'room-deleted',
]);

/**
 * Codes with which the server refuses a `join` (or `resume`) for access reasons. A join refused with one of
 * them is never retried: a retry with the same token would be refused again.
 */
export const ACCESS_REFUSAL_CODES = Object.freeze([
  'token-missing', 'token-malformed', 'token-algorithm', 'token-unknown-key', 'token-signature', 'token-expired',
  'token-not-yet-valid', 'token-no-identity', 'token-no-grant', 'token-wrong-room', 'banned', 'room-locked',
  'forbidden', 'removed', 'duplicate-identity', 'room-deleted',
]);

/** Codes produced by the client itself. */
export const CLIENT_ERROR_CODES = Object.freeze([
  'server-unreachable', // the WebSocket could not be opened, or closed before `hello`
  'connection-lost',    // the WebSocket closed after `hello` without us asking
  'timeout',            // the server did not answer `join` in time
  'not-connected',      // a message was sent while no connection is open
  'invalid-state',      // the call is not allowed in the current state
  'aborted',            // superseded by close()/leave() while pending
  'protocol-error',     // the server sent something this client cannot understand
  'microphone-denied',  // getUserMedia NotAllowedError / SecurityError
  'microphone-not-found', // getUserMedia NotFoundError / OverconstrainedError
  'microphone-busy',    // getUserMedia NotReadableError / AbortError
  'microphone-unavailable', // no getUserMedia here (insecure context, old browser)
  'microphone-error',   // any other getUserMedia failure
  'negotiation-failed', // an SDP or ICE step failed for one peer
  'tracker-unreachable', // a tracker room: no WebTorrent tracker could be reached in time
  'needs-server',       // a tracker room: what was asked needs a Parley server (tokens, moderation)
]);

export class ParleyError extends Error {
  /**
   * @param {string} code stable machine-readable code
   * @param {string} message human-readable text
   * @param {{ref?: string, cause?: unknown, fatal?: boolean}} [options]
   */
  constructor(code, message, options = {}) {
    super(message || code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ParleyError';
    this.code = code;
    if (options.ref !== undefined) this.ref = options.ref;
    this.fatal = Boolean(options.fatal);
  }
}

/** Server codes after which the server closes the socket. */
export const FATAL_SERVER_CODES = new Set([
  'too-large', 'join-timeout', 'too-many-errors', 'server-busy', 'slow-consumer', 'session-replaced',
  'heartbeat-timeout', 'removed', 'duplicate-identity', 'room-deleted',
]);
