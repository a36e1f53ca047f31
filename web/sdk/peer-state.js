// A PeerSession's state (peer.js) as the rest of the SDK sees it: connecting | connected | reconnecting | failed |
// closed, from the RTCPeerConnection's own states, with the ICE restarts the session makes by itself after `failed`.
// Which side is polite is decided here too: both sides must reach opposite answers without talking.

/** Whether the side with id `selfId` is the polite one towards `remoteId` (deterministic, opposite on each side). */
export function isPolite(selfId, remoteId) {
  return selfId > remoteId;
}

/** Maps RTCPeerConnection states to connecting | connected | reconnecting | failed | closed. */
export function peerStateFor(connectionState, everConnected) {
  switch (connectionState) {
    case 'connected':
    case 'completed':
      return 'connected';
    case 'disconnected':
      return 'reconnecting';
    case 'failed':
      return 'failed';
    case 'closed':
      return 'closed';
    default: // new, connecting, checking
      return everConnected ? 'reconnecting' : 'connecting';
  }
}

/** Follows one RTCPeerConnection: its state after each change event, restarting ICE up to `maxIceRestarts` times. */
export class PeerStateWatch {
  #pc; #maxIceRestarts;
  #everConnected = false;
  #lastRaw = '';
  #restarts = 0;

  constructor(pc, maxIceRestarts) {
    this.#pc = pc;
    this.#maxIceRestarts = maxIceRestarts;
  }

  /** The state after a connectionstatechange or iceconnectionstatechange; null when it did not change. */
  next() {
    const pc = this.#pc;
    const raw = pc.connectionState ?? pc.iceConnectionState;
    if (raw === this.#lastRaw) return null; // connectionstatechange and iceconnectionstatechange both fire
    this.#lastRaw = raw;
    const next = peerStateFor(raw, this.#everConnected);
    if (next === 'connected') {
      this.#everConnected = true;
      this.#restarts = 0;
    } else if (next === 'failed' && this.#restarts < this.#maxIceRestarts && pc.restartIce) {
      this.#restarts++;
      pc.restartIce(); // fires negotiationneeded: an offer with new ICE credentials
      return 'reconnecting';
    }
    return next;
  }
}
