// Token mode on the page: `/?token=JWT` from the app's backend. The room and name come from the token's
// payload (read, not verified: the server verifies) and cannot be edited; Join joins with the token.

import { decodeAccessToken } from '../sdk/token.js';

/** The page's access token (`?token=`), or null. */
export function tokenFromSearch(search) {
  const token = new URLSearchParams(search).get('token')?.trim();
  return token || null;
}

/** What the join form shows for `token`: {room, name} from its payload, or null when it cannot be read. */
export function joinFieldsFor(token) {
  const info = decodeAccessToken(token);
  return info ? { room: info.room, name: info.name } : null;
}

/** Fills the Room and Your name fields from the token and makes them read-only. */
export function lockJoinFields({ roomInput, nameInput }, fields) {
  roomInput.value = fields?.room ?? '';
  nameInput.value = fields?.name ?? '';
  for (const input of [roomInput, nameInput]) {
    input.readOnly = true;
    input.setAttribute('aria-readonly', 'true');
    input.title = 'Set by your invitation link';
  }
}
