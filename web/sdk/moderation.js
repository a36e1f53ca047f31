// Moderation: what a moderator (permissions.admin) can do to the others (docs/protocol.md): mute someone for
// everyone (a server mute, hard) or allow them to unmute, mute everyone, remove someone (optionally banning them
// for a time), lock the room. The server enforces every rule; these checks only fail fast with the same codes
// (`forbidden` when I am no moderator or the target is one, `unknown-participant`), so a page can show why.
// A refusal by the server arrives as an `error` event with the same code and `ref` the message type.

import { ParleyError } from './errors.js';

/** The longest ban the server accepts, in seconds (one day). */
export const MAX_BAN_SECONDS = 86400;

export class Moderation {
  #room; #signaling;

  /**
   * @param {object} o
   * @param {{self: import('./participant.js').Participant|null, getParticipant(id: string): any, state: string}} o.room
   * @param {() => import('./signaling.js').SignalingClient|null} o.signaling the connection of the moment, if up
   */
  constructor({ room, signaling }) {
    this.#room = room;
    this.#signaling = signaling;
  }

  muteParticipant(id, muted) {
    return this.#run('mute-participant', id, (s) => s.sendMuteParticipant(id, muted));
  }

  muteAll() {
    return this.#run('mute-all', null, (s) => s.sendMuteAll());
  }

  removeParticipant(id, { banSeconds = 0 } = {}) {
    if (!Number.isInteger(banSeconds) || banSeconds < 0 || banSeconds > MAX_BAN_SECONDS) {
      return Promise.reject(new ParleyError('invalid-message',
        `banSeconds must be a whole number from 0 to ${MAX_BAN_SECONDS}.`, { ref: 'remove-participant' }));
    }
    return this.#run('remove-participant', id, (s) => s.sendRemoveParticipant(id, banSeconds));
  }

  lockRoom(locked) {
    return this.#run('lock-room', null, (s) => s.sendLockRoom(locked));
  }

  /** Checks, then sends; resolves once sent (the server's answer is the event that follows). */
  #run(type, targetId, send) {
    try {
      const room = this.#room;
      const signaling = this.#signaling();
      if (room.state !== 'joined' || !signaling || signaling.state !== 'joined') {
        throw new ParleyError('not-connected', 'Not connected to the room right now.', { ref: type });
      }
      if (!room.self?.permissions.admin) {
        throw new ParleyError('forbidden', 'Only a moderator can do that.', { ref: type });
      }
      if (targetId !== null) {
        const target = targetId === room.self.id ? null : room.getParticipant(targetId);
        if (!target) throw new ParleyError('unknown-participant', 'That participant is not in the room.', { ref: type });
        if (target.permissions.admin) {
          throw new ParleyError('forbidden', 'Moderators cannot act on other moderators.', { ref: type });
        }
      }
      send(signaling);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err);
    }
  }
}
