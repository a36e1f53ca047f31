// Shared set-up of the access tests: a room joined over the fake WebSocket and fake peer connections, with
// access tokens (unsigned: the client never verifies them) and ParticipantInfo shapes of docs/protocol.md.

import { ParleyRoom } from '../sdk/room.js';
import { FakeWebSocket } from './fake-websocket.mjs';
import { FakePeerConnection } from './fake-peer-connection.mjs';
import { FakeClock } from './fake-clock.mjs';

export const tick = () => new Promise((r) => setTimeout(r, 0));

export const PUBLISHER = Object.freeze({ canPublish: true, canSubscribe: true, canPublishData: true, admin: false });
export const LISTENER = Object.freeze({ ...PUBLISHER, canPublish: false, canPublishData: false });
export const MODERATOR = Object.freeze({ ...PUBLISHER, admin: true });

export const info = (letter, name, permissions = PUBLISHER, extra = {}) => ({
  id: `p_${letter.repeat(12)}`, identity: name.toLowerCase(), name, muted: false, speaking: false, permissions, ...extra,
});

/** A LiveKit-shaped JWT with `payload` (header and signature are never looked at by the client). */
export function token(payload) {
  const b64url = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
  return `${b64url({ alg: 'HS256' })}.${b64url(payload)}.c2lnbmF0dXJl`;
}

export const RESUME_TOKEN = `${'R'.repeat(43)}.eyJ0aWNrZXQiOnRydWV9.opaque-ticket`;

export function fakeMic() {
  const track = { kind: 'audio', enabled: true, stopped: false, stop() { this.stopped = true; }, addEventListener() {} };
  return { track, stream: { getAudioTracks: () => [track], getTracks: () => [track] } };
}

/** A remote stream as a `track` event delivers it. */
export function remoteStream() {
  const track = { kind: 'audio', enabled: true };
  return { track, stream: { id: 'remote', getAudioTracks: () => [track], getTracks: () => [track] } };
}

export function makeRoom(options = {}) {
  const mic = fakeMic();
  const opened = [];
  const clock = new FakeClock();
  const room = new ParleyRoom({
    // Pinned to the WebSocket these tests script (falling back to HTTP is tested in http-socket.test.mjs).
    WebSocket: FakeWebSocket, signalingTransport: 'websocket', RTCPeerConnection: FakePeerConnection, meter: false, audioElements: false,
    preferences: false, clock, random: () => 0,
    getMicrophone: async (c) => { opened.push(c); return mic.stream; },
    ...options,
  });
  const events = [];
  for (const type of ['joined', 'participant-joined', 'participant-left', 'participant-updated', 'error', 'closed',
    'removed', 'room-updated', 'data', 'reconnecting']) {
    room.addEventListener(type, (e) => events.push([type, e.detail]));
  }
  return { room, mic, opened, clock, events };
}

/**
 * Joins with `join` options; the server answers `joined` with `self` and `participants`. Returns the room and
 * the socket.
 */
export async function joinRoom({ join = { room: 'r', name: 'Alice' }, self, participants = [], extra = {}, options } = {}) {
  const made = makeRoom(options);
  const joining = made.room.join({ url: 'ws://t/ws', ...join });
  await tick();
  const ws = FakeWebSocket.last;
  ws.hello({ heartbeatSeconds: 10, heartbeatTimeoutSeconds: 25, resumeGraceSeconds: 20 });
  await tick();
  ws.receive({ type: 'joined', protocol: 1, room: 'r', resumeToken: RESUME_TOKEN, resumed: false, self,
    participants, iceServers: [], ...extra });
  await joining;
  return { ...made, ws };
}

export function resetFakes() {
  FakeWebSocket.reset();
  FakePeerConnection.instances = [];
}

export { FakeWebSocket, FakePeerConnection };
