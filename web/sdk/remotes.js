// RemotePeers: the other participants of a room, each with one PeerSession (full mesh) and one
// PeerRecovery. Audio never depends on the server, so this keeps every call going while signaling is down:
//   - a working connection is kept whatever the server says when it comes back (peer-decisions.js);
//   - a connection that stops working is recovered in bounded steps (peer-recovery.js);
//   - a participant is removed at once, even without the server, when it says `bye` on the `parley`
//     channel or its channel closes while the connection was working (its page went away), and when
//     recovery gives up while the server cannot confirm it is still in the room;
//   - a participant the server announces away (its socket dropped: a crash, a killed browser) is pinged on the
//     `parley` channel, and reported `peer-lost` if it does not answer, so the server announces it left at once.
// The room (room.js) feeds it signaling events and owns everything local (microphone, meters).

import { PeerSession, isPolite } from './peer.js';
import { PeerRecovery, RECOVERY } from './peer-recovery.js';
import { SYSTEM_CLOCK } from './clock.js';
import { Participant } from './participant.js';
import { offerDecision, resumePlan, participantJoinedDecision } from './peer-decisions.js';
import { measureQuality } from './quality.js';
import { firstConnections } from './join-report.js';

export class RemotePeers {
  #host;
  /**
   * id -> {participant, peer, recovery, confirmed, quality, awayProbe} (confirmed: the server listed them since it
   * came back; quality: the last measurement, for the next one's deltas; awayProbe: the timer of a ping on the
   * `parley` channel after `participant-away`, or null)
   */
  #entries = new Map();
  #signalingUp = true;

  /**
   * @param {object} host
   * @param {() => string} host.selfId
   * @param {(o: {remoteId: string, polite: boolean, initiator: boolean}) => PeerSession} host.createPeer
   * @param {(type: string, detail: object) => void} host.emit room events
   * @param {import('./hearing.js').Hearing} host.hearing
   * @param {() => boolean} host.deafened
   * @param {(participant: Participant, stream: MediaStream) => void} host.startMeter
   * @param {(id: string) => void} host.stopMeter
   * @param {(id: string) => void} [host.peerLost] our connection to `id` stopped working (tell the server)
   * @param {{setTimeout: Function, clearTimeout: Function}} [host.clock]
   * @param {number} [host.announceMaxMs] a newcomer is announced once its connection is up, this long at most (0: at once)
   * @param {object} [host.recoveryTiming] PeerRecovery timing
   * @param {import('./positional.js').SpatialVoice} [host.voice] positional voice, whisper and talk groups
   */
  constructor(host) {
    this.#host = host;
  }

