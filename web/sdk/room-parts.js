// The parts a ParleyRoom (room.js) is made of, and how they reach each other: the meters, my voice (mute, deafen,
// input mode), remote playback and hearing, the microphone, the prewarmed connection and first offer, publishing rights,
// moderation, positional voice, and the remote peers. What only the call knows (me, the signaling link, the ICE
// servers of the moment) comes from `host` when asked, so every part sees the current call, never a stale one.

import { createRelayedPeer, prepareRelayedOffer } from './peer-factory.js';
import { OfferAhead } from './offer-ahead.js';
import { createSignalingClient } from './room-link.js';
import { Prewarm } from './prewarm.js';
import { SYSTEM_CLOCK } from './clock.js';
import { RemotePeers } from './remotes.js';
import { RoomMicrophone } from './room-microphone.js';
import { ParticipantMeters } from './meters.js';
import { AudioPlayback } from './playback.js';
import { LocalVoice } from './local-voice.js';
import { Hearing } from './hearing.js';
import { Publishing } from './publishing.js';
import { Moderation } from './moderation.js';
import { SpatialVoice } from './positional.js';

/**
 * @param {import('./parley').ParleyRoomOptions} options
 * @param {object} host
 * @param {import('./room.js').ParleyRoom} host.room the facade (moderation reads me and the others through it)
 * @param {(type: string, detail: object) => void} host.emit a room event
 * @param {() => import('./participant.js').Participant|null} host.self me, while in a call
 * @param {() => import('./room-link.js').RoomLink|null} host.link the call's signaling link, if any
 * @param {() => RTCIceServer[]} host.iceServers the servers of the last `joined`
 * @param {(participant: import('./participant.js').Participant, stream: MediaStream) => void} host.startMeter
 */
export function createRoomParts(options, host) {
  const meters = new ParticipantMeters({ enabled: options.meter !== false, speaking: options.speaking });
  const voice = new LocalVoice(options);
  let playback = null;
  if (options.audioElements !== false && globalThis.document) {
    playback = new AudioPlayback(globalThis.document);
    playback.addEventListener('blocked', () => host.emit('autoplay-blocked', {}));
    playback.addEventListener('unblocked', () => host.emit('autoplay-unblocked', {}));
  }
  const hearing = new Hearing({ playback, preferences: options.preferences });
  let remotes = null; // made last: the parts before it reach it only later, from events
  const microphone = new RoomMicrophone({
    options, voice,
    host: {
      attach: (track, mic) => Promise.all(remotes.peers().map((peer) => peer.setLocalTrack(track, mic))),
      metered: (mic, meterStream) => { host.self().stream = mic; host.startMeter(host.self(), meterStream); },
      error: (error) => host.emit('error', { error }),
    },
  });
  const offerAhead = new OfferAhead((mic) => prepareRelayedOffer(mic, options));
  const prewarm = new Prewarm({
    connect: (url) => createSignalingClient(url, options), clock: options.clock ?? SYSTEM_CLOCK,
    idleMs: options.prewarmIdleMs, onRelease: () => { offerAhead.release(); microphone.releaseSpare(); },
  });
  const publishing = new Publishing({ voice, setSending: (sending) => remotes.setSending(sending) });
  const moderation = new Moderation({ room: host.room, signaling: () => host.link()?.signaling ?? null });
  const spatial = new SpatialVoice({
    connections: () => remotes.connections(), playback, self: host.self,
    applyHearing: (p) => hearing.apply(p, voice.deafened), emit: host.emit,
  }, options.clock);
  remotes = new RemotePeers({
    selfId: () => host.self()?.id,
    createPeer: (o) => createRelayedPeer({
      ...o, signaling: host.link().signaling, mic: microphone.stream, options, iceServers: host.iceServers(),
      sending: publishing.sending,
      // The first connection the newcomer makes takes the one made ahead (if it fits; the one its offer went to with
      // the join, if it did); any later one makes its own.
      prepared: o.initiator ? offerAhead.take(microphone.stream?.getAudioTracks()[0] ?? null, publishing.sending, o.remoteId) : null,
    }),
    emit: host.emit,
    hearing,
    deafened: () => voice.deafened,
    startMeter: host.startMeter,
    stopMeter: (id) => meters.stop(id),
    peerLost: (id) => { try { host.link()?.signaling.sendPeerLost(id); } catch { /* not connected: recovery waits */ } },
    clock: options.clock,
    announceMaxMs: options.joinReportMaxMs,
    recoveryTiming: options.recovery,
    voice: spatial,
  });
  return { meters, voice, playback, hearing, microphone, prewarm, offerAhead, publishing, moderation, spatial, remotes };
}
