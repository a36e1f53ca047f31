// OfferAhead: the newcomer's first connection and its offer, made while the person is still on the join form
// (room.prewarm(), once the microphone is open), so that the offer leaves with the join itself.
//
// Making a connection and its first offer costs 20-40 ms of the click-to-hearing path on the newcomer's main
// thread (the connection's certificate, the transceiver, createOffer; docs/benchmarks.md, "Join to hearing"). None
// of it depends on who is in the room, so it is done ahead, once, for whichever participant the join finds first.
// The offer's SDP goes with the `join` (offerFor()): the server hands it to the first participant it lists and says
// whom in `joined.offerTo` (docs/protocol.md, "An offer with the join"), a relay sooner than sending it on `joined`.
// Nothing is set before `joined`: the room's ICE servers come with it, and candidates are gathered only once the
// offer is set, with those servers (PeerSession applies them with setConfiguration first). What was made ahead is
// used only with the same microphone track and while we send; otherwise, and after a join that finds nobody, it is
// closed.

/**
 * @typedef {object} PreparedOffer
 * @property {RTCPeerConnection} pc a connection with the `parley` channel and our audio transceiver
 * @property {RTCDataChannel} channel the `parley` channel (peer-channel.js)
 * @property {string} sdp the offer, munged, not yet set
 * @property {MediaStreamTrack} track the microphone track it sends
 * @property {boolean} [sent] the server delivered it with the join: the connection sets it and does not send it
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
   * The offer's SDP to send with the join, if one is ready for `track`; from then on it is the join's (settle()).
   * @param {MediaStreamTrack|null} track the microphone of the call
   * @returns {string|null}
   */
  offerFor(track) {
    const entry = this.#entry;
    if (!usable(entry?.made, track)) return null;
    entry.sent = true;
    return entry.made.sdp;
  }

  /**
   * What `joined` said of the join's offer: `offerTo` got it (only the connection to it may take it), or, without
   * `offerTo`, nobody did (the first connection sends it as usual).
   * @param {string|undefined} offerTo
   */
  settle(offerTo) {
    const entry = this.#entry;
    if (!entry?.sent) return;
    entry.sent = false;
    if (typeof offerTo === 'string' && offerTo) entry.to = offerTo;
  }

  /**
   * Hands over what was made ahead if it is ready and sends `track`, or null. Either way nothing is held afterwards:
   * the first connection of a join takes it, or nobody does; an offer the server delivered with the join goes to
   * the connection to that participant only, and to it even for another track or while not sending.
   * @param {MediaStreamTrack|null} track the microphone of the call
   * @param {boolean} sending whether we send audio (a listener, or muted by a moderator, negotiates recvonly)
   * @param {string} [remoteId] whom the connection is for
   * @returns {PreparedOffer|null}
   */
  take(track, sending, remoteId) {
    const entry = this.#entry;
    if (entry?.to && entry.to !== remoteId) return null;
    this.#entry = null;
    const made = entry?.made ?? null;
    // `offerTo` has this offer already and answers it: a new connection's offer (another DTLS fingerprint) would fail
    // there. So its connection is kept even if the microphone changed, or sending was refused, since the click: the
    // session puts the call's track and direction on it (PeerSession, `prepared.track`).
    if (entry?.to && made && made.pc.signalingState === 'stable') return { ...made, sent: true };
    if (sending && usable(made, track)) return made;
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

function usable(made, track) {
  return Boolean(made) && track === made.track && track.readyState !== 'ended' && made.pc.signalingState === 'stable';
}

function closeMade(made) {
  try { made?.pc.close(); } catch { /* already closed */ }
}
