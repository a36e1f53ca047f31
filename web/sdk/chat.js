// Room text chat helpers (protocol: docs/protocol.md, `chat`). Texts are data: render them as text.

import { ParleyError } from './errors.js';

/** Trims `text` and checks it against `maxLength` (UTF-16 code units, as the server counts). */
export function checkChatText(text, maxLength = 500) {
  const trimmed = String(text ?? '').trim();
  if (!trimmed) throw new ParleyError('invalid-message', 'The message is empty.', { ref: 'chat' });
  if (trimmed.length > maxLength) {
    throw new ParleyError('invalid-message', `Messages can be at most ${maxLength} characters long.`, { ref: 'chat' });
  }
  return trimmed;
}

/** The `chat` event detail for a relayed message; `participant` is the sender if still known. */
export function chatEventFor(message, participant) {
  const time = new Date(message.time ?? Date.now());
  return {
    participant: participant ?? null,
    from: String(message.from ?? ''),
    name: String(message.name ?? participant?.name ?? ''),
    text: String(message.text ?? ''),
    time: Number.isNaN(time.getTime()) ? new Date() : time,
    self: participant?.isSelf === true,
  };
}
