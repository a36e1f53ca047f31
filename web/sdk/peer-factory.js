// The PeerSession a room makes for one remote participant: Opus tuned for voice, the room's ICE servers,
// and offers, answers and candidates relayed through the signaling connection of the moment.

import { PeerSession } from './peer.js';
import { tuneOpus, VOICE_OPUS_PARAMS } from './opus.js';

/**
 * @param {object} o
 * @param {string} o.remoteId
 * @param {boolean} o.polite
 * @param {boolean} o.initiator
 * @param {import('./signaling.js').SignalingClient} o.signaling
 * @param {MediaStream|null} o.mic
 * @param {import('./parley').ParleyRoomOptions} o.options
 * @param {RTCIceServer[]} o.iceServers from the last `joined` (options.iceServers wins)
 * @param {boolean} [o.sending] false: audio negotiated recvonly (listener, or muted by a moderator)
 */
export function createRelayedPeer({ remoteId, polite, initiator, signaling, mic, options, iceServers, sending = true }) {
  // While the server is away nothing can be relayed: dropped, not thrown. Recovery and the resume re-offer
  // whatever a connection still needs once it is back.
  const relay = (send) => (payload) => {
    if (signaling.state === 'joined') send.call(signaling, remoteId, payload);
  };
  return new PeerSession({
    remoteId, polite, initiator,
    send: { offer: relay(signaling.sendOffer), answer: relay(signaling.sendAnswer), candidate: relay(signaling.sendCandidate) },
    localTrack: mic?.getAudioTracks()[0] ?? null,
    localStream: mic,
    rtcConfig: { ...options.rtcConfig, iceServers: options.iceServers ?? iceServers },
    mungeSdp: (sdp) => tuneOpus(sdp, options.opus ?? VOICE_OPUS_PARAMS),
    maxIceRestarts: 0, // the room's PeerRecovery decides when to restart
    sending,
    RTCPeerConnection: options.RTCPeerConnection,
  });
}
