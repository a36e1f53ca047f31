// Room-level moderation, shown only to a moderator: "Mute everyone" (everyone who is not a moderator) and
// "Lock room" / "Unlock room" (a locked room takes nobody new). Everyone sees "Room locked".

import { messageFor } from './messages.js';

export class RoomModeration {
  #room; #ui;

  /**
   * @param {import('../sdk/parley').ParleyRoom} room
   * @param {{group: HTMLElement, muteAll: HTMLButtonElement, lock: HTMLButtonElement, locked: HTMLElement}} ui
   * @param {(message: string) => void} showError
   */
  constructor(room, ui, showError) {
    this.#room = room;
    this.#ui = ui;
    const fail = (err) => showError(messageFor(err));
    ui.muteAll.addEventListener('click', () => room.muteAll().catch(fail));
    ui.lock.addEventListener('click', () => room.lockRoom(!room.locked).catch(fail));
    room.addEventListener('room-updated', () => this.render());
    room.addEventListener('participant-updated', ({ detail }) => { if (detail.participant.isSelf) this.render(); });
    room.addEventListener('statechange', () => this.render());
    this.render();
  }

  render() {
    const room = this.#room;
    const { group, lock, locked } = this.#ui;
    group.hidden = !(room.state === 'joined' && room.isModerator);
    lock.textContent = room.locked ? 'Unlock room' : 'Lock room';
    lock.dataset.locked = String(room.locked);
    // Everyone sees that the room is locked, not only moderators.
    locked.hidden = !(room.state === 'joined' && room.locked);
  }
}
