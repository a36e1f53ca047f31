// The PeerSession a room makes for one remote participant: Opus tuned for voice, the room's ICE servers,
// and offers, answers and candidates relayed through the signaling connection of the moment; and the newcomer's
// first connection and offer, made ahead of the join with the same settings (offer-ahead.js).

import { PeerSession } from './peer.js';
import { tuneOpus, VOICE_OPUS_PARAMS } from './opus.js';
import { ParleyChannel } from './peer-channel.js';
import { OutgoingAudio } from './outgoing-audio.js';

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
 * @param {import('./offer-ahead.js').PreparedOffer|null} [o.prepared] the connection and offer made ahead (initiator only)
 */
export function createRelayedPeer({ remoteId, polite, initiator, signaling, mic, options, iceServers, sending = true, prepared = null }) {
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
    // The member already there gathers while the newcomer's offer is on its way (from `participant-joined`, ~40 ms
    // before it): its candidates, the TURN allocation's included, are ready when its answer is set. The newcomer
    // sets its offer at once, so it has nothing to gather ahead. The app's rtcConfig may say otherwise.
    rtcConfig: initiator ? rtcConfigFor(options, iceServers) : { iceCandidatePoolSize: 1, ...rtcConfigFor(options, iceServers) },
    mungeSdp: voiceMunge(options),
    maxIceRestarts: 0, // the room's PeerRecovery decides when to restart
    sending,
    prepared: initiator ? prepared : null,
    RTCPeerConnection: options.RTCPeerConnection,
  });
}

/**
 * The newcomer's first connection and offer, made before the join (offer-ahead.js): the `parley` channel and our
 * audio transceiver, as PeerSession makes them, and the offer created and munged but not set. The ICE servers are
 * the app's own if it gave some, else none yet: the room's come with `joined` and are applied before the offer is set.
 * @param {MediaStream} mic
 * @param {import('./parley').ParleyRoomOptions} options
 * @returns {Promise<import('./offer-ahead.js').PreparedOffer>}
 */
export async function prepareRelayedOffer(mic, options) {
  const Impl = options.RTCPeerConnection ?? globalThis.RTCPeerConnection;
  const pc = new Impl(rtcConfigFor(options, []));
  try {
    const channel = ParleyChannel.createOn(pc);
    const track = mic.getAudioTracks()[0];
    new OutgoingAudio({ pc, closed: () => false, track, stream: mic, sending: true }).addTransceiver();
    const offer = await pc.createOffer();
    return { pc, channel, sdp: voiceMunge(options)(offer.sdp), track };
  } catch (err) {
    pc.close();
    throw err;
  }
}

function rtcConfigFor(options, iceServers) {
  return { ...options.rtcConfig, iceServers: options.iceServers ?? iceServers };
}

function voiceMunge(options) {
  return (sdp) => tuneOpus(sdp, options.opus ?? VOICE_OPUS_PARAMS);
}
