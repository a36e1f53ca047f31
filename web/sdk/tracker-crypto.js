// The secrets of a room met through WebTorrent trackers (docs/protocol.md, "Meeting through WebTorrent trackers"):
// which swarm (`info_hash`) and the key that seals each SDP, both derived from the room name and its password.
//
// A tracker sees the info_hash and the sealed SDP of everyone who meets there. So:
//   - one PBKDF2-SHA-256 run (100,000 iterations, salt "parley-tracker-v1") over [room, password] gives 64 bytes:
//     bytes 0-31 are the AES-256-GCM key, bytes 32-41 (hex, 20 characters) the info_hash. PBKDF2 computes each
//     32-byte block with its own full chain of iterations (RFC 8018 §5.2), so the info_hash says nothing about the
//     key, and guessing a room name and password from it costs a tracker the same 100,000 iterations per guess as
//     guessing them from a sealed SDP. (Trystero hashes "Trystero@app@room" once with SHA-1 and keys AES-GCM with
//     one SHA-256: a tracker can test millions of room names a second.)
//   - a different password is a different swarm: peers with the wrong password never even see each other's offers,
//     and if they did, the offer would not open.
//   - every SDP is sealed with AES-GCM (NIST SP 800-38D) under a fresh random 96-bit IV, and the additional data
//     binds it to the swarm, its direction (offer or answer), its sender's peer_id and its offer_id: a tracker
//     cannot pass one peer's offer off as another's, nor an offer as an answer.
// The DTLS fingerprints are inside the sealed SDP, so a tracker that cannot open it cannot sit in the middle of the
// connection either.

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const TRACKER_KDF = Object.freeze({ salt: 'parley-tracker-v1', iterations: 100_000, hash: 'SHA-256' });

/** Characters of a peer_id (20 of them: what the trackers require, and what Trystero uses). */
const ID_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function subtle() {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Web Crypto is not available here (it needs a secure context: https or localhost).');
  return s;
}

/**
 * The swarm and key of `room` with `password` ('' or absent: none).
 * @returns {Promise<{infoHash: string, key: CryptoKey}>}
 */
export async function deriveRoomSecrets(room, password = '') {
  const s = subtle();
  const material = await s.importKey('raw', encoder.encode(JSON.stringify(['parley', String(room), String(password ?? '')])),
    'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await s.deriveBits(
    { name: 'PBKDF2', salt: encoder.encode(TRACKER_KDF.salt), iterations: TRACKER_KDF.iterations, hash: TRACKER_KDF.hash },
    material, 512));
  const key = await s.importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const infoHash = [...bits.slice(32, 42)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { infoHash, key };
}

/** What the sealed SDP is bound to: the swarm, offer or answer, the sender's peer_id, the offer_id. */
export function sealContext(infoHash, kind, senderId, offerId) {
  return `${infoHash}|${kind}|${senderId}|${offerId}`;
}

/** Seals `sdp`: "<base64 IV>.<base64 ciphertext and tag>". */
export async function sealSdp(key, sdp, context) {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const sealed = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key,
    encoder.encode(sdp));
  return `${toBase64(iv)}.${toBase64(new Uint8Array(sealed))}`;
}

/** Opens what sealSdp made under the same key and context; null for anything else (never throws). */
export async function openSdp(key, sealed, context) {
  if (typeof sealed !== 'string' || sealed.length > 200_000) return null;
  const [ivText, dataText, extra] = sealed.split('.');
  if (extra !== undefined) return null;
  const iv = fromBase64(ivText);
  const data = fromBase64(dataText);
  if (!iv || iv.length !== 12 || !data || data.length < 16) return null;
  try {
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(context) }, key, data);
    return decoder.decode(plain);
  } catch {
    return null; // wrong key (another password), or tampered with
  }
}

/** A random 20-character id: a peer_id, and my participant id in a tracker room. */
export function randomPeerId(random = globalThis.crypto) {
  const bytes = random.getRandomValues(new Uint8Array(20));
  // 62 does not divide 256: the bias (the first 8 characters slightly more likely) does not matter for an id.
  return [...bytes].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

function toBase64(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text);
}

function fromBase64(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
