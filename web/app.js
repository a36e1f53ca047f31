// The Parley page: a join form, the participant list and call controls, built on the SDK.

import { ParleyRoom, signalingUrlFor } from './sdk/index.js';
import { ParticipantList } from './ui/participants.js';
import { ShareLink } from './ui/share.js';
import { messageFor } from './ui/messages.js';
import { VoiceControls } from './ui/voice-controls.js';
import { Chat } from './ui/chat.js';
import { DeviceControls } from './ui/devices.js';
import { RoomModeration } from './ui/room-moderation.js';
import { tokenFromSearch, joinFieldsFor, lockJoinFields } from './ui/token-join.js';
import { SpatialMap } from './ui/spatial-map.js';
import { trackerOptionsFrom, trackerSearch } from './ui/tracker-params.js';

const NAME_KEY = 'parley.name';
const $ = (id) => document.getElementById(id);

const ui = {
  error: $('error'),
  notice: $('notice'),
  connectionBanner: $('connection-banner'),
  signalingTransport: $('signaling-transport'),
  joinView: $('join-view'),
  form: $('join-form'),
  roomInput: $('room-input'),
  nameInput: $('name-input'),
  joinButton: $('join-button'),
  callView: $('call-view'),
  callTitle: $('call-title'),
  muteButton: $('mute-button'),
  leaveButton: $('leave-button'),
};

const params = new URLSearchParams(location.search);
// `?tracker=wss://...`: meet through WebTorrent trackers, without this server (ui/tracker-params.js).
// The page's re-render on joining waits until the first connections are up (1 s at most): on the newcomer's main
// thread it would otherwise delay the answers and candidates that get them up (sdk/join-report.js).
const room = new ParleyRoom({ ...trackerOptionsFrom(params), joinReportMaxMs: 1000 });
// Embedding apps (a game's web view) and tests drive the SDK through the page's room: setPosition, setTargets, ...
window.parley = Object.freeze({ room });
new SpatialMap(room, { section: $('spatial'), map: $('spatial-map'), position: $('spatial-position') });
const participants = new ParticipantList($('participants'), $('people-count'), room, (message) => showError(message));
new RoomModeration(room, { group: $('moderation'), muteAll: $('mute-all-button'), lock: $('lock-button'),
  locked: $('room-locked') }, (message) => showError(message));
const voice = new VoiceControls(room, {
  deafenButton: $('deafen-button'), pttButton: $('ptt-button'), pttHint: $('ptt-hint'),
  inputMode: $('input-mode'), vadSettings: $('vad-settings'), vadAuto: $('vad-auto'),
  vadThreshold: $('vad-threshold'), vadMeter: $('vad-meter'),
});
const devices = new DeviceControls(room, {
  microphone: $('microphone-select'), speaker: $('speaker-select'), speakerField: $('speaker-field'),
  noiseSuppression: $('noise-suppression'), echoCancellation: $('echo-cancellation'), autoGain: $('auto-gain'),
  testButton: $('mic-test-button'), testMeter: $('mic-test-meter'),
}, (message) => showError(message));
const chat = new Chat(room, { log: $('chat-log'), form: $('chat-form'), input: $('chat-input'), error: $('chat-error') });
const share = new ShareLink({
  section: $('share'),
  link: $('share-link'),
  button: $('copy-button'),
  origin: location.origin,
  query: trackerSearch(params),
  onCopied: (ok) => showNotice(ok ? 'Link copied. Paste it to the people you want to talk to.'
    : 'Copy did not work here: select the link and copy it by hand.'),
});

// ---- the form --------------------------------------------------------------------------------

// Token mode (`/?token=JWT` from the app's backend): room and name come from the token and are not editable;
// there is no link to share (everyone needs their own token).
const token = tokenFromSearch(location.search);
if (token) {
  const fields = joinFieldsFor(token);
  lockJoinFields(ui, fields);
  if (!fields) showError(messageFor({ code: 'token-malformed' }));
  ui.joinButton.focus();
} else {
  ui.roomInput.value = params.get('room') ?? '';
  ui.nameInput.value = params.get('name') ?? readStoredName();
  share.set(ui.roomInput.value);
  ui.roomInput.addEventListener('input', () => share.set(ui.roomInput.value));
  (ui.roomInput.value ? ui.nameInput : ui.roomInput).focus();
}

