// Reading (never verifying) a LiveKit-format access token in the browser (docs/access.md). The server
// verifies every token; the client only looks inside to show the room and name before joining, and to
// know whether it may publish at all, so that a listener never opens its microphone.
// Hostile input never throws: anything that is not a JWT with a JSON object payload gives null.

/** Bytes of a base64 or base64url string (padding optional); null when it is not one. */
export function decodeBase64(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) return null;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (standard.length % 4 === 1) return null;
  try {
    const binary = atob(standard + '='.repeat((4 - (standard.length % 4)) % 4));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/**
 * What an access token says, unverified: {identity, name, room, canPublish, admin, expiresAt}, or null when
 * `token` is not a JWT with a JSON payload. `name` falls back to `identity` (`sub`, else `jti`), as the server
 * does; `canPublish` follows LiveKit's grant (default true; `canPublishSources`, when present, must list
 * `microphone`); `expiresAt` is a Date or null.
 */
export function decodeAccessToken(token) {
  if (typeof token !== 'string' || token.length > 16384) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const bytes = decodeBase64(parts[1]);
  if (!bytes) return null;
  let payload;
  try { payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)); } catch { return null; }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return null;
  const str = (v) => (typeof v === 'string' ? v : '');
  const video = payload.video && typeof payload.video === 'object' ? payload.video : {};
  const identity = str(payload.sub) || str(payload.jti);
  const sources = Array.isArray(video.canPublishSources) ? video.canPublishSources : null;
  const canPublish = sources ? sources.includes('microphone') : video.canPublish !== false;
  return {
    identity,
    name: str(payload.name) || identity,
    room: str(video.room),
    canPublish,
    admin: video.roomAdmin === true,
    expiresAt: Number.isFinite(payload.exp) ? new Date(payload.exp * 1000) : null,
  };
}
