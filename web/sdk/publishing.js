// Publishing: whether my microphone may reach the others, from what the server says about me
// (docs/protocol.md: permissions.canPublish and serverMuted).
//   - allowed: I may publish (canPublish, not muted by a moderator). Not allowed: the mic track is disabled
//     (LocalVoice stays muted) and every connection negotiates its audio `recvonly`, which is what the server
//     accepts from a non-publisher (it refuses an offer or answer that would send).
//   - blocked: sending was taken away and the user has not unmuted since. A moderator lifting a server mute only
//     allows me to unmute: I stay muted and `recvonly` until I unmute myself (the privacy rule of docs/access.md).

import { ParleyError } from './errors.js';

export class Publishing {
  #voice; #setSending;
  #allowed = true;
  #blocked = false;
  #serverMuted = false;

  /**
   * @param {object} o
   * @param {import('./local-voice.js').LocalVoice} o.voice
   * @param {(sending: boolean) => void} o.setSending applies `sending` to every connection
   */
  constructor({ voice, setSending }) {
    this.#voice = voice;
    this.#setSending = setSending;
  }

  /** I may publish (as far as the server or, before joining, the token says). */
  get allowed() { return this.#allowed; }
  /** My audio is negotiated to be sent (allowed, and unmuted by me since it was taken away). */
  get sending() { return this.#allowed && !this.#blocked; }

  /** Before a join: what the token says (true without one); no connection exists yet. */
  reset(allowed = true) {
    this.#allowed = Boolean(allowed);
    this.#blocked = !this.#allowed;
    this.#serverMuted = false;
    this.#voice.setSendAllowed(this.sending);
  }

  /** The server's word about me: `self` is my Participant (permissions, serverMuted). */
  apply(self) {
    this.#allowed = self.permissions.canPublish && !self.serverMuted;
    this.#serverMuted = self.serverMuted;
    if (!this.#allowed) this.#blocked = true;
    this.#voice.setSendAllowed(this.sending);
    this.#setSending(this.sending);
  }

  /** The user unmutes: throws `forbidden` while not allowed, else sends again (connections back to sendrecv). */
  unblock() {
    if (!this.#allowed) throw forbiddenToUnmute(this.#serverMuted);
    if (!this.#blocked) return;
    this.#blocked = false;
    this.#voice.setSendAllowed(true);
  }

  /** After unblock() and the unmute: connections go back to sending. */
  resume() {
    this.#setSending(this.sending);
  }
}

/** The `forbidden` error of an unmute that is not allowed. */
export function forbiddenToUnmute(serverMuted) {
  return new ParleyError('forbidden', serverMuted
    ? 'A moderator muted you: you can unmute once a moderator allows it.'
    : 'You can only listen in this room: your microphone cannot be turned on.', { ref: 'state' });
}
