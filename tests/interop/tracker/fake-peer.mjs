// Stands in for @thaunknown/simple-peer in bittorrent-tracker's client, whose node WebRTC (node-datachannel) is not
// built here, as bittorrent-tracker's own tests stub their WebRTC: an initiator "signals" an offer, a peer given an
// offer signals an answer naming it, so a test can see which offer an answer answers. No media, no data channel.
import { EventEmitter } from 'node:events'

let next = 0

export default class FakePeer extends EventEmitter {
  static WEBRTC_SUPPORT = true

  constructor (opts = {}) {
    super()
    this.initiator = !!opts.initiator
    this.destroyed = false
    this.received = []
    if (this.initiator) {
      this.offerSdp = `fake-offer-${process.pid}-${++next}`
      queueMicrotask(() => this.emit('signal', { type: 'offer', sdp: this.offerSdp }))
    }
  }

  signal (data) {
    this.received.push(data)
    if (data.type === 'offer') {
      queueMicrotask(() => this.emit('signal', { type: 'answer', sdp: `answer-to:${data.sdp}` }))
    }
  }

  destroy () {
    this.destroyed = true
  }
}
