// SDP munging that tunes Opus for voice. Pure functions, no DOM: usable in node for tests.
//
// Applied to our own offers and answers before setLocalDescription: the fmtp parameters of a local
// description tell the remote encoder how we want to receive, so both directions end up mono, with
// in-band FEC (recovers lost packets) and DTX (no packets during silence).

/** The parameters Parley sets on every Opus payload type. */
export const VOICE_OPUS_PARAMS = Object.freeze({
  stereo: '0',
  'sprop-stereo': '0',
  useinbandfec: '1',
  usedtx: '1',
});

/**
 * Parses an fmtp parameter list ("minptime=10;useinbandfec=1") into ordered [key, value] pairs.
 * @param {string} text
 * @returns {Array<[string, string]>}
 */
export function parseFmtpParams(text) {
  const pairs = [];
  for (const part of text.split(';')) {
    const item = part.trim();
    if (!item) continue;
    const eq = item.indexOf('=');
    if (eq < 0) pairs.push([item, '']);
    else pairs.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
  }
  return pairs;
}

/** Serialises pairs from parseFmtpParams back to "k=v;k=v". */
export function formatFmtpParams(pairs) {
  return pairs.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join(';');
}

/** Payload types of every `a=rtpmap:<pt> opus/48000[/2]` line in the SDP. */
export function opusPayloadTypes(sdp) {
  const types = new Set();
  for (const m of sdp.matchAll(/^a=rtpmap:(\d+) opus\/48000(?:\/\d+)?\s*$/gim)) types.add(m[1]);
  return types;
}

/**
 * Returns `sdp` with `params` set on the fmtp line of every Opus payload type. Existing parameters
 * keep their order (values overridden); new ones are appended. A payload type without an fmtp line
 * gets one, right after its rtpmap line. Line endings (CRLF or LF) are preserved; an SDP without
 * Opus is returned unchanged.
 *
 * @param {string} sdp
 * @param {Record<string, string|number|boolean>} [params]
 * @returns {string}
 */
export function tuneOpus(sdp, params = VOICE_OPUS_PARAMS) {
  if (typeof sdp !== 'string' || sdp === '') return sdp;
  const types = opusPayloadTypes(sdp);
  if (types.size === 0) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const trailing = sdp.endsWith(eol);
  const lines = sdp.split(/\r?\n/);
  if (trailing) lines.pop();

  const wanted = Object.entries(params).map(([k, v]) => [k, String(typeof v === 'boolean' ? Number(v) : v)]);
  const withFmtp = new Set();
  const out = lines.map((line) => {
    const m = /^a=fmtp:(\d+) (.*)$/.exec(line);
    if (!m || !types.has(m[1])) return line;
    withFmtp.add(m[1]);
    return `a=fmtp:${m[1]} ${formatFmtpParams(mergeParams(parseFmtpParams(m[2]), wanted))}`;
  });

  const result = [];
  for (const line of out) {
    result.push(line);
    const m = /^a=rtpmap:(\d+) opus\/48000/i.exec(line);
    if (m && !withFmtp.has(m[1])) {
      result.push(`a=fmtp:${m[1]} ${formatFmtpParams(wanted)}`);
      withFmtp.add(m[1]);
    }
  }
  return result.join(eol) + (trailing ? eol : '');
}

function mergeParams(existing, wanted) {
  const merged = existing.map(([k, v]) => [k, v]);
  for (const [key, value] of wanted) {
    const found = merged.find(([k]) => k.toLowerCase() === key.toLowerCase());
    if (found) found[1] = value;
    else merged.push([key, value]);
  }
  return merged;
}
