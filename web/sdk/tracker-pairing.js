// TrackerPairing: the bookkeeping of meeting through WebTorrent trackers, without any I/O (tracker-signaling.js does
// the sockets and connections). It decides:
//   - which of my offers are still waiting for an answer (each offer is answered at most once, and only within
//     OFFER_TTL_MS: a tracker that delivers my offer to two peers, or two trackers that each deliver it, get one
//     connection out of it; any later answer is dropped);
//   - which offers I answer: each (peer_id, offer_id) once, whichever tracker delivers it first (with several trackers
//     every announce reaches me once per tracker), never my own, never beyond the room's size;
//   - one link per pair. Both sides may offer at once (my announce and theirs cross, or two trackers each deliver
//     one): then both links can come up. Both sides keep the one offered by the lower peer_id and close the other,
//     the same rule on both sides, so they agree without another message (offerer ids are what each side knows
//     about both links once it has answered one and been answered on the other).

export const OFFER_TTL_MS = 50_000; // bittorrent-tracker's client times its offers out after 50 s
const SEEN_TTL_MS = 120_000;
const MAX_SEEN = 4096;

/** The key of a link: who offered it, and the offer_id. */
export function linkKey(offerer, offerId) {
  return `${offerer}/${offerId}`;
}

export class TrackerPairing {
  #selfId; #maxPeers;
  /** offer_id -> expiresAt (my offers not answered yet) */
  #pending = new Map();
  /** `${peer}/${offer_id}` -> seenAt (offers delivered to me, by any tracker) */
  #seen = new Map();
  /** peer_id -> Map<linkKey, offerer> (links that exist or are being set up) */
  #links = new Map();

  /** @param {{selfId: string, maxPeers: number}} o maxPeers: how many others the room holds */
  constructor({ selfId, maxPeers }) {
    this.#selfId = selfId;
    this.#maxPeers = maxPeers;
  }

  get selfId() { return this.#selfId; }
  /** My offers still waiting for an answer. */
  get pendingOffers() { return this.#pending.size; }
  /** How many peers I have a link (or one being set up) with. */
  get peerCount() { return this.#links.size; }

  /** I sent offer `offerId` at `now`. */
  offered(offerId, now) {
    this.#pending.set(offerId, now + OFFER_TTL_MS);
  }

  /** Forgets my offers older than OFFER_TTL_MS; returns their ids (their connections should close). */
  expire(now) {
    const gone = [];
    for (const [id, expiresAt] of this.#pending) if (expiresAt <= now) gone.push(id);
    for (const id of gone) this.#pending.delete(id);
    for (const [key, seenAt] of this.#seen) if (seenAt + SEEN_TTL_MS <= now) this.#seen.delete(key);
    return gone;
  }

  /**
   * An offer from `from` arrived (through any tracker). 'answer': answer it (it is registered as a link);
   * 'duplicate': this very offer came already; 'ignore': mine, or we are linked already; 'full': the room is full.
   */
  onOffer(from, offerId, now) {
    if (from === this.#selfId) return 'ignore';
    const seenKey = `${from}/${offerId}`;
    if (this.#seen.has(seenKey)) return 'duplicate';
    if (this.#seen.size >= MAX_SEEN) this.#seen.delete(this.#seen.keys().next().value);
    this.#seen.set(seenKey, now);
    const links = this.#links.get(from);
    if (links) {
      // Linked already: a second link is worth it only if it is the one both sides keep (offered by the lower id).
      if ([...links.values()].some((offerer) => offerer <= from)) return 'ignore';
    } else if (this.#links.size >= this.#maxPeers) {
      return 'full';
    }
    this.#add(from, linkKey(from, offerId), from);
    return 'answer';
  }

  /**
   * An answer from `from` to my offer `offerId`. 'accept': apply it (the offer is used up, the link registered);
   * 'ignore': not an offer of mine that is still waiting (answered already, expired, or never made), or a link
   * with them that both sides keep exists already; 'full': the room is full.
   */
  onAnswer(from, offerId, now) {
    const expiresAt = this.#pending.get(offerId);
    if (from === this.#selfId || expiresAt === undefined || expiresAt <= now) return 'ignore';
    const links = this.#links.get(from);
    if (links) {
      if ([...links.values()].some((offerer) => offerer <= this.#selfId)) return 'ignore';
    } else if (this.#links.size >= this.#maxPeers) {
      return 'full';
    }
    this.#pending.delete(offerId);
    this.#add(from, linkKey(this.#selfId, offerId), this.#selfId);
    return 'accept';
  }

  /** The link to `peer` both sides keep, among those registered: the one offered by the lower id. */
  preferred(peer) {
    const links = this.#links.get(peer);
    if (!links) return null;
    let best = null;
    for (const [key, offerer] of links) if (best === null || offerer < links.get(best)) best = key;
    return best;
  }

  /** The link `key` to `peer` closed or failed. */
  dropped(peer, key) {
    const links = this.#links.get(peer);
    if (!links) return;
    links.delete(key);
    if (links.size === 0) this.#links.delete(peer);
  }

  #add(peer, key, offerer) {
    let links = this.#links.get(peer);
    if (!links) this.#links.set(peer, links = new Map());
    links.set(key, offerer);
  }
}
