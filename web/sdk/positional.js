// SpatialVoice: positional voice, whisper and talk groups for one room (docs/protocol.md, "Positional voice between
// peers"). Everything travels peer to peer on the `parley` data channel, never through the server, and nothing
// renegotiates: a peer I should not send to gets a paused sender (PeerSession.setPaused: no track, no packets), and
// how I hear each peer (voice-rules.js hearRoute) sets its playback: placed with a PannerNode, full, or silent.
//
// Messages (each peer gets all three when its channel opens, so state survives reconnects and new connections):
//   {type: 'position', position: {x,y,z}, orientation: {forward, up}}  broadcast, at most every 100 ms, on change
//   {type: 'groups', groups: string[]}                                 my talk groups
//   {type: 'whisper', active: boolean, toYou: boolean}                 per peer: whether I whisper, and to them

import { SYSTEM_CLOCK } from './clock.js';
import {
  ORIGIN, DEFAULT_ORIENTATION, positionalChannel, pannerSettings, toPosition, toOrientation, samePlace, sameOrientation,
} from './spatial-math.js';
import { hearRoute, sendsTo, resolveTargets, targetSpec } from './voice-rules.js';

/** Position updates to peers: at most one per this many ms (about 10 a second). */
export const POSITION_INTERVAL_MS = 100;
export const MAX_GROUPS = 16;
export const MAX_GROUP_NAME_LENGTH = 64;

export class SpatialVoice {
  #host; #clock;
  #channel = null;
  #joinedChannel = undefined;
  #position = ORIGIN;
  #orientation = DEFAULT_ORIENTATION;
  #groups = new Set();
  #spec = null;
  #targets = null;
  #sent = null;
  #sentAt = -Infinity;
  #timer = null;
  /** What peers must hear about on a new channel: only what ever left its default (nothing, in a plain call). */
  #told = { position: false, groups: false, whisper: false };
  /** participant -> {active, toYou, groups: Set} as the peer last said */
  #remote = new WeakMap();

  /**
   * @param {object} host
   * @param {() => Array<{participant: import('./participant.js').Participant, peer: import('./peer.js').PeerSession}>} host.connections
   * @param {import('./playback.js').AudioPlayback | null} host.playback
   * @param {(participant: object) => void} host.applyHearing re-applies a participant's gain (hearing.js reads `route`)
   * @param {(type: string, detail: object) => void} host.emit
   * @param {() => object | null} host.self my own Participant while joined (its position follows setPosition)
   * @param {{setTimeout: Function, clearTimeout: Function, now?: () => number}} [clock]
   */
  constructor(host, clock = SYSTEM_CLOCK) {
    this.#host = host;
    this.#clock = clock;
  }

