// PeerSession: one RTCPeerConnection to one remote participant (full mesh: one per remote).
//
// Negotiation follows W3C "perfect negotiation" (polite side yields on glare) with one rule on top,
// learned on Chromium: the first offer always comes from the newcomer (`initiator: true`). An existing
// member creates no transceiver and makes no offer until the newcomer's offer has arrived; it then
// attaches its microphone to the transceiver that offer created and answers. Textbook perfect
// negotiation, where both sides add a track and offer at once, hung ICE in 3 of 8 calls.
// Later renegotiations (ICE restart, track changes) may start from either side.
//
// Local offers and answers are created explicitly, munged (Opus for voice), then set. A newcomer's first connection
// and offer may have been made ahead of the join (offer-ahead.js): it is then only configured, set and sent.
// Remote ICE candidates wait in a queue until the remote description is set.
//
// Every connection carries the `parley` data channel (peer-channel.js), created here on both sides
// before the first offer. Events: statechange, track, error, bye (the peer said goodbye), channel-close
// (its channel closed: the far side's connection went away), pong (the answer to ping(): the far side's page runs),
// channel-open (the `parley` channel opened), message {message} (any other message on it: positional.js).
//
// Our microphone on the connection (setSending, setPaused, setLocalTrack) is outgoing-audio.js; the session's state
// and its own ICE restarts are peer-state.js.

import { ParleyError } from './errors.js';
import { tuneOpus } from './opus.js';
import { ParleyChannel } from './peer-channel.js';
import { OutgoingAudio } from './outgoing-audio.js';
import { PeerStateWatch } from './peer-state.js';

export { isPolite, peerStateFor } from './peer-state.js';

export class PeerSession extends EventTarget {
  #pc; #remoteId; #polite; #send; #munge; #audio; #stateWatch;
  #canOffer; #makingOffer = false; #settingLocalOffer = null; #ignoreOffer = false; #settingRemoteAnswer = false;
  /** `track` events held back (#releaseTracks; null: none held). */
  #heldTracks = null;
  /** A remote offer is being answered: its `track` events wait until the answer is out. */
  #answering = false;
  #pendingCandidates = [];
  #chain = Promise.resolve();
  #state = 'connecting';
  #remoteStream = null;
  #closed = false;
  #channel;

