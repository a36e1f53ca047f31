// Participant: what a ParleyRoom knows about one person in the room, self included.
// The room owns these objects and updates them in place before it fires `participant-updated`.

export class Participant {
  /**
   * @param {{id: string, name: string, muted?: boolean, speaking?: boolean}} info as sent by the server
   * @param {boolean} isSelf
   */
  constructor(info, isSelf) {
    /** Server-assigned id, `p_` + 12 base64url characters. */
    this.id = String(info.id);
    /** Display name: render it as text, never as HTML. */
    this.name = String(info.name ?? '');
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
  }

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
}
