// The `parley` data channel between two peers (docs/protocol.md, "Between peers"): negotiated, id 0, so
// both sides create it before the first offer and no `datachannel` event is involved. It works while the
// signaling server is unreachable. It carries `bye`, sent when a participant leaves or its page goes, and
// `ping`/`pong`, a liveness check (answered by PeerSession) for a participant whose server socket dropped, and
// the positional voice state (positional.js).

export const PARLEY_CHANNEL = Object.freeze({ label: 'parley', negotiated: true, id: 0, ordered: true });

export class ParleyChannel {
  #channel = null;
  #opened = false;

  /**
   * @param {RTCPeerConnection} pc
   * @param {{onMessage: (msg: object) => void, onClose: () => void, onOpen?: () => void}} handlers onClose fires
   *   only for a channel that was open: the far side closed its connection (or its page went away)
   * @param {RTCDataChannel|null} [existing] the channel createOn() made on `pc` ahead (offer-ahead.js)
   */
  constructor(pc, { onMessage, onClose, onOpen }, existing = null) {
    const channel = this.#channel = existing ?? ParleyChannel.createOn(pc);
    if (!channel) return;
    channel.onopen = () => { this.#opened = true; onOpen?.(); };
    channel.onclose = () => { if (this.#opened) onClose(); };
    channel.onmessage = ({ data }) => {
      const msg = parseMessage(data);
      if (msg) onMessage(msg);
    };
  }

  /** Creates the `parley` channel on `pc` (null where data channels are not supported). */
  static createOn(pc) {
    if (typeof pc.createDataChannel !== 'function') return null;
    const { label, ...init } = PARLEY_CHANNEL;
    return pc.createDataChannel(label, init);
  }

  get open() { return this.#channel?.readyState === 'open'; }

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

  /** Stops reporting anything (the connection is being closed on purpose). */
  detach() {
    const channel = this.#channel;
    if (channel) channel.onopen = channel.onclose = channel.onmessage = null;
  }
}

/** A message of the channel: a JSON object with a string `type`, else null (ignored). */
export function parseMessage(data) {
  if (typeof data !== 'string') return null;
  try {
    const msg = JSON.parse(data);
    return msg && typeof msg === 'object' && typeof msg.type === 'string' ? msg : null;
  } catch {
    return null;
  }
}
