// An in-memory WebTorrent tracker (bittorrent-tracker's WebSocket behaviour: announce replies, offers fanned out one
// per other peer of the swarm, answers routed by to_peer_id) and a stand-in RTCPeerConnection whose negotiated data
// channel connects to the one whose SDP it was given, for TrackerSignaling tests.

export class FakeTrackerHub {
  /** url -> Map<info_hash, Map<peer_id, socket>> */
  swarms = new Map();
  /** Every message a client sent, with the tracker's url. */
  received = [];

  /** A WebSocket constructor bound to this hub. */
  get WebSocket() {
    const hub = this;
    return class FakeTrackerSocket {
      constructor(url) {
        this.url = url;
        this.readyState = 0;
        hub.#swarmsOf(url);
        hub.#opening(this);
      }

      send(text) { hub.#handle(this, JSON.parse(text)); }

      close() {
        this.readyState = 3;
        for (const swarm of hub.#swarmsOf(this.url).values()) for (const [id, s] of swarm) if (s === this) swarm.delete(id);
      }

      deliver(message) { if (this.readyState === 1) setTimeout(() => this.onmessage?.({ data: JSON.stringify(message) }), 0); }
    };
  }

  /** The offers `peerId` received through `url`. */
  offersTo(peerId, url) {
    return this.delivered.filter((d) => d.to === peerId && d.url === url && d.message.offer);
  }

  delivered = [];
  #toOpen = [];

  /** Sockets made in the same turn open in the same task, as two trackers that answer at once. */
  #opening(socket) {
    if (this.#toOpen.push(socket) > 1) return;
    setTimeout(() => {
      for (const s of this.#toOpen.splice(0)) { s.readyState = 1; s.onopen?.({}); }
    }, 0);
  }

  #swarmsOf(url) {
    if (!this.swarms.has(url)) this.swarms.set(url, new Map());
    return this.swarms.get(url);
  }

  #send(url, to, socket, message) {
    this.delivered.push({ url, to, message });
    socket.deliver(message);
  }

  #handle(socket, msg) {
    this.received.push({ url: socket.url, msg });
    const swarms = this.#swarmsOf(socket.url);
    if (!swarms.has(msg.info_hash)) swarms.set(msg.info_hash, new Map());
    const swarm = swarms.get(msg.info_hash);
    if (msg.event === 'stopped') { swarm.delete(msg.peer_id); return; }
    swarm.set(msg.peer_id, socket);
    if (msg.answer) {
      const to = swarm.get(msg.to_peer_id);
      if (to) this.#send(socket.url, msg.to_peer_id, to, { action: 'announce', answer: msg.answer, offer_id: msg.offer_id, peer_id: msg.peer_id, info_hash: msg.info_hash });
      return;
    }
    this.#send(socket.url, msg.peer_id, socket, { action: 'announce', interval: 120, complete: 0, incomplete: swarm.size, info_hash: msg.info_hash });
    const others = [...swarm].filter(([id]) => id !== msg.peer_id);
    (msg.offers ?? []).slice(0, others.length).forEach((offer, i) => {
      const [id, s] = others[i];
      this.#send(socket.url, id, s, { action: 'announce', offer: offer.offer, offer_id: offer.offer_id, peer_id: msg.peer_id, info_hash: msg.info_hash });
    });
  }
}

class FakeChannel {
  readyState = 'connecting';
  peer = null;
  onopen = null; onclose = null; onmessage = null;

  send(data) {
    const peer = this.peer;
    setTimeout(() => peer?.readyState === 'open' && peer.onmessage?.({ data }), 0);
  }

  close() {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    const peer = this.peer;
    if (peer && peer.readyState !== 'closed') setTimeout(() => { peer.readyState = 'closed'; peer.onclose?.(); }, 0);
  }
}

/** RTCPeerConnection for MeetingConnection: the answer's SDP names the answerer; applying it connects the channels. */
export class FakeMeetingPeerConnection {
  static byToken = new Map();
  static #next = 0;

  constructor() {
    this.token = `pc${FakeMeetingPeerConnection.#next++}`;
    FakeMeetingPeerConnection.byToken.set(this.token, this);
    this.iceGatheringState = 'new';
    this.connectionState = 'new';
    this.localDescription = null;
  }

  createDataChannel() { return this.channel = new FakeChannel(); }
  async createOffer() { return { type: 'offer', sdp: `fake ${this.token}` }; }
  async createAnswer() { return { type: 'answer', sdp: `fake ${this.token}` }; }

  async setLocalDescription(description) {
    this.localDescription = description;
    this.iceGatheringState = 'complete';
  }

  async setRemoteDescription(description) {
    const other = FakeMeetingPeerConnection.byToken.get(description.sdp.split(' ')[1]);
    if (description.type !== 'answer' || !other) return;
    for (const [a, b] of [[this.channel, other.channel], [other.channel, this.channel]]) {
      a.peer = b;
      a.readyState = 'open';
    }
    setTimeout(() => { this.channel.onopen?.(); other.channel.onopen?.(); }, 0);
  }

  close() { this.channel?.close(); }
}