  /** The room's positional channel (every field filled in), or null in a plain room. */
  get channel() { return this.#channel; }
  /** The channel exactly as `joined` carried it (repeated in `resume`). */
  get joinedChannel() { return this.#joinedChannel; }
  get position() { return this.#position; }
  get orientation() { return this.#orientation; }
  get groups() { return [...this.#groups]; }
  /** What setTargets() was given (ids or names), or null while not whispering. */
  get targets() { return this.#spec; }

  /** From `joined` (a join or a resume). */
  setChannel(channel) {
    this.#joinedChannel = channel && typeof channel === 'object' ? channel : undefined;
    this.#channel = positionalChannel(channel);
    this.#host.playback?.setListener(this.#position, this.#orientation);
    this.#updateSelf(true);
    this.applyAll();
  }

  setPosition(position, orientation) {
    const p = toPosition(position);
    const o = orientation === undefined ? this.#orientation : toOrientation(orientation);
    if (samePlace(p, this.#position) && sameOrientation(o, this.#orientation)) return;
    this.#position = p;
    this.#orientation = o;
    this.#host.playback?.setListener(p, o);
    this.#updateSelf();
    this.applyAll();
    this.#schedulePosition();
  }

  setTargets(targets) {
    this.#spec = targetSpec(targets);
    this.#told.whisper = true;
    this.#retarget(true);
  }

  joinGroup(name) {
    const group = checkGroup(name);
    if (this.#groups.has(group)) return;
    if (this.#groups.size >= MAX_GROUPS) throw new RangeError(`At most ${MAX_GROUPS} talk groups.`);
    this.#groups.add(group);
    this.#told.groups = true;
    this.#broadcast(this.#groupsMessage());
    this.applyAll();
  }

  leaveGroup(name) {
    if (!this.#groups.delete(checkGroup(name))) return;
    this.#broadcast(this.#groupsMessage());
    this.applyAll();
  }

  /** A peer's `parley` channel opened (a new connection, or one after a reconnect): tell it everything. */
  peerReady({ participant, peer }) {
    if (this.#told.position) peer.sendMessage(this.#positionMessage());
    if (this.#told.groups) peer.sendMessage(this.#groupsMessage());
    if (this.#told.whisper) peer.sendMessage(this.#whisperMessage(participant.id));
  }

  /** A message on a peer's `parley` channel; false when it is none of ours. */
  peerMessage(entry, msg) {
    const { participant } = entry;
    const state = this.#state(participant);
    const changes = [];
    switch (msg.type) {
      case 'position': {
        try {
          participant.position = toPosition(msg.position);
          participant.orientation = toOrientation(msg.orientation);
        } catch { return true; } // a malformed update from a peer is ignored
        changes.push('position');
        break;
      }
      case 'groups': {
        const groups = Array.isArray(msg.groups) ? msg.groups.filter(isGroupName).slice(0, MAX_GROUPS) : [];
        state.groups = new Set(groups);
        participant.groups = Object.freeze([...state.groups]);
        changes.push('groups');
        break;
      }
      case 'whisper': {
        state.active = msg.active === true;
        state.toYou = state.active && msg.toYou === true;
        if (participant.whisperingToMe !== state.toYou) {
          participant.whisperingToMe = state.toYou;
          changes.push('whisperingToMe');
        }
        break;
      }
      default: return false;
    }
    this.apply(entry);
    if (changes.length) this.#host.emit('participant-updated', { participant, changes });
    return true;
  }

  /** Someone joined or left, or was renamed: whisper targets named by name may now be someone else. */
  participantsChanged() {
    if (this.#spec) this.#retarget(false);
  }

  /** Re-decides every peer. */
  applyAll() {
    for (const entry of this.#host.connections()) this.apply(entry);
  }

  /** Re-decides one peer: how I hear it (route, placement) and whether my audio goes to it; `quiet`: no event. */
  apply({ participant, peer }, quiet = false) {
    const state = this.#state(participant);
    const self = { position: this.#position, groups: this.#groups };
    const them = { id: participant.id, position: participant.position, groups: state.groups, whisper: state };
    const route = hearRoute(this.#channel, self, them);
    const spatial = route === 'positional'
      ? { settings: pannerSettings(this.#channel), position: participant.position, orientation: participant.orientation }
      : null;
    if (participant.audio) this.#host.playback?.setSpatial(participant.audio, spatial);
    if (participant.route !== route) {
      participant.route = route;
      this.#host.applyHearing(participant);
      if (!quiet) this.#host.emit('participant-updated', { participant, changes: ['route'] });
    }
    peer?.setPaused(!sendsTo(this.#channel, self, them, this.#targets));
  }

  /** Leaves the room: back to the defaults for the next join. */
  reset() {
    if (this.#timer !== null) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.#channel = null;
    this.#joinedChannel = undefined;
    this.#position = ORIGIN;
    this.#orientation = DEFAULT_ORIENTATION;
    this.#groups = new Set();
    this.#spec = this.#targets = this.#sent = null;
    this.#sentAt = -Infinity;
    this.#told = { position: false, groups: false, whisper: false };
  }

  #updateSelf(quiet = false) {
    const self = this.#host.self();
    if (!self) return;
    self.position = this.#position;
    self.orientation = this.#orientation;
    if (!quiet) this.#host.emit('participant-updated', { participant: self, changes: ['position'] });
  }

  #state(participant) {
    let state = this.#remote.get(participant);
    if (!state) this.#remote.set(participant, state = { active: false, toYou: false, groups: new Set() });
    return state;
  }

  #retarget(always) {
    const entries = this.#host.connections();
    const next = resolveTargets(this.#spec, entries.map((e) => e.participant));
    const changed = !sameSet(next, this.#targets);
    this.#targets = next;
    if (!changed && !always) return;
    for (const entry of entries) entry.peer?.sendMessage(this.#whisperMessage(entry.participant.id));
    this.applyAll();
  }

  #schedulePosition() {
    if (this.#timer !== null) return; // the pending send takes the latest position
    const wait = this.#sentAt + POSITION_INTERVAL_MS - this.#now();
    if (wait <= 0) return this.#sendPosition();
    this.#timer = this.#clock.setTimeout(() => { this.#timer = null; this.#sendPosition(); }, wait);
  }

  #sendPosition() {
    const message = this.#positionMessage();
    const sent = this.#sent;
    if (sent && samePlace(sent.position, message.position) && sameOrientation(sent.orientation, message.orientation)) return;
    this.#sent = message;
    this.#sentAt = this.#now();
    this.#told.position = true;
    this.#broadcast(message);
  }

  #now() { return this.#clock.now?.() ?? Date.now(); }

  #broadcast(message) {
    for (const { peer } of this.#host.connections()) peer?.sendMessage(message);
  }

  #positionMessage() {
    return { type: 'position', position: this.#position, orientation: this.#orientation };
  }

  #groupsMessage() { return { type: 'groups', groups: [...this.#groups] }; }

  #whisperMessage(id) {
    return { type: 'whisper', active: this.#targets !== null, toYou: this.#targets?.has(id) ?? false };
  }
}

function isGroupName(name) {
  return typeof name === 'string' && name.length > 0 && name.length <= MAX_GROUP_NAME_LENGTH;
}

function checkGroup(name) {
  if (!isGroupName(name)) {
    throw new TypeError(`A talk group is a name of 1 to ${MAX_GROUP_NAME_LENGTH} characters.`);
  }
  return name;
}

function sameSet(a, b) {
  if (a === null || b === null) return a === b;
  return a.size === b.size && [...a].every((x) => b.has(x));
}
