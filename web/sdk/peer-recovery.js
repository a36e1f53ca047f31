// PeerRecovery: brings one peer connection back after a network change, in bounded steps.
//
//   connected --disconnected for disconnectedGraceMs, or failed--> ICE restart
//   ICE restart not connected within stepTimeoutMs --> full renegotiation: a new RTCPeerConnection that
//     offers (the impolite side only, so the two sides never start over at once; the polite side waits
//     for that offer)
//   still not connected stepTimeoutMs later --> give up
//
// Every step that needs the signaling server (both send an offer) waits while it is down and runs as
// soon as it is back; if the server stays away for unreachableMs meanwhile, and the connection does not come
// back by itself, recovery gives up: without the server nothing else can bring it back, and someone whose
// power or network went must leave the others' lists within seconds, server or not. A step that the room
// performs for other reasons (it replaced the connection for a fresh remote offer, or after its own resume)
// restarts the clock through replaced().
// The actions are callbacks, so this class only decides when: restartIce(), renegotiate(), giveUp().

import { SYSTEM_CLOCK } from './clock.js';

// awayProbeMs is not a recovery step: it is how long RemotePeers waits for a `pong` on the `parley` channel from a
// participant the server announced away (its socket dropped) before it reports `peer-lost`.
export const RECOVERY = Object.freeze({ disconnectedGraceMs: 2000, stepTimeoutMs: 10000, unreachableMs: 3000, awayProbeMs: 2000 });

export class PeerRecovery {
  #actions; #canRenegotiate; #clock; #timing;
  #step = 'idle'; // idle | grace | restart-pending | ice-restart | renegotiate-pending | renegotiating | gave-up
  #timer = null;
  #signalingUp = true;

  /**
   * @param {object} o
   * @param {{restartIce(): void, renegotiate(): void, giveUp(): void}} o.actions
   * @param {boolean} o.canRenegotiate this side starts a full renegotiation (the impolite one)
   * @param {{setTimeout: Function, clearTimeout: Function}} [o.clock]
   * @param {{disconnectedGraceMs?: number, stepTimeoutMs?: number, unreachableMs?: number}} [o.timing]
   */
  constructor({ actions, canRenegotiate, clock = SYSTEM_CLOCK, timing = {} }) {
    this.#actions = actions;
    this.#canRenegotiate = canRenegotiate;
    this.#clock = clock;
    this.#timing = { ...RECOVERY, ...timing };
  }

  /** The current step; anything but idle and gave-up means the connection is being recovered. */
  get step() { return this.#step; }
  get recovering() { return this.#step !== 'idle' && this.#step !== 'gave-up'; }

  /** The peer connection's state changed (PeerSession states). */
  update(state) {
    if (this.#step === 'gave-up') return;
    if (state === 'connected') return this.#go('idle');
    if (state === 'reconnecting' && this.#step === 'idle') {
      this.#go('grace', this.#timing.disconnectedGraceMs, () => this.#restartIce());
    } else if (state === 'failed') {
      if (this.#step === 'idle' || this.#step === 'grace') this.#restartIce();
      else if (this.#step === 'ice-restart') this.#renegotiate();
    }
  }

  /** The signaling server became reachable (true) or not (false). */
  setSignalingUp(up) {
    this.#signalingUp = up;
    if (!up) return;
    if (this.#step === 'restart-pending') this.#restartIce();
    else if (this.#step === 'renegotiate-pending') this.#renegotiate();
  }

  /** The room put a new connection in place: give it stepTimeoutMs to connect. */
  replaced() {
    this.#go('renegotiating', this.#timing.stepTimeoutMs, () => this.#giveUp());
  }

  /** Stops all timers (the participant is gone). */
  dispose() {
    this.#go('gave-up');
  }

  #restartIce() {
    if (!this.#signalingUp) return this.#go('restart-pending', this.#timing.unreachableMs, () => this.#giveUp());
    this.#go('ice-restart', this.#timing.stepTimeoutMs, () => this.#renegotiate());
    this.#actions.restartIce();
  }

  #renegotiate() {
    if (!this.#canRenegotiate) {
      // The impolite side starts over; we wait for its offer, then give up.
      return this.#go('renegotiating', this.#timing.stepTimeoutMs, () => this.#giveUp());
    }
    if (!this.#signalingUp) return this.#go('renegotiate-pending', this.#timing.unreachableMs, () => this.#giveUp());
    this.replaced();
    this.#actions.renegotiate();
  }

  #giveUp() {
    this.#go('gave-up');
    this.#actions.giveUp();
  }

  #go(step, afterMs, then) {
    this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#step = step;
    if (afterMs !== undefined) this.#timer = this.#clock.setTimeout(then, afterMs);
  }
}
