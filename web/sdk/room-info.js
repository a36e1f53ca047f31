// RoomInfo: what the server says about the room itself (`joined`, `room-updated`): locked, and the app's metadata.

export class RoomInfo {
  locked = false;
  metadata = '';

  /** Takes the fields of a `joined` or `room-updated`; returns the names of those that changed. */
  update(message) {
    const next = { locked: message?.locked === true, metadata: typeof message?.metadata === 'string' ? message.metadata : '' };
    const changes = Object.keys(next).filter((k) => next[k] !== this[k]);
    Object.assign(this, next);
    return changes;
  }

  reset() { this.update(null); }
}
