// Participant: what a ParleyRoom knows about one person in the room, self included.
// The room owns these objects and updates them in place before it fires `participant-updated`.

import { ORIGIN, DEFAULT_ORIENTATION } from './spatial-math.js';

/** What a participant may do, as the server says (docs/protocol.md); an older server sends none: all but admin. */
export const DEFAULT_PERMISSIONS = Object.freeze({ canPublish: true, canSubscribe: true, canPublishData: true, admin: false });

/** The permissions in a ParticipantInfo, with the defaults for what is missing. */
export function permissionsFrom(info) {
  const p = info && typeof info === 'object' ? info : {};
  const flag = (key) => (typeof p[key] === 'boolean' ? p[key] : DEFAULT_PERMISSIONS[key]);
  return Object.freeze({
    canPublish: flag('canPublish'), canSubscribe: flag('canSubscribe'),
    canPublishData: flag('canPublishData'), admin: flag('admin'),
  });
}

export class Participant {
  /**
   * @param {{id: string, name: string, identity?: string, metadata?: string, muted?: boolean, speaking?: boolean,
   *   permissions?: object, serverMuted?: boolean}} info as sent by the server
   * @param {boolean} isSelf
   */
  constructor(info, isSelf) {
    /** Server-assigned id, `p_` + 12 base64url characters. */
    this.id = String(info.id);
    /** Display name: render it as text, never as HTML. */
    this.name = String(info.name ?? '');
    /** The app's user id (the token's `sub`); equal to `id` on a server without tokens. */
    this.identity = typeof info.identity === 'string' ? info.identity : this.id;
    /** The app's metadata from the token ('' when none). */
    this.metadata = typeof info.metadata === 'string' ? info.metadata : '';
    /** {canPublish, canSubscribe, canPublishData, admin}. canPublish false: a listener, never heard. */
    this.permissions = permissionsFrom(info.permissions);
    /** Muted by a moderator: never heard, and cannot unmute until a moderator allows it. */
    this.serverMuted = info.serverMuted === true;
    this.muted = Boolean(info.muted);
    this.speaking = Boolean(info.speaking);
    this.isSelf = isSelf;
    /** Remote only: connecting | connected | reconnecting | failed. Null for self. */
    this.state = isSelf ? null : 'connecting';
    /** Remote only: the remote audio once it arrived. For self: the local microphone stream. */
    this.stream = null;
    /** Remote only: the hidden <audio autoplay> element playing `stream` (null without a document). */
    this.audio = null;
    /** Smoothed RMS level 0..1: the microphone for self, what we receive for a remote. */
    this.level = 0;
    /** Remote only: whether we hear them right now (local speaking detection on their audio). */
    this.audible = false;
    /** Remote only: how loud I hear them, 0..2 (1 = as received). Remembered per display name. */
    this.volume = 1;
    /** Remote only: muted for me only. Remembered per display name. */
    this.locallyMuted = false;
    /** Where they are (positional rooms): {x, y, z}, as they last said on the data channel. The origin until then. */
    this.position = ORIGIN;
    /** Which way they face: {forward, up}. */
    this.orientation = DEFAULT_ORIENTATION;
    /** Remote only: their talk groups, as they last said. */
    this.groups = Object.freeze([]);
    /** Remote only: they whisper to me (setTargets on their side names me). */
    this.whisperingToMe = false;
    /**
     * Remote only: how I hear them: 'everyone' (a plain room), 'positional' (placed in space), 'group' (a shared
     * talk group), 'whisper' (to me), 'none' (beyond the audible distance, or whispering to others).
     */
    this.route = 'everyone';
  }

  /** Whether this participant may be heard at all: may publish and is not muted by a moderator. */
  get mayBeHeard() { return this.permissions.canPublish && !this.serverMuted; }

  /** A moderator of the room (moderators cannot act on each other). */
  get isModerator() { return this.permissions.admin; }

  /**
   * Applies the fields present in a `participant-state` message.
   * @returns {string[]} the names of the fields that changed
   */
  applyState({ muted, speaking }) {
    const changes = [];
    if (typeof muted === 'boolean' && muted !== this.muted) {
      this.muted = muted;
      changes.push('muted');
    }
    if (typeof speaking === 'boolean' && speaking !== this.speaking) {
      this.speaking = speaking;
      changes.push('speaking');
    }
    return changes;
  }

  /**
   * Applies a ParticipantInfo from `participant-updated` (or a listing): name, metadata, permissions,
   * serverMuted (absent means false) and, unless `muted` is left out, muted.
   * @returns {string[]} the names of the fields that changed
   */
  applyInfo(info) {
    if (!info || typeof info !== 'object') return [];
    const changes = [];
    if (typeof info.name === 'string' && info.name !== this.name) { this.name = info.name; changes.push('name'); }
    const metadata = typeof info.metadata === 'string' ? info.metadata : '';
    if (metadata !== this.metadata) { this.metadata = metadata; changes.push('metadata'); }
    const permissions = permissionsFrom(info.permissions);
    if (Object.keys(permissions).some((k) => permissions[k] !== this.permissions[k])) {
      this.permissions = permissions;
      changes.push('permissions');
    }
    const serverMuted = info.serverMuted === true;
    if (serverMuted !== this.serverMuted) { this.serverMuted = serverMuted; changes.push('serverMuted'); }
    return [...changes, ...this.applyState({ muted: info.muted })];
  }
}
