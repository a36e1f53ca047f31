// The participant list: one <li data-peer> per participant, self first. Names only ever go through
// textContent and setAttribute. Remote entries carry their PeerControls (volume, local mute, quality) and,
// for a moderator, their ModeratorControls. Access is said in words, not only icons: "listening" (may not
// publish), "muted by a moderator", "Moderator".

import { PeerControls } from './peer-controls.js';
import { ModeratorControls } from './moderator-controls.js';

const STATE_LABELS = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  failed: 'Connection failed',
};

const MIC_OFF_PATH = 'M15 10V6a3 3 0 0 0-5.7-1.3M9 9v2a3 3 0 0 0 5 2.2M5 11a7 7 0 0 0 11.3 5.5M19 11a7 7 0 0 1-.6 2.8M12 18v3M9 21h6M4 4l16 16';
const SVG_NS = 'http://www.w3.org/2000/svg';

export class ParticipantList {
  #list; #count; #room; #showError; #items = new Map();

  /**
   * @param {HTMLUListElement} list the element with aria-label="Participants"
   * @param {HTMLElement} [count] shows "N people"
   * @param {import('../sdk/parley').ParleyRoom} [room] gives remote entries their volume/mute controls
   * @param {(message: string) => void} [showError] where moderation errors go
   */
  constructor(list, count, room, showError = () => {}) {
    this.#list = list;
    this.#count = count;
    this.#room = room;
    this.#showError = showError;
  }

  /** Adds (or refreshes) the element of `participant`. */
  add(participant) {
    let item = this.#items.get(participant.id);
    if (!item) {
      item = createItem(participant);
      if (!participant.isSelf && this.#room) {
        item.controls = new PeerControls(participant, this.#room);
        item.moderation = new ModeratorControls(participant, this.#room, this.#showError);
        item.li.append(item.controls.element, item.moderation.element);
      }
      this.#items.set(participant.id, item);
      if (participant.isSelf) this.#list.prepend(item.li);
      else this.#list.append(item.li);
    }
    this.update(participant);
    this.#updateCount();
  }

  /** Reflects name, muted, speaking and connection state into the DOM (touching only what changed). */
  update(participant) {
    const item = this.#items.get(participant.id);
    if (!item) return;
    const { li } = item;
    setAttr(li, 'data-name', participant.name);
    setAttr(li, 'data-muted', String(participant.muted));
    setAttr(li, 'data-speaking', String(participant.speaking));
    setText(item.name, participant.name);
    setText(item.avatar, initials(participant.name));
    item.muted.hidden = !participant.muted;
    setText(item.speaking, participant.speaking ? 'Speaking' : '');
    const listening = participant.permissions?.canPublish === false;
    setAttr(li, 'data-listening', String(listening));
    setAttr(li, 'data-server-muted', String(participant.serverMuted === true));
    setAttr(li, 'data-moderator', String(participant.permissions?.admin === true));
    setText(item.access, listening ? 'listening' : participant.serverMuted ? 'muted by a moderator' : '');
    item.moderator.hidden = participant.permissions?.admin !== true;
    item.moderation?.update();
    if (participant.isSelf) {
      const transmitting = this.#room ? this.#room.transmitting : !participant.muted;
      setAttr(li, 'data-transmitting', String(transmitting));
      setText(item.status, participant.muted ? 'Your microphone is muted'
        : transmitting ? 'Your microphone is on' : 'Your microphone is on standby');
    } else {
      item.controls?.update();
      setAttr(li, 'data-locally-muted', String(participant.locallyMuted));
      setAttr(li, 'data-state', participant.state);
      setText(item.status, STATE_LABELS[participant.state] ?? participant.state);
      if (participant.audio && participant.audio.parentNode !== li) li.append(participant.audio);
    }
  }

  /** Everyone again (my own role changed: the moderation controls follow). */
  updateAll() {
    for (const participant of this.#room?.participants ?? []) this.update(participant);
  }

  /** An audio level 0..1, shown as a soft ring around the avatar. */
  setLevel(id, level) {
    const item = this.#items.get(id);
    if (item) item.li.style.setProperty('--level', Math.min(1, level * 6).toFixed(2));
  }

  remove(id) {
    const item = this.#items.get(id);
    if (!item) return;
    item.controls?.dispose();
    item.li.remove();
    this.#items.delete(id);
    this.#updateCount();
  }

  clear() {
    for (const id of [...this.#items.keys()]) this.remove(id);
  }

  #updateCount() {
    if (!this.#count) return;
    const n = this.#items.size;
    this.#count.textContent = n === 1 ? 'Just you so far' : `${n} people`;
  }
}

function createItem(participant) {
  const li = document.createElement('li');
  li.className = 'peer';
  li.setAttribute('data-peer', participant.id);
  if (participant.isSelf) li.setAttribute('data-self', 'true');
  li.style.setProperty('--hue', String(hue(participant.id)));

  const avatar = el('span', 'avatar');
  avatar.setAttribute('aria-hidden', 'true');

  const info = el('span', 'peer-info');
  const nameRow = el('span', 'peer-name-row');
  const name = el('span', 'peer-name');
  nameRow.append(name);
  if (participant.isSelf) {
    const you = el('span', 'you-tag');
    you.textContent = 'You';
    you.setAttribute('aria-hidden', 'true');
    nameRow.append(you);
  }
  const status = el('span', 'peer-status');
  const access = el('span', 'peer-access');
  info.append(nameRow, status, access);

  const badges = el('span', 'peer-badges');
  const speaking = el('span', 'visually-hidden');
  const muted = el('span', 'badge badge-muted');
  muted.append(micOffIcon(), text('Muted'));
  muted.hidden = true;
  const moderator = el('span', 'badge badge-moderator');
  moderator.textContent = 'Moderator';
  moderator.hidden = true;
  badges.append(speaking, muted, moderator);

  li.append(avatar, info, badges);
  return { li, avatar, name, status, access, muted, speaking, moderator };
}

function setAttr(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function setText(node, value) {
  if (node.textContent !== value) node.textContent = value;
}

function el(tag, className) {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function text(value) {
  const span = document.createElement('span');
  span.textContent = value;
  return span;
}

function micOffIcon() {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', 'icon icon-small');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', MIC_OFF_PATH);
  svg.append(path);
  return svg;
}

/** Up to two letters for the avatar: first letters of the first two words. */
export function initials(name) {
  const words = String(name).trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((w) => Array.from(w)[0]).join('');
  return (letters || '?').toUpperCase();
}

/** A stable hue 0..359 for an id, so everyone keeps their avatar colour. */
export function hue(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.codePointAt(0)) % 360;
  return h;
}
