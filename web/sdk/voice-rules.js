// Who hears whom (pure, no DOM): positional distance, talk groups and whisper, decided the same way on both
// sides of every connection (docs/protocol.md, "Positional voice between peers").
//
// How I hear a remote participant (hearRoute):
//   whispering to me                -> 'whisper'     full volume, not placed in space
//   whispering to someone else      -> 'none'        (they send me nothing either)
//   sharing one of my talk groups   -> 'group'       full volume, not placed (Vivox's team channel)
//   a plain room                    -> 'everyone'
//   positional, within audibleDistance -> 'positional' placed with the PannerNode
//   positional, beyond it           -> 'none'        silent, and neither side sends
// Whether my audio goes to a remote participant (sendsTo): to my whisper targets only while I whisper; else to
// those sharing a group with me, everyone in a plain room, and in a positional room those within audibleDistance.

import { distance } from './spatial-math.js';

/** @typedef {{position: {x:number,y:number,z:number}, groups: ReadonlySet<string>}} VoiceSelf */
/** @typedef {{id: string, position: {x:number,y:number,z:number}, groups: ReadonlySet<string>,
 *   whisper: {active: boolean, toYou: boolean}}} VoicePeer */

export function sharesGroup(mine, theirs) {
  for (const group of mine) if (theirs.has(group)) return true;
  return false;
}

/** Whether `peer` is within the channel's audible distance of me (always, in a plain room). */
export function inRange(channel, self, peer) {
  return !channel || distance(self.position, peer.position) <= channel.audibleDistance;
}

/**
 * How I hear `peer`: 'whisper' | 'group' | 'everyone' | 'positional' | 'none'.
 * @param {object|null} channel positionalChannel(), null in a plain room
 * @param {VoiceSelf} self
 * @param {VoicePeer} peer
 */
export function hearRoute(channel, self, peer) {
  if (peer.whisper.active) return peer.whisper.toYou ? 'whisper' : 'none';
  if (sharesGroup(self.groups, peer.groups)) return 'group';
  if (!channel) return 'everyone';
  return inRange(channel, self, peer) ? 'positional' : 'none';
}

/**
 * Whether my audio goes to `peer`.
 * @param {Set<string>|null} targets the ids I whisper to, null when I do not
 */
export function sendsTo(channel, self, peer, targets) {
  if (targets) return targets.has(peer.id);
  return sharesGroup(self.groups, peer.groups) || inRange(channel, self, peer);
}

/**
 * The ids `spec` names among `participants` (remote ones): each entry is an id, else every participant of that
 * display name. Null spec: null (not whispering). Unknown entries name nobody (yet).
 * @param {string[]|null} spec
 * @param {{id: string, name: string}[]} participants
 */
export function resolveTargets(spec, participants) {
  if (spec == null) return null;
  const ids = new Set();
  for (const entry of spec) {
    const byId = participants.find((p) => p.id === entry);
    if (byId) ids.add(byId.id);
    else for (const p of participants) if (p.name === entry) ids.add(p.id);
  }
  return ids;
}

/** The `setTargets` argument as a list of strings (one id or name, or an array of them), or null. */
export function targetSpec(targets) {
  if (targets == null) return null;
  const list = Array.isArray(targets) ? targets : [targets];
  if (!list.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new TypeError('setTargets takes participant ids or display names (non-empty strings), or null.');
  }
  return Object.freeze([...new Set(list)]);
}
