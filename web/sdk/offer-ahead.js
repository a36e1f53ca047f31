// OfferAhead: the newcomer's first connection and its offer, made while the person is still on the join form
// (room.prewarm(), once the microphone is open), so that the offer leaves the moment `joined` arrives.
//
// Making a connection and its first offer costs 20-40 ms of the click-to-hearing path on the newcomer's main
// thread (the connection's certificate, the transceiver, createOffer; docs/benchmarks.md, "Join to hearing"). None
// of it depends on who is in the room, so it is done ahead, once, for whichever participant the join finds first.
// Nothing is set yet: the room's ICE servers come with `joined`, and candidates are gathered only once the offer is
// set, with those servers (PeerSession applies them with setConfiguration first). What was made ahead is used only
// with the same microphone track and while we send; otherwise, and after a join that finds nobody, it is closed.

/**
 * @typedef {object} PreparedOffer
 * @property {RTCPeerConnection} pc a connection with the `parley` channel and our audio transceiver
 * @property {RTCDataChannel} channel the `parley` channel (peer-channel.js)
 * @property {string} sdp the offer, munged, not yet set
 * @property {MediaStreamTrack} track the microphone track it sends
 */

export class OfferAhead {
  #make;
  /** {track, made: PreparedOffer|null}: the one being made or made; null: none. */
  #entry = null;

  /** @param {(stream: MediaStream) => Promise<PreparedOffer>} make */
  constructor(make) {
    this.#make = make;
  }

  /** Whether an offer is being made or is ready. */
  get prepared() { return this.#entry !== null; }

  /** Makes the connection and offer for `stream`'s track, unless one for that track exists. Never rejects. */
  async prepare(stream) {
    const track = stream?.getAudioTracks?.()[0];
    if (!track || this.#entry?.track === track) return;
    this.release();
    const entry = this.#entry = { track, made: null };
    try {
      const made = await this.#make(stream);
      if (this.#entry === entry) entry.made = made;
      else closeMade(made);
    } catch {
      if (this.#entry === entry) this.#entry = null; // the join makes its own
    }
  }

  /**
   * Hands over what was made ahead if it is ready and sends `track`, or null. Either way nothing is held afterwards:
   * the first connection of a join takes it, or nobody does.
   * @param {MediaStreamTrack|null} track the microphone of the call
   * @param {boolean} sending whether we send audio (a listener, or muted by a moderator, negotiates recvonly)
   * @returns {PreparedOffer|null}
   */
  take(track, sending) {
    const entry = this.#entry;
    this.#entry = null;
    const made = entry?.made ?? null;
    if (made && sending && track === made.track && track.readyState !== 'ended' && made.pc.signalingState === 'stable') return made;
    closeMade(made);
    return null;
  }

  /** Closes what was made ahead, if anything; safe to call any time. */
  release() {
    const entry = this.#entry;
    this.#entry = null;
    closeMade(entry?.made ?? null);
  }
}

function closeMade(made) {
  try { made?.pc.close(); } catch { /* already closed */ }
}
