// What a moderator can do to one participant (not to another moderator): "Mute for everyone" / "Allow to
// unmute" (a server mute: hard), and "Remove" with an optional ban. Hidden from everyone else. Accessible
// names carry the participant's name ("Mute Bob for everyone", "Remove Bob", "Ban Bob for").

import { messageFor } from './messages.js';

const BANS = [[0, 'No ban'], [300, 'Ban 5 minutes'], [3600, 'Ban 1 hour'], [86400, 'Ban 1 day']];

export class ModeratorControls {
  #participant; #room;

  /**
   * @param {import('../sdk/parley').Participant} participant
   * @param {import('../sdk/parley').ParleyRoom} room
   * @param {(message: string) => void} showError
   */
  constructor(participant, room, showError) {
    this.#participant = participant;
    this.#room = room;
    const fail = (err) => showError(messageFor(err));
    const root = this.element = document.createElement('div');
    root.className = 'moderator-controls';
    root.setAttribute('role', 'group');

    this.mute = button('btn btn-small btn-secondary');
    this.mute.addEventListener('click', () =>
      room.muteParticipant(participant.id, !this.#participant.serverMuted).catch(fail));

    this.ban = document.createElement('select');
    this.ban.className = 'ban-select';
    for (const [seconds, label] of BANS) this.ban.append(new Option(label, String(seconds)));

    this.remove = button('btn btn-small btn-danger');
    this.remove.textContent = 'Remove';
    this.remove.addEventListener('click', () =>
      room.removeParticipant(participant.id, { banSeconds: Number(this.ban.value) }).catch(fail));

    root.append(this.mute, this.ban, this.remove);
    this.update();
  }

  /** Shown only to a moderator, for someone who is not one; labels follow their name and server mute. */
  update() {
    const p = this.#participant;
    this.element.hidden = !(this.#room.isModerator && !p.permissions.admin);
    this.element.setAttribute('aria-label', `Moderate ${p.name}`);
    this.mute.textContent = p.serverMuted ? 'Allow to unmute' : 'Mute for everyone';
    this.mute.setAttribute('aria-label', p.serverMuted ? `Allow ${p.name} to unmute` : `Mute ${p.name} for everyone`);
    this.ban.setAttribute('aria-label', `Ban ${p.name} for`);
    this.remove.setAttribute('aria-label', `Remove ${p.name}`);
  }
}

function button(className) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  return b;
}
