// OutgoingAudio: our microphone on one PeerSession's connection (peer.js): the track on the audio transceiver's
// sender, and the direction we negotiate. Sending (setSending) is negotiated: `recvonly` is what the server accepts
// from a listener or from someone muted by a moderator. Pausing (setPaused: positional voice, whisper) is not:
// the sender carries no track, so no RTP packets go out, and the negotiated direction stays as it is.
// Until an existing member has answered the newcomer's first offer there is no transceiver of ours to change: each
// change is remembered and applied to that answer (attachForFirstAnswer). The session says which applies (`live`).

export class OutgoingAudio {
  #pc; #closed; #track; #stream; #sending;
  #paused = false;

  /**
   * @param {object} o
   * @param {RTCPeerConnection} o.pc
   * @param {() => boolean} o.closed whether the session is closed (a closed connection's refusal is no error)
   * @param {MediaStreamTrack|null} o.track
   * @param {MediaStream|null} o.stream
   * @param {boolean} o.sending
   */
  constructor({ pc, closed, track, stream, sending }) {
    this.#pc = pc;
    this.#closed = closed;
    this.#track = track;
    this.#stream = stream;
    this.#sending = Boolean(sending);
  }

  get sending() { return this.#sending; }
  get paused() { return this.#paused; }
  get stream() { return this.#stream; }

  /** The newcomer's transceiver, added before its first offer. */
  addTransceiver() {
    const streams = this.#stream ? [this.#stream] : [];
    this.#pc.addTransceiver(this.#track ?? 'audio', { direction: this.#direction(), streams });
  }

  setSending(sending, live) {
    this.#sending = Boolean(sending);
    if (!live) return;
    const transceiver = this.#transceiver();
    const direction = this.#direction();
    if (transceiver && transceiver.direction !== direction) transceiver.direction = direction;
  }

  setPaused(paused, live) {
    if (Boolean(paused) === this.#paused) return Promise.resolve();
    this.#paused = Boolean(paused);
    if (!live) return Promise.resolve();
    const sender = this.#transceiver()?.sender;
    return sender ? this.#putTrack(sender, this.#track) : Promise.resolve();
  }

  async setTrack(track, stream, live) {
    this.#track = track;
    this.#stream = stream;
    if (!live) return; // before the first offer: attached when answering
    const transceiver = this.#transceiver();
    if (!transceiver) {
      const added = this.#pc.addTransceiver(track ?? 'audio', { direction: this.#direction(), streams: stream ? [stream] : [] });
      if (this.#paused) await this.#putTrack(added.sender, track);
      return;
    }
    if (transceiver.direction !== this.#direction()) transceiver.direction = this.#direction();
    await this.#putTrack(transceiver.sender, track);
  }

  /** The existing member's first answer: put the mic on the transceiver the newcomer's offer created. */
  attachForFirstAnswer(reportError) {
    if (!this.#track) return; // listen-only: the transceiver stays recvonly
    const transceiver = this.#transceiver();
    if (!transceiver) return;
    // addTrack reuses the offer's transceiver (never used to send, same kind) and makes it sendrecv;
    // it also carries our stream id, so the remote side's `track` event has a stream.
    if (this.#stream) this.#pc.addTrack(this.#track, this.#stream);
    else transceiver.sender.replaceTrack(this.#track);
    // Paused before this answer (out of range, not a whisper target): the stream id stays, the packets do not flow.
    if (this.#paused) this.#putTrack(transceiver.sender, null).catch(reportError);
    // Not sending (muted by a moderator): the track waits on the transceiver, the answer says recvonly.
    transceiver.direction = this.#direction();
  }

  /** The track on our sender: `track`, or none while paused. A closed connection's refusal is no error. */
  async #putTrack(sender, track) {
    try {
      await sender.replaceTrack(this.#paused ? null : track);
    } catch (err) {
      if (!this.#closed()) throw err;
    }
  }

  /** sendrecv while we send and have a microphone; else recvonly (what the server accepts from a non-publisher). */
  #direction() {
    return this.#sending && this.#track ? 'sendrecv' : 'recvonly';
  }

  #transceiver() {
    return this.#pc.getTransceivers().find((t) => !t.stopped && t.receiver?.track?.kind === 'audio');
  }
}
