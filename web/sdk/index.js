// Parley browser SDK: public API. See parley.d.ts for types.

export { ParleyRoom } from './room.js';
export { Participant } from './participant.js';
export { SignalingClient, PROTOCOL_VERSION, DEFAULT_LIMITS, RECONNECTING_CLOSE_CODE, signalingUrlFor } from './signaling.js';
export { Reconnector, backoffDelayMs, goawayDelayMs, BACKOFF } from './reconnect.js';
export { PeerSession, isPolite, peerStateFor } from './peer.js';
export { tuneOpus, VOICE_OPUS_PARAMS, parseFmtpParams, formatFmtpParams, opusPayloadTypes } from './opus.js';
export {
  getMicrophone, microphoneError, VOICE_CONSTRAINTS, LevelMeter, SpeakingDetector, getAudioContext, rms,
} from './audio.js';
export { AudioPlayback, playbackOutput } from './playback.js';
export { LocalVoice } from './local-voice.js';
export { INPUT_MODES, VoiceActivityDetector, TransmitGate, PushToTalkKey, isTextField } from './transmit.js';
export { PeerPreferences, clampVolume } from './preferences.js';
export { qualityFromStats, measureQuality, POOR_QUALITY } from './quality.js';
export { ParleyError, SERVER_ERROR_CODES, CLIENT_ERROR_CODES, FATAL_SERVER_CODES, ACCESS_REFUSAL_CODES } from './errors.js';
export { decodeAccessToken } from './token.js';
export { MAX_BAN_SECONDS } from './moderation.js';
export { TokenBucket, bucketForLimits } from './ratelimit.js';
export { CHANNEL_DEFAULTS, FADE_MODELS, positionalChannel, fadeGain, pannerSettings } from './spatial-math.js';