  get size() { return this.#entries.size; }
  participants() { return [...this.#entries.values()].map((e) => e.participant); }
  get(id) { return this.#entries.get(id)?.participant ?? null; }
  peer(id) { return this.#entries.get(id)?.peer ?? null; }
  peers() { return [...this.#entries.values()].map((e) => e.peer); }
  /** Every remote participant with its current connection (positional.js decides per connection). */
  connections() { return [...this.#entries.values()]; }

  /**
   * Adds a participant with a new connection; `initiator`: we make the first offer (we are the newcomer).
   * `announce` false: no `participant-joined` yet (announce() says it), so a newcomer's connections, and their
   * offers, start before the room reports everything else about its join.
   */
  add(info, initiator, announce = true) {
    if (!info?.id || info.id === this.#host.selfId()) return;
    if (this.#entries.has(info.id)) this.remove(info.id, 'replaced');
    const participant = new Participant(info, false);
    const id = participant.id;
    this.#host.hearing.setup(participant, this.#host.deafened());
    const entry = { participant, peer: null, recovery: null, confirmed: true, quality: null, awayProbe: null, announced: false };
    entry.recovery = new PeerRecovery({
      canRenegotiate: !isPolite(this.#host.selfId(), id),
      clock: this.#host.clock,
      timing: this.#host.recoveryTiming,
      actions: {
        // A connection that did not come back by itself: tell the server too, which checks that they are
        // still there, so someone whose power or network went leaves everyone's list within seconds.
        restartIce: () => { this.#host.peerLost?.(id); entry.peer.restartIce(); },
        renegotiate: () => this.#connect(entry, true),
        giveUp: () => this.#giveUp(entry),
      },
    });
    entry.recovery.setSignalingUp(this.#signalingUp);
    this.#entries.set(id, entry);
    this.#connect(entry, initiator);
    if (announce) this.announce(id);
  }

  /** `participant-joined` for a participant added without it. */
  announce(id) {
    const entry = this.#entries.get(id);
    if (!entry || entry.announced) return;
    entry.announced = true;
    this.#host.emit('participant-joined', { participant: entry.participant });
    this.#host.voice?.participantsChanged();
  }

  remove(id, reason) {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#entries.delete(id);
    this.#endAwayProbe(entry);
    entry.recovery.dispose();
    entry.peer.close();
    this.#host.stopMeter(id);
    this.#host.hearing.release(entry.participant);
    // Never announced (it left while connecting): the app never heard of it, so it hears nothing now either.
    if (entry.announced) this.#host.emit('participant-left', { participant: entry.participant, reason });
    this.#host.voice?.participantsChanged();
  }

  /** Closes everything without events (the room is torn down). */
  clear() {
    for (const entry of this.#entries.values()) {
      this.#endAwayProbe(entry);
      entry.recovery.dispose();
      entry.peer.close();
      this.#host.hearing.release(entry.participant);
    }
    this.#entries.clear();
  }

  /** Changes (and remembers) how I hear participant `id`: {volume} and/or {muted}. */
  changeHearing(id, change) {
    const p = this.get(id);
    const changes = p ? this.#host.hearing.change(p, change, this.#host.deafened()) : [];
    if (changes.length) this.#host.emit('participant-updated', { participant: p, changes });
  }

  /** Deafen or undeafen: everyone's gain again. */
  applyHearing() {
    for (const { participant } of this.#entries.values()) this.#host.hearing.apply(participant, this.#host.deafened());
  }

  /** RTT, packet loss and jitter of the connection to `id` (null when there is none). */
  async measureQuality(id) {
    const entry = this.#entries.get(id);
    if (!entry) return null;
    const peer = entry.peer;
    const quality = await measureQuality(peer.connection, entry.quality);
    if (entry.peer === peer) entry.quality = quality;
    return quality;
  }

  /** `bye` on every open `parley` channel: the others drop us at once, even without the server. */
  sayBye() {
    for (const entry of this.#entries.values()) entry.peer.sendBye();
  }

  /**
   * Follows the signaling messages about the others; `guard(handler)` wraps each listener (the room drops
   * events of an earlier session).
   */
  listen(signaling, guard) {
    const on = (type, handler) => signaling.addEventListener(type, guard(handler));
    on('participant-joined', (m) => this.onParticipantJoined(m));
    on('participant-left', (m) => this.remove(m.id, m.reason ?? 'left'));
    on('participant-away', (m) => this.onParticipantAway(m.id));
    on('participant-updated', (m) => this.onParticipantUpdated(m.participant));
    on('participant-state', (m) => {
      const entry = this.#entries.get(m.id);
      const changes = entry?.participant.applyState(m) ?? [];
      if (changes.length) this.#updated(entry, changes);
    });
    on('offer', (m) => this.onOffer(m.from, m.sdp));
    on('answer', (m) => this.onAnswer(m.from, m.sdp));
    on('candidate', (m) => this.onCandidate(m.from, m.candidate));
  }

  /**
   * participant-away: the server saw their socket drop without a goodbye. That is a crashed or killed browser (or a
   * laptop whose lid closed) when our connection to them is gone too: then say so at once with `peer-lost`, and the
   * server announces them left, within seconds instead of after its grace period. ICE alone takes 5-7 s to notice,
   * so a connection that looks fine is asked: a `ping` on the `parley` channel that their page answers at once while
   * it runs; no `pong` within awayProbeMs means gone. A live page whose socket dropped answers (and resumes by itself).
   */
  onParticipantAway(id) {
    const entry = this.#entries.get(id);
    if (!entry || entry.awayProbe !== null) return;
    const { peer, recovery } = entry;
    if (peer.state !== 'connected' || recovery.recovering || !peer.ping()) {
      this.#host.peerLost?.(id);
      return;
    }
    const timing = { ...RECOVERY, ...this.#host.recoveryTiming };
    entry.awayProbe = this.#clock.setTimeout(() => {
      entry.awayProbe = null;
      if (this.#entries.get(id) === entry) this.#host.peerLost?.(id);
    }, timing.awayProbeMs);
  }

  /**
   * participant-updated: a moderator or the app's backend changed their name, metadata, permissions or server
   * mute. Losing the right to publish, or a server mute, silences them at once (hearing.js).
   */
  onParticipantUpdated(info) {
    const entry = this.#entries.get(info?.id);
    if (!entry) return;
    const changes = entry.participant.applyInfo(info);
    if (!changes.length) return;
    this.#host.hearing.apply(entry.participant, this.#host.deafened());
    this.#updated(entry, changes);
    if (changes.includes('name')) this.#host.voice?.participantsChanged();
  }

  /** Whether our audio goes to everyone (sendrecv) or not (recvonly): every connection renegotiates. */
  setSending(sending) {
    for (const { peer } of this.#entries.values()) peer.setSending(sending);
  }

  /**
   * participant-joined: new, joined anew with a known id, or resumed (keep or wait for their offer). From a server we
   * were here first and wait for their offer; in a tracker room (meeting-peers.js) `initiator` says who offers.
   */
  onParticipantJoined({ participant: info, resumed, initiator = false }) {
    const entry = this.#entries.get(info?.id);
    if (entry) this.#endAwayProbe(entry); // back on the server: nothing to report
    switch (participantJoinedDecision(entry ? entry.participant.state : null, Boolean(resumed))) {
      case 'add':
      case 'replace':
        return this.#addAnnouncedWhenConnected(info, initiator === true);
      case 'keep':
        entry.confirmed = true;
        return this.#applyInfo(entry, info);
      case 'await-offer':
        // They offer (on a new connection) to everyone they have no working connection with. Wait for it on
        // a new connection too: an offer we made while they were away was dropped by the server, and
        // waiting on it would deadlock with theirs.
        entry.confirmed = true;
        entry.recovery.replaced();
        this.#connect(entry, false);
        return this.#applyInfo(entry, info);
    }
  }

  /** An offer: applied to our connection, or answered on a new one when theirs or ours started over. */
  onOffer(from, sdp) {
    const entry = this.#entries.get(from);
    if (!entry) return;
    const decision = offerDecision({ state: entry.participant.state, currentRemoteSdp: entry.peer.remoteSdp, offerSdp: sdp });
    if (decision === 'replace') {
      entry.recovery.replaced();
      this.#connect(entry, false);
    }
    entry.peer.handleDescription({ type: 'offer', sdp });
  }

  onAnswer(from, sdp) { this.peer(from)?.handleDescription({ type: 'answer', sdp }); }
  onCandidate(from, candidate) { this.peer(from)?.handleCandidate(candidate ?? null); }

  /** Our own `resume` succeeded: keep what works, offer to the others listed, keep the unlisted for now. */
  onResumed(joined) {
    const listed = Array.isArray(joined.participants) ? joined.participants : [];
    const states = new Map([...this.#entries].map(([id, e]) => [id, e.participant.state]));
    const plan = resumePlan(listed, states);
    const infos = new Map(listed.map((info) => [info.id, info]));
    for (const id of plan.keep) {
      const entry = this.#entries.get(id);
      entry.confirmed = true;
      this.#applyInfo(entry, infos.get(id));
    }
    for (const id of plan.renegotiate) {
      const entry = this.#entries.get(id);
      entry.confirmed = true;
      this.#applyInfo(entry, infos.get(id));
      entry.recovery.replaced();
      this.#connect(entry, true);
    }
    for (const id of plan.unlisted) this.#entries.get(id).confirmed = false;
    for (const info of plan.add) this.add(info, true);
  }

  /** While the server is down, recovery steps that need it wait; a peer given up on is removed at once. */
  setSignalingUp(up) {
    this.#signalingUp = up;
    for (const entry of [...this.#entries.values()]) entry.recovery.setSignalingUp(up);
  }

  /** Fresh ICE servers (new TURN credentials) for every connection, where the browser allows it. */
  setIceServers(iceServers) {
    for (const { peer } of this.#entries.values()) {
      try {
        const pc = peer.connection;
        pc.setConfiguration?.({ ...pc.getConfiguration?.(), iceServers });
      } catch { /* a configuration the browser will not change: the next new connection gets them */ }
    }
  }

  /** Puts a new PeerSession in place of the entry's current one (closed quietly). */
  #connect(entry, initiator) {
    const { participant } = entry;
    const id = participant.id;
    entry.peer?.close();
    entry.quality = null;
    const peer = entry.peer = this.#host.createPeer({ remoteId: id, polite: isPolite(this.#host.selfId(), id), initiator });
    const current = (handler) => (ev) => { if (entry.peer === peer && this.#entries.get(id) === entry) handler(ev.detail); };
    peer.addEventListener('statechange', current(({ state }) => {
      if (state === 'closed') return;
      entry.recovery.update(state);
      this.#refreshState(entry);
    }));
    peer.addEventListener('track', current((detail) => {
      this.#host.hearing.play(participant, detail.stream, this.#host.deafened());
      this.#host.startMeter(participant, detail.stream);
      this.#host.emit('track', { participant, track: detail.track, stream: detail.stream });
    }));
    peer.addEventListener('error', current(({ error }) => this.#host.emit('error', { error, participant })));
    peer.addEventListener('bye', current(() => this.remove(id, 'left')));
    peer.addEventListener('pong', current(() => this.#endAwayProbe(entry)));
    // Positional voice: a new channel hears our whole state (it survives reconnects); a new connection starts
    // paused if our audio should not reach them.
    peer.addEventListener('channel-open', current(() => this.#host.voice?.peerReady(entry)));
    peer.addEventListener('message', current(({ message }) => this.#host.voice?.peerMessage(entry, message)));
    this.#host.voice?.apply(entry, true);
    peer.addEventListener('channel-close', current(() => {
      // Their connection closed. While we recover it, the recovery decides instead.
      if (!entry.recovery.recovering) this.remove(id, 'disconnected');
    }));
    this.#refreshState(entry);
  }

  get #clock() { return this.#host.clock ?? SYSTEM_CLOCK; }

  #endAwayProbe(entry) {
    if (entry.awayProbe === null) return;
    this.#clock.clearTimeout(entry.awayProbe);
    entry.awayProbe = null;
  }

  #giveUp(entry) {
    entry.peer.close();
    // Without the server to say they are still here, a connection that cannot be recovered means gone.
    if (!this.#signalingUp || !entry.confirmed) this.remove(entry.participant.id, 'disconnected');
    else this.#refreshState(entry);
  }

  /** The participant's state: the connection's own, except `reconnecting` while recovering, `failed` once given up. */
  #refreshState(entry) {
    const { participant, peer, recovery } = entry;
    let state = peer.state;
    if (recovery.step === 'gave-up') state = 'failed';
    else if (recovery.recovering) state = 'reconnecting';
    if (state === 'closed' || state === participant.state) return;
    participant.state = state;
    this.#updated(entry, ['state']);
  }

  /**
   * What the server says about a participant we kept: muted, permissions, server mute, name, metadata (not
   * `speaking`: a restarted server knows none).
   */
  #applyInfo(entry, info) {
    const changes = info ? entry.participant.applyInfo({ ...info, speaking: undefined }) : [];
    if (!changes.length) return;
    this.#host.hearing.apply(entry.participant, this.#host.deafened());
    this.#updated(entry, changes);
  }

  /**
   * A newcomer announced once its connection is up (`announceMaxMs`, the room's joinReportMaxMs, at most), as a
   * newcomer's own room reports its join (join-report.js): the existing member's page builds its entry after the
   * answer and the candidates, not while they are on the critical path. At once when `announceMaxMs` is 0.
   */
  #addAnnouncedWhenConnected(info, initiator) {
    const maxMs = this.#host.announceMaxMs ?? 0;
    if (initiator || !(maxMs > 0)) return this.add(info, initiator);
    this.add(info, false, false);
    const added = this.#entries.get(info.id);
    return firstConnections([added?.peer], this.#clock, maxMs).then(() => {
      if (this.#entries.get(info.id) === added) this.announce(info.id);
    });
  }

  /** `participant-updated`, for a participant the app was told of (one announced later is announced as it is then). */
  #updated(entry, changes) {
    if (entry.announced) this.#host.emit('participant-updated', { participant: entry.participant, changes });
  }
}