ui.form.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  if (room.state === 'joining' || room.state === 'joined') return;
  showError('');
  if (token) return joinWithToken();
  const roomName = ui.roomInput.value.trim();
  const name = ui.nameInput.value.trim();
  if (!roomName) return invalidField(ui.roomInput, 'Enter the name of the room you want to join.');
  if (!name) return invalidField(ui.nameInput, 'Enter your name, so the others know who is talking.');
  setBusy(true);
  try {
    await devices.prepareJoin();
    // `/?positional=1`: a positional room with Vivox's defaults, if this join opens it.
    await room.join({ url: signalingUrlFor(location), room: roomName, name, channel: params.get('positional') === '1' || undefined,
      password: params.get('password') ?? undefined });
    storeName(name);
  } catch (err) {
    if (err?.code !== 'aborted') showError(messageFor(err));
    const field = err?.code === 'invalid-name' ? ui.nameInput : err?.code === 'invalid-room' ? ui.roomInput : null;
    field?.setAttribute('aria-invalid', 'true');
    (field ?? ui.joinButton).focus();
  } finally {
    setBusy(false);
  }
});

/** Joins with the page's token; a refusal (expired, invalid, another room, banned, locked) says why. */
async function joinWithToken() {
  setBusy(true);
  try {
    await devices.prepareJoin();
    await room.join({ url: signalingUrlFor(location), token });
  } catch (err) {
    if (err?.code !== 'aborted') showError(messageFor(err));
    ui.joinButton.focus();
  } finally {
    setBusy(false);
  }
}

for (const input of [ui.roomInput, ui.nameInput]) {
  input.addEventListener('input', () => input.removeAttribute('aria-invalid'));
}

// ---- prewarm ---------------------------------------------------------------------------------

// While the person uses the form (points at it, types, chooses a device), the next join gets ready: the signaling
// connection, and the microphone where the browser already allows it (never a prompt before Join), with the
// devices chosen on the form. A click on Join then costs one round trip to the server (docs/benchmarks.md, "Join to
// hearing"). Nothing opens before that activity (a page left open in a tab holds nothing); the SDK releases both
// after 20 s without a join, and a hidden or closed page releases them at once.
async function prewarm() {
  if (removed || room.state === 'joining' || room.state === 'joined' || document.visibilityState === 'hidden') return;
  await devices.applyChoices();
  await room.prewarm({ url: signalingUrlFor(location), token: token ?? undefined });
}
let warmedAt = -Infinity;
const warm = () => {
  // A pointer that moves calls this ~60 times a second: once a second is enough (each call restarts the 20 s).
  if (performance.now() - warmedAt < 1000) return;
  warmedAt = performance.now();
  prewarm().catch(() => { /* the join tries again and says why */ });
};
// The person's own activity only: leaving a call does not reopen the microphone until they come back to the form.
// Not the focus the page itself moves to Join after a call, and not `pointerover`: the browser fires that when the
// form comes back under a pointer that did not move (the join view replacing the call view after Leave).
for (const type of ['input', 'pointermove', 'pointerdown', 'keydown', 'change']) ui.form.addEventListener(type, warm);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') room.releasePrewarm();
});

// ---- call controls ---------------------------------------------------------------------------

// Unmuting is refused (`forbidden`) for a listener and while a moderator has muted me: say why.
const toggleMute = () => room.setMuted(!room.muted).catch((err) => showError(messageFor(err)));
ui.muteButton.addEventListener('click', toggleMute);
ui.leaveButton.addEventListener('click', () => room.leave());

document.addEventListener('keydown', (ev) => {
  const key = ev.key.toLowerCase();
  if (key !== 'm' && key !== 'd') return;
  if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat || room.state !== 'joined') return;
  if (ev.target instanceof Element && ev.target.closest('input, textarea, select, [contenteditable]')) return;
  if (key === 'm') toggleMute();
  else room.setDeafened(!room.deafened);
});

// ---- room events -----------------------------------------------------------------------------

room.addEventListener('statechange', ({ detail }) => render(detail.state));
// The server is away: the call goes on peer to peer while the SDK reconnects by itself.
room.addEventListener('reconnecting', ({ detail }) => console.info(
  `Parley: reconnecting in ${detail.delayMs} ms (attempt ${detail.attempt}): ${detail.error.message}`));
room.addEventListener('reconnected', ({ detail }) => console.info(
  `Parley: reconnected, ${detail.resumed ? 'our place in the room was kept' : 'added to the room anew'}`));
room.addEventListener('signalingstatechange', ({ detail }) => {
  ui.connectionBanner.dataset.signaling = detail.state;
  ui.connectionBanner.hidden = detail.state !== 'reconnecting';
  renderTransport();
});

