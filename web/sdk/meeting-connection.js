// MeetingConnection: the RTCPeerConnection a WebTorrent tracker sets up between two peers of a tracker room
// (docs/protocol.md, "Meeting through WebTorrent trackers"), carrying only the `parley-meet` data channel. Over it
// the two peers send each other what the Parley server would relay: hello (who I am), state, chat, and the offers,
// answers and candidates of the audio connection, which is a second RTCPeerConnection made by PeerSession exactly
// as in a server room. Trackers carry one offer and one answer, never ICE candidates, so this connection is set
// up as WebTorrent clients do it: each side waits for its ICE gathering to finish and sends the whole SDP.
//
// Why a second connection for the audio rather than renegotiating this one: PeerSession, perfect negotiation,
// PeerRecovery (ICE restarts, new connections) and the `parley` channel all stay exactly as they are in a server
// room, and this connection keeps working while the audio one is being recovered or replaced, so it is the
// signaling of the pair for as long as both pages run. The cost is a second ICE and DTLS handshake per pair.
//
// Events: open (the channel opened), message {message}, close (the channel or the connection ended; once).

import { parseMessage } from './peer-channel.js';

export const MEET_CHANNEL = Object.freeze({ label: 'parley-meet', negotiated: true, id: 0, ordered: true });

/** A message larger than this is dropped unread, as the server drops a frame over maxMessageBytes. */
export const MAX_MEET_MESSAGE = 65536;

export class MeetingConnection extends EventTarget {
  #pc; #channel; #clock; #gatherTimeoutMs;
  #closed = false;
  #opened = false;
  /** Who is at the other end (set once an offer or answer of theirs is applied). */
  peerId = null;

  /**
   * @param {object} o
   * @param {typeof RTCPeerConnection} [o.RTCPeerConnection]
   * @param {RTCConfiguration} [o.rtcConfig]
   * @param {{setTimeout: Function, clearTimeout: Function}} o.clock
   * @param {number} [o.gatherTimeoutMs=5000] an SDP is sent with the candidates gathered by then
   */
  constructor({ RTCPeerConnection: Impl = globalThis.RTCPeerConnection, rtcConfig = {}, clock, gatherTimeoutMs = 5000 }) {
    super();
    this.#clock = clock;
    this.#gatherTimeoutMs = gatherTimeoutMs;
    const pc = this.#pc = new Impl(rtcConfig);
    const { label, ...init } = MEET_CHANNEL;
    const channel = this.#channel = pc.createDataChannel(label, init);
    channel.onopen = () => { this.#opened = true; if (!this.#closed) this.#emit('open', {}); };
    channel.onclose = () => this.close();
    channel.onmessage = ({ data }) => {
      if (this.#closed || typeof data !== 'string' || data.length > MAX_MEET_MESSAGE) return;
      const message = parseMessage(data);
      if (message) this.#emit('message', { message });
    };
    pc.onconnectionstatechange = () => { if (pc.connectionState === 'failed') this.close(); };
  }

  get open() { return !this.#closed && this.#channel.readyState === 'open'; }
  get closed() { return this.#closed; }

  /** The offer to announce: the whole SDP, once ICE gathering finished (or gatherTimeoutMs passed). */
  async createOffer() {
    await this.#pc.setLocalDescription(await this.#pc.createOffer());
    return this.#gathered();
  }

  /** Applies their offer; resolves with the whole answer SDP. */
  async acceptOffer(sdp) {
    await this.#pc.setRemoteDescription({ type: 'offer', sdp });
    await this.#pc.setLocalDescription(await this.#pc.createAnswer());
    return this.#gathered();
  }

  /** Applies their answer to our offer. */
  async acceptAnswer(sdp) {
    await this.#pc.setRemoteDescription({ type: 'answer', sdp });
  }

  /** Sends `message` if the channel is open; returns whether it was sent. */
  send(message) {
    if (!this.open) return false;
    try {
      this.#channel.send(JSON.stringify(message));
      return true;
    } catch {
      return false;
    }
  }

  /** Closes the connection; `close` fires once (for a channel that never opened too). Safe to call twice. */
  close() {
    if (this.#closed) return;
    this.#closed = true;
    const channel = this.#channel;
    channel.onopen = channel.onclose = channel.onmessage = null;
    this.#pc.onconnectionstatechange = this.#pc.onicegatheringstatechange = null;
    try { this.#pc.close(); } catch { /* closed already */ }
    this.#emit('close', { opened: this.#opened });
  }

  #gathered() {
    const pc = this.#pc;
    return new Promise((resolve) => {
      let timer = null;
      const done = () => {
        pc.onicegatheringstatechange = null;
        this.#clock.clearTimeout(timer);
        resolve(pc.localDescription?.sdp ?? '');
      };
      if (pc.iceGatheringState === 'complete') return done();
      timer = this.#clock.setTimeout(done, this.#gatherTimeoutMs);
      pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') done(); };
    });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