  /**
   * @param {object} o
   * @param {string} o.remoteId the remote participant's id
   * @param {boolean} o.polite this side yields on offer glare (see isPolite)
   * @param {boolean} o.initiator this side makes the first offer (the newcomer)
   * @param {{offer(sdp: string): void, answer(sdp: string): void, candidate(c: RTCIceCandidateInit): void}} o.send
   * @param {MediaStreamTrack|null} [o.localTrack]
   * @param {MediaStream|null} [o.localStream]
   * @param {RTCConfiguration} [o.rtcConfig]
   * @param {(sdp: string) => string} [o.mungeSdp] applied to local offers/answers (default tuneOpus)
   * @param {number} [o.maxIceRestarts=2] restartIce() attempts after `failed` by the session itself (0 when a
   *   PeerRecovery decides instead)
   * @param {boolean} [o.sending=true] false: negotiate audio `recvonly` (a listener, or muted by a moderator:
   *   the server refuses an offer or answer that would send)
   * @param {import('./offer-ahead.js').PreparedOffer|null} [o.prepared] an initiator's connection and first offer,
   *   made ahead of the join with `localTrack` (offer-ahead.js): used instead of a new connection and createOffer
   */
  constructor({ remoteId, polite, initiator, send, localTrack = null, localStream = null,
    rtcConfig = {}, mungeSdp = tuneOpus, maxIceRestarts = 2, sending = true, prepared = null,
    RTCPeerConnection: Impl = globalThis.RTCPeerConnection }) {
    super();
    this.#remoteId = remoteId;
    this.#polite = polite;
    this.#send = send;
    this.#munge = mungeSdp;
    this.#canOffer = Boolean(initiator);
    const ahead = initiator ? adopt(prepared, rtcConfig) : null;
    const pc = this.#pc = ahead?.pc ?? new Impl(rtcConfig);
    this.#audio = new OutgoingAudio({ pc, closed: () => this.#closed, track: localTrack, stream: localStream, sending });
    this.#stateWatch = new PeerStateWatch(pc, maxIceRestarts);
    pc.onnegotiationneeded = () => this.#negotiate();
    pc.onicecandidate = ({ candidate }) => {
      // End of candidates (null) is not relayed: it saves a message per peer and nobody needs it.
      if (!candidate || !candidate.candidate || this.#closed) return;
      this.#trySend('candidate', candidate.toJSON ? candidate.toJSON() : candidate);
    };
    pc.ontrack = (ev) => this.#onTrack(ev);
    pc.onconnectionstatechange = () => this.#updateState();
    pc.oniceconnectionstatechange = () => this.#updateState();
    // Before any offer, on both sides: negotiated channels need no `datachannel` event.
    this.#channel = new ParleyChannel(pc, {
      onMessage: (msg) => this.#onChannelMessage(msg),
      onClose: () => { if (!this.#closed) this.#emit('channel-close', {}); },
      onOpen: () => { if (!this.#closed) this.#emit('channel-open', {}); },
    }, ahead?.channel);
    if (initiator) {
      if (!ahead) this.#audio.addTransceiver();
      // The first offer starts now, not when `negotiationneeded` is dispatched: that event is a task queued
      // behind whatever the page does next (on `joined`, its whole re-render), ~30-60 ms on a busy page. The
      // event, when it comes, finds the offer made (or being made) and does nothing. An offer made ahead leaves
      // within this call.
      this.#negotiate(ahead?.sdp, ahead?.sent ?? false);
      // Made ahead with another microphone, or while we still sent (kept only when the join delivered its offer):
      // the call's track and direction replace them, chained after the offer (replaceTrack needs no new offer; a
      // direction change renegotiates once the answer is in).
      if (ahead && (ahead.track !== localTrack || !sending)) {
        this.#audio.setTrack(localTrack, localStream, true).catch((err) => this.#reportError(err));
      }
    }
  }

  get remoteId() { return this.#remoteId; }
  get polite() { return this.#polite; }
  /** connecting | connected | reconnecting | failed | closed */
  get state() { return this.#state; }
  /** The remote participant's audio, once their track has arrived. */
  get remoteStream() { return this.#remoteStream; }
  get connection() { return this.#pc; }
  /** The remote description's SDP (null before the first one). */
  get remoteSdp() { return this.#pc.remoteDescription?.sdp ?? null; }
  /** Whether our audio is negotiated to be sent (false: `recvonly`). */
  get sending() { return this.#audio.sending; }

  /**
   * Sends our audio (`sendrecv`) or not (`recvonly`). A change renegotiates through perfect negotiation
   * (negotiationneeded); before the first answer of an existing member it applies to that answer.
   */
  setSending(sending) { this.#audio.setSending(sending, this.#live); }

  /** Whether our audio to this peer is paused (setPaused). */
  get paused() { return this.#audio.paused; }

  /**
   * Pauses (true) or resumes our audio to this peer, without renegotiation: replaceTrack(null) sends no packets.
   * Before an existing member's first answer it applies to that answer.
   */
  setPaused(paused) { return this.#audio.setPaused(paused, this.#live); }

  /** Sends a message on the `parley` channel; false when it is not open. */
  sendMessage(message) { return this.#channel.send(message); }

  /** Says goodbye on the data channel (best effort: false when it is not open). */
  sendBye() { return this.#channel.send({ type: 'bye' }); }

  /** Asks the far side's page to answer `pong` (a `pong` event); false when the channel is not open. */
  ping() { return this.#channel.send({ type: 'ping' }); }

  /** Restarts ICE: an offer with new ICE credentials follows (negotiationneeded). */
  restartIce() {
    // Before the first answer an existing member has nothing to restart: the newcomer's offer is pending.
    if (this.#closed || !this.#canOffer || typeof this.#pc.restartIce !== 'function') return false;
    this.#pc.restartIce();
    return true;
  }

  /** Applies a remote `offer` or `answer`. Calls are serialised with candidates, in arrival order. */
  handleDescription(description) {
    return this.#enqueue(() => this.#applyDescription(description));
  }

  /** Applies a remote ICE candidate (null = end of candidates), queued until a remote description exists. */
  handleCandidate(candidate) {
    return this.#enqueue(async () => {
      if (!this.#pc.remoteDescription) {
        this.#pendingCandidates.push(candidate);
        return;
      }
      await this.#addCandidate(candidate);
    });
  }

  /** Replaces the microphone track (device switch, or a mic added to a listen-only session). */
  async setLocalTrack(track, stream = this.#audio.stream) { return this.#audio.setTrack(track, stream, this.#live); }

  /** Whether our audio can be changed on the connection now; before an existing member's first answer it waits. */
  get #live() { return !this.#closed && this.#canOffer; }

  /** Closes the connection; safe to call twice. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#channel.detach();
    const pc = this.#pc;
    pc.onnegotiationneeded = pc.onicecandidate = pc.ontrack = null;
    pc.onconnectionstatechange = pc.oniceconnectionstatechange = null;
    try { pc.close(); } catch { /* already closed */ }
    this.#pendingCandidates = [];
    this.#setState('closed');
  }

  #enqueue(step) {
    const run = this.#chain.then(() => (this.#closed ? undefined : step()));
    this.#chain = run.catch((err) => this.#reportError(err));
    return this.#chain;
  }

  /**
   * @param {string} [preparedSdp] the first offer, made ahead (munged already): set and sent without createOffer
   * @param {boolean} [sent] that offer went with the join (the server delivered it): only set here
   */
  async #negotiate(preparedSdp, sent = false) {
    if (this.#closed) return;
    // An existing member waits for the newcomer's offer. Its only trigger before then is the `parley`
    // channel, which that offer negotiates too: nothing is left to offer afterwards.
    if (!this.#canOffer) return;
    const pc = this.#pc;
    // An offer under way, or one awaiting its answer, covers this request: the browser fires `negotiationneeded`
    // again once back in `stable` if something is still left to negotiate (W3C webrtc-pc §4.7.3).
    if (this.#makingOffer || pc.signalingState !== 'stable') return;
    try {
      this.#makingOffer = true;
      let sdp = preparedSdp;
      if (sdp === undefined) {
        const offer = await pc.createOffer();
        if (pc.signalingState !== 'stable' || this.#closed) return; // a remote offer won the race
        sdp = this.#munge(offer.sdp);
      }
      // Sent while it is being set, not after: on a busy page (the re-render after `joined`) the wait for
      // setLocalDescription's promise costs a whole task. The SDP is exactly the one set (no candidates yet; they
      // trickle); an answer that comes back first waits for it (#applyDescription).
      const setting = this.#settingLocalOffer = pc.setLocalDescription({ type: 'offer', sdp });
      if (!sent) this.#trySend('offer', sdp);
      await setting;
    } catch (err) {
      if (pc.signalingState === 'stable' && !this.#closed) this.#reportError(err);
    } finally {
      this.#makingOffer = false;
      this.#settingLocalOffer = null;
    }
  }

  async #applyDescription({ type, sdp }) {
    const pc = this.#pc;
    // Our offer went out before setLocalDescription finished: its answer waits for it (a failure is reported there).
    if (type === 'answer' && this.#settingLocalOffer) await this.#settingLocalOffer.catch(() => {});
    const offerCollision = type === 'offer' &&
      (this.#makingOffer || (pc.signalingState !== 'stable' && !this.#settingRemoteAnswer));
    this.#ignoreOffer = !this.#polite && offerCollision;
    if (this.#ignoreOffer) return;
    if (type === 'answer' && pc.signalingState !== 'have-local-offer') return; // stale answer

    this.#settingRemoteAnswer = type === 'answer';
    // A remote description's `track` (dispatched while it is being set) waits until our answer, if we owe one, is out
    // and ICE has connected: the page's handling of it (the audio element, Web Audio, its list entry) would
    // otherwise stand on the main thread before the answer and before the ICE candidates gathered meanwhile
    // (docs/benchmarks.md, "Join to hearing"). No audio can arrive before then anyway.
    this.#heldTracks ??= [];
    this.#answering = type === 'offer';
    try {
      await this.#setRemote(type, sdp);
    } finally {
      this.#answering = false;
      this.#releaseTracks();
    }
  }

  async #setRemote(type, sdp) {
    const pc = this.#pc;
    try {
      await pc.setRemoteDescription({ type, sdp }); // a polite side with an offer of its own rolls back
    } finally {
      this.#settingRemoteAnswer = false;
    }
    const queued = this.#pendingCandidates.splice(0);
    for (const candidate of queued) await this.#addCandidate(candidate);
    if (type !== 'offer') return;

    if (!this.#canOffer) this.#audio.attachForFirstAnswer((err) => this.#reportError(err));
    const answer = await pc.createAnswer();
    const answerSdp = this.#munge(answer.sdp);
    // Sent while it is being set, as the offer is (#negotiate): the offerer needs our candidates too before it can
    // connect, and those are gathered only once this description is set, so nothing can arrive before it matters.
    const setting = pc.setLocalDescription({ type: 'answer', sdp: answerSdp });
    this.#trySend('answer', answerSdp);
    this.#canOffer = true;
    this.#answering = false;
    this.#releaseTracks();
    await setting;
  }

  async #addCandidate(candidate) {
    try {
      await this.#pc.addIceCandidate(candidate ?? undefined);
    } catch (err) {
      if (!this.#ignoreOffer) throw err; // candidates of an ignored offer are expected to fail
    }
  }

  #onChannelMessage(msg) {
    switch (msg.type) {
      case 'bye': return this.#emit('bye', {});
      case 'ping': return this.#channel.send({ type: 'pong' });
      case 'pong': return this.#emit('pong', {});
      default: return this.#emit('message', { message: msg });
    }
  }

  #onTrack(ev) {
    const stream = ev.streams?.[0] ?? new MediaStream([ev.track]);
    this.#remoteStream = stream;
    const detail = { track: ev.track, stream };
    if (this.#heldTracks) this.#heldTracks.push(detail);
    else this.dispatchEvent(new CustomEvent('track', { detail }));
  }

  /**
   * Dispatches the `track` events held while a remote description was applied (#applyDescription), and holds no
   * more, once no answer of ours is pending and ICE is past `checking` (connected, or failed: the app learns of the
   * track either way).
   */
  #releaseTracks() {
    const held = this.#heldTracks;
    const ice = this.#pc.iceConnectionState;
    if (!held || this.#answering || ice === 'new' || ice === 'checking') return;
    this.#heldTracks = null;
    for (const detail of held) {
      if (!this.#closed) this.dispatchEvent(new CustomEvent('track', { detail }));
    }
  }

  #updateState() {
    if (this.#closed) return;
    this.#releaseTracks();
    const next = this.#stateWatch.next();
    if (next) this.#setState(next);
  }

  #setState(next) {
    if (next === this.#state) return;
    const previous = this.#state;
    this.#state = next;
    this.#emit('statechange', { state: next, previous });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #trySend(kind, payload) {
    try {
      this.#send[kind](payload);
    } catch (err) {
      this.#reportError(err);
    }
  }

  #reportError(err) {
    if (this.#closed) return;
    const error = err instanceof ParleyError ? err
      : new ParleyError('negotiation-failed', `Negotiation with ${this.#remoteId} failed: ${err?.message ?? err}`,
        { cause: err });
    this.dispatchEvent(new CustomEvent('error', { detail: { error } }));
  }
}

/**
 * The connection made ahead (offer-ahead.js), given the room's ICE servers now, before its offer is set (candidates
 * are gathered from then on, with them); null when there is none or it cannot take this configuration (a closed one,
 * or `rtcConfig` changes what a connection cannot change): the session makes its own and closes it.
 */
function adopt(prepared, rtcConfig) {
  if (!prepared) return null;
  try {
    prepared.pc.setConfiguration(rtcConfig);
    return prepared;
  } catch {
    try { prepared.pc.close(); } catch { /* already closed */ }
    return null;
  }
}