const TRANSPORT_NAMES = { websocket: 'WebSocket', sse: 'HTTP event stream', 'long-poll': 'HTTP long polling', tracker: 'WebTorrent trackers' };
/** Connection details: what carries signaling (HTTP where a network blocks WebSockets). */
function renderTransport() {
  const transport = room.signalingTransport;
  if (!transport) return; // reconnecting: keep showing the last one
  ui.signalingTransport.dataset.transport = transport;
  ui.signalingTransport.textContent = TRANSPORT_NAMES[transport] ?? transport;
}

room.addEventListener('joined', ({ detail }) => {
  renderTransport();
  ui.callTitle.textContent = detail.room;
  document.title = `${detail.room} · Parley`;
  if (token) return; // the address keeps the token: a reload joins again with it
  share.set(detail.room);
  history.replaceState(null, '', `?room=${encodeURIComponent(detail.room)}${room.channel ? '&positional=1' : ''}${trackerSearch(params)}`);
});
room.addEventListener('participant-joined', ({ detail }) => participants.add(detail.participant));
room.addEventListener('participant-left', ({ detail }) => participants.remove(detail.participant.id));
room.addEventListener('participant-updated', ({ detail }) => {
  // My own role decides everyone's moderation controls.
  if (detail.participant.isSelf && detail.changes.includes('permissions')) participants.updateAll();
  else participants.update(detail.participant);
  if (detail.participant.isSelf) renderMute();
});
// Removed by a moderator (or the room deleted): `closed` shows why; the page does not join again.
let removed = false;
room.addEventListener('removed', () => { removed = true; ui.joinButton.disabled = true; });
room.addEventListener('track', ({ detail }) => participants.update(detail.participant));
room.addEventListener('level', ({ detail: { participant, level } }) => {
  participants.setLevel(participant.id, participant.isSelf && !room.transmitting ? 0 : level);
  if (participant.isSelf) voice.showLevel(level);
});
room.addEventListener('transmitting', () => { if (room.self) participants.update(room.self); });
room.addEventListener('closed', ({ detail }) => {
  if (detail.error) showError(messageFor(detail.error));
});
room.addEventListener('error', ({ detail }) => {
  // Fatal errors arrive again with `closed`; the rest concern one peer or one message, except a
  // microphone that stops in the middle of a call, which the person must know about.
  console.warn('Parley:', detail.error.code, detail.error.message);
  if (detail.error.code.startsWith('microphone-')) showError(messageFor(detail.error));
});
room.addEventListener('autoplay-blocked', () =>
  showNotice('Your browser paused the other voices. Click anywhere or press any key to hear them.', true));
room.addEventListener('autoplay-unblocked', () => showNotice(''));

function render(state) {
  const inCall = state === 'joined';
  ui.joinView.hidden = inCall;
  ui.callView.hidden = !inCall;
  renderMute();
  if (inCall) {
    ui.muteButton.focus();
  } else if (state === 'closed') {
    ui.connectionBanner.hidden = true;
    participants.clear();
    chat.clear();
    document.title = 'Parley · Voice rooms';
    share.set(ui.roomInput.value);
    ui.joinButton.focus();
  }
}

function renderMute() {
  ui.muteButton.setAttribute('aria-pressed', String(room.muted));
  ui.muteButton.title = !room.canPublish ? 'You can only listen in this room'
    : room.serverMuted ? 'A moderator muted you' : room.muted ? 'Unmute (M)' : 'Mute (M)';
}

function setBusy(busy) {
  ui.joinButton.disabled = busy || removed;
  ui.joinButton.classList.toggle('busy', busy);
  ui.form.setAttribute('aria-busy', String(busy));
  if (busy) showNotice('Connecting…');
  else if (ui.notice.textContent === 'Connecting…') showNotice('');
}

function invalidField(input, message) {
  input.setAttribute('aria-invalid', 'true');
  showError(message);
  input.focus();
}

function showError(message) {
  ui.error.textContent = message;
}

let noticeTimer = 0;
function showNotice(message, sticky = false) {
  clearTimeout(noticeTimer);
  ui.notice.textContent = message;
  if (message && !sticky && message !== 'Connecting…') {
    noticeTimer = setTimeout(() => { ui.notice.textContent = ''; }, 4000);
  }
}

function readStoredName() {
  try { return localStorage.getItem(NAME_KEY) ?? ''; } catch { return ''; }
}

function storeName(name) {
  try { localStorage.setItem(NAME_KEY, name); } catch { /* private mode */ }
}

// Closing the tab: leaving explicitly says `bye` to every peer and `leave` to the server, so the others
// drop us at once, even while the server is unreachable.
addEventListener('pagehide', () => { if (room.state === 'joined') room.leave(); else room.releasePrewarm(); });
