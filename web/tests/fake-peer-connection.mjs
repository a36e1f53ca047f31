// A scripted stand-in for RTCPeerConnection: just enough state for PeerSession's negotiation logic.

export const OPUS_SDP = (kind) => `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=${kind}\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n`;

export class FakePeerConnection {
  static instances = [];

  constructor(config) {
    this.config = config;
    this.signalingState = 'stable';
    this.connectionState = 'new';
    this.iceConnectionState = 'new';
    this.localDescription = null;
    this.remoteDescription = null;
    this.transceivers = [];
    this.candidates = [];
    this.calls = [];
    this.closed = 0;
    this.restarts = 0;
    this.channels = [];
    /** How many data channels existed at each createOffer(). */
    this.channelsAtOffers = [];
    FakePeerConnection.instances.push(this);
  }

  createDataChannel(label, init) {
    const channel = new FakeDataChannel(label, init);
    this.channels.push(channel);
    return channel;
  }

  /** Test helper: the `parley` channel. */
  get channel() { return this.channels[0]; }

  addTransceiver(trackOrKind, init) {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const t = this.#transceiver(init.direction, track);
    t.streams = init.streams;
    this.calls.push('addTransceiver');
    return t;
  }

  addTrack(track, ...streams) {
    this.calls.push('addTrack');
    const t = this.transceivers.find((x) => !x.sender.track) ?? this.#transceiver('sendrecv', null);
    t.sender.track = track;
    t.direction = 'sendrecv';
    t.streams = streams;
    return t.sender;
  }

  getTransceivers() { return this.transceivers; }

  async createOffer() { this.calls.push('createOffer'); this.channelsAtOffers.push(this.channels.length); return { type: 'offer', sdp: OPUS_SDP('offer') }; }

  async createAnswer() { this.calls.push('createAnswer'); return { type: 'answer', sdp: OPUS_SDP('answer') }; }

  async setLocalDescription(desc) {
    this.calls.push(`setLocal:${desc.type}`);
    if (desc.type === 'offer' && this.signalingState !== 'stable') throw new Error('wrong state');
    this.localDescription = desc;
    this.signalingState = desc.type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(desc) {
    this.calls.push(`setRemote:${desc.type}`);
    this.remoteDescription = desc;
    if (desc.type === 'offer') {
      this.signalingState = 'have-remote-offer';
      if (this.transceivers.length === 0) this.#transceiver('recvonly', null);
    } else {
      this.signalingState = 'stable';
    }
  }

  async addIceCandidate(candidate) {
    if (!this.remoteDescription) throw new Error('no remote description');
    this.candidates.push(candidate);
  }

  restartIce() { this.restarts++; }

  getConfiguration() { return { ...this.config }; }

  setConfiguration(config) { this.calls.push('setConfiguration'); this.config = config; }

  close() {
    this.closed++;
    this.connectionState = 'closed';
    for (const c of this.channels) c.readyState = 'closed';
  }

  /** Test helper: the connection state changes. */
  setConnectionState(state) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
    this.oniceconnectionstatechange?.();
  }

  #transceiver(direction, track) {
    const t = {
      direction, stopped: false, streams: [],
      sender: { track, replaceTrack: async (tr) => { t.sender.track = tr; } },
      receiver: { track: { kind: 'audio' } },
    };
    this.transceivers.push(t);
    return t;
  }
}

export class FakeDataChannel {
  constructor(label, init) {
    this.label = label;
    this.init = init;
    this.readyState = 'connecting';
    this.sent = [];
    this.onopen = this.onclose = this.onmessage = null;
  }

  send(text) {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    this.sent.push(JSON.parse(text));
  }

  /** Test helpers: the channel opens, a message arrives, the far side closes it. */
  open() { this.readyState = 'open'; this.onopen?.(); }

  receive(message) { this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) }); }

  remoteClose() { this.readyState = 'closed'; this.onclose?.(); }
}
