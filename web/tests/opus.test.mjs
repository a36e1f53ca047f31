import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tuneOpus, parseFmtpParams, formatFmtpParams, opusPayloadTypes, VOICE_OPUS_PARAMS } from '../sdk/opus.js';

// A trimmed Chromium offer: Opus on 111 with an fmtp line, plus other audio codecs.
const CHROME_OFFER = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtcp-fb:111 transport-cc',
  'a=fmtp:111 minptime=10;useinbandfec=1',
  'a=rtpmap:63 red/48000/2',
  'a=fmtp:63 111/111',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:13 CN/8000',
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
  '',
].join('\r\n');

const fmtpOf = (sdp, pt) => sdp.split('\r\n').find((l) => l.startsWith(`a=fmtp:${pt} `));

test('adds mono, FEC and DTX to the existing opus fmtp line, keeping existing params first', () => {
  const out = tuneOpus(CHROME_OFFER);
  assert.equal(fmtpOf(out, 111), 'a=fmtp:111 minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0;usedtx=1');
});

test('leaves every other line untouched and keeps CRLF endings', () => {
  const out = tuneOpus(CHROME_OFFER);
  const before = CHROME_OFFER.split('\r\n');
  const after = out.split('\r\n');
  assert.equal(after.length, before.length);
  for (let i = 0; i < before.length; i++) {
    if (!before[i].startsWith('a=fmtp:111 ')) assert.equal(after[i], before[i]);
  }
  assert.ok(out.endsWith('\r\n'));
  assert.ok(!/[^\r]\n/.test(out), 'no bare LF');
});

test('does not touch the fmtp line of RED, which references opus', () => {
  assert.equal(fmtpOf(tuneOpus(CHROME_OFFER), 63), 'a=fmtp:63 111/111');
});

test('overrides conflicting values instead of duplicating keys', () => {
  const sdp = CHROME_OFFER.replace('a=fmtp:111 minptime=10;useinbandfec=1', 'a=fmtp:111 stereo=1;useinbandfec=0;usedtx=0');
  assert.equal(fmtpOf(tuneOpus(sdp), 111), 'a=fmtp:111 stereo=0;useinbandfec=1;usedtx=1;sprop-stereo=0');
});

test('adds an fmtp line right after the rtpmap line when opus has none', () => {
  const sdp = CHROME_OFFER.replace('a=fmtp:111 minptime=10;useinbandfec=1\r\n', '');
  const lines = tuneOpus(sdp).split('\r\n');
  const i = lines.indexOf('a=rtpmap:111 opus/48000/2');
  assert.equal(lines[i + 1], 'a=fmtp:111 stereo=0;sprop-stereo=0;useinbandfec=1;usedtx=1');
});

test('is idempotent', () => {
  const once = tuneOpus(CHROME_OFFER);
  assert.equal(tuneOpus(once), once);
});

test('handles several opus payload types and LF-only SDP', () => {
  const sdp = 'v=0\nm=audio 9 RTP/AVP 96 97\na=rtpmap:96 opus/48000/2\na=fmtp:96 maxplaybackrate=16000\na=rtpmap:97 OPUS/48000/2\n';
  const out = tuneOpus(sdp);
  assert.match(out, /^a=fmtp:96 maxplaybackrate=16000;stereo=0;sprop-stereo=0;useinbandfec=1;usedtx=1$/m);
  assert.match(out, /^a=fmtp:97 stereo=0;sprop-stereo=0;useinbandfec=1;usedtx=1$/m);
  assert.ok(!out.includes('\r'));
});

test('returns SDP without opus, and non-strings, unchanged', () => {
  const sdp = 'v=0\r\nm=audio 9 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';
  assert.equal(tuneOpus(sdp), sdp);
  assert.equal(tuneOpus(''), '');
  assert.equal(tuneOpus(undefined), undefined);
});

test('accepts custom params, booleans as 0/1', () => {
  const out = tuneOpus(CHROME_OFFER, { usedtx: false, maxaveragebitrate: 32000 });
  assert.equal(fmtpOf(out, 111), 'a=fmtp:111 minptime=10;useinbandfec=1;usedtx=0;maxaveragebitrate=32000');
});

test('fmtp helpers round-trip', () => {
  const pairs = parseFmtpParams(' minptime=10; useinbandfec=1;flag ');
  assert.deepEqual(pairs, [['minptime', '10'], ['useinbandfec', '1'], ['flag', '']]);
  assert.equal(formatFmtpParams(pairs), 'minptime=10;useinbandfec=1;flag');
  assert.deepEqual([...opusPayloadTypes(CHROME_OFFER)], ['111']);
  assert.deepEqual(VOICE_OPUS_PARAMS, { stereo: '0', 'sprop-stereo': '0', useinbandfec: '1', usedtx: '1' });
});

test('the parley data channel\'s m=application section passes through tuneOpus untouched', () => {
  const audio = 'm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=rtpmap:111 opus/48000/2\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n';
  const data = 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n';
  const sdp = `v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\na=group:BUNDLE 0 1\r\n${audio}${data}`;
  const tuned = tuneOpus(sdp);
  assert.ok(tuned.endsWith(data), 'the data section is unchanged');
  assert.match(tuned, /a=fmtp:111 minptime=10;useinbandfec=1;stereo=0;sprop-stereo=0;usedtx=1\r\nm=application/);
});
