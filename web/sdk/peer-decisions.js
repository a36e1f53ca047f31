// Which peer connections survive a lost signaling connection: pure decisions, no timers, no DOM
// (docs/protocol.md, "Leaving, losing the connection, and resuming"). A connection is "working" while it
// is connected: it carries audio without the server, so nothing about it changes when the server comes back.

/** Whether a peer in `state` (PeerSession/participant state) still carries audio. */
export function isWorking(state) {
  return state === 'connected';
}

/** The session id of an SDP's origin line (`o=- <sess-id> <version> ...`), or null. */
export function sessionIdOf(sdp) {
  const m = /^o=\S+ (\S+) /m.exec(typeof sdp === 'string' ? sdp : '');
  return m ? m[1] : null;
}

/**
 * What to do with an incoming offer: 'replace' our connection with a new one that answers it, or 'apply'
 * it to the one we have (a renegotiation or an ICE restart of the same remote connection).
 * Replace when ours is closed or given up, or when the offer comes from a new remote RTCPeerConnection
 * (another SDP session id than the remote description we hold): the far side started over.
 * @param {{state: string|null, currentRemoteSdp: string|null, offerSdp: string}} o state null: no peer
 * @returns {'apply' | 'replace'}
 */
export function offerDecision({ state, currentRemoteSdp, offerSdp }) {
  if (state === null || state === 'closed' || state === 'failed') return 'replace';
  const current = sessionIdOf(currentRemoteSdp);
  const offered = sessionIdOf(offerSdp);
  return current && offered && current !== offered ? 'replace' : 'apply';
}

/**
 * Our own `resume` succeeded; `listed` are the others the server reports. For each of them: keep a
 * working connection, offer on a new connection otherwise (`renegotiate` when we have a peer, `add` when
 * we have none). Peers the server does not list are kept (`unlisted`): after a restart they may simply
 * not have resumed yet; their recovery gives up on them if they stay gone.
 * @param {Array<{id: string}>} listed joined.participants
 * @param {Map<string, string>} states our remote participants' states by id
 */
export function resumePlan(listed, states) {
  const plan = { keep: [], renegotiate: [], add: [], unlisted: [] };
  const ids = new Set();
  for (const info of listed) {
    ids.add(info.id);
    if (!states.has(info.id)) plan.add.push(info);
    else if (isWorking(states.get(info.id))) plan.keep.push(info.id);
    else plan.renegotiate.push(info.id);
  }
  for (const id of states.keys()) if (!ids.has(id)) plan.unlisted.push(id);
  return plan;
}

/**
 * `participant-joined` for someone: 'add' a participant we do not know (and wait for their offer),
 * 'keep' a working connection of a resumed participant, 'await-offer' when a resumed participant's
 * connection does not work (they offer to everyone they have no working connection with), and
 * 'replace' a participant who joined anew with an id we still hold.
 * @param {string|null} state our peer's state, null when we have none
 * @param {boolean} resumed participant-joined.resumed
 */
export function participantJoinedDecision(state, resumed) {
  if (state === null) return 'add';
  if (!resumed) return 'replace';
  return isWorking(state) ? 'keep' : 'await-offer';
}
