// Connection quality of one peer connection from getStats(): round-trip time, packet loss and jitter
// of what we receive. Packet loss is computed over the interval since the previous measurement when
// one is given (so an old burst of loss fades out), else since the start of the call.

/** Thresholds above which a connection counts as poor. */
export const POOR_QUALITY = Object.freeze({ rttMs: 400, packetLossPercent: 5, jitterMs: 50 });

/**
 * Reads an RTCStatsReport (any iterable of stats objects, or a Map) into
 * { rttMs, packetLossPercent, jitterMs, packetsReceived, packetsLost, poor, reasons, at }.
 * Missing figures are null. Pure.
 */
export function qualityFromStats(report, previous = null, now = Date.now()) {
  const stats = [...(typeof report?.values === 'function' ? report.values() : report ?? [])];
  const inbound = stats.find((s) => s.type === 'inbound-rtp' && (s.kind ?? s.mediaType) === 'audio');
  const pair = selectedPair(stats);
  const remoteInbound = stats.find((s) => s.type === 'remote-inbound-rtp' && (s.kind ?? 'audio') === 'audio');
  const rtt = pair?.currentRoundTripTime ?? remoteInbound?.roundTripTime;
  const received = inbound?.packetsReceived ?? null;
  const lost = inbound?.packetsLost ?? null;
  let packetLossPercent = null;
  if (received !== null && lost !== null) {
    const dReceived = received - (previous?.packetsReceived ?? 0);
    const dLost = lost - (previous?.packetsLost ?? 0);
    const total = dReceived + Math.max(0, dLost);
    packetLossPercent = total > 0 ? round(100 * Math.max(0, dLost) / total) : 0;
  }
  const quality = {
    rttMs: typeof rtt === 'number' ? round(rtt * 1000) : null,
    packetLossPercent,
    jitterMs: typeof inbound?.jitter === 'number' ? round(inbound.jitter * 1000) : null,
    packetsReceived: received,
    packetsLost: lost,
    at: now,
  };
  const reasons = [];
  if (quality.rttMs !== null && quality.rttMs > POOR_QUALITY.rttMs) reasons.push('rtt');
  if (quality.packetLossPercent !== null && quality.packetLossPercent > POOR_QUALITY.packetLossPercent) reasons.push('packet-loss');
  if (quality.jitterMs !== null && quality.jitterMs > POOR_QUALITY.jitterMs) reasons.push('jitter');
  return { ...quality, poor: reasons.length > 0, reasons };
}

/** Measures `pc` now; see qualityFromStats. */
export async function measureQuality(pc, previous = null) {
  return qualityFromStats(await pc.getStats(), previous);
}

function selectedPair(stats) {
  const transport = stats.find((s) => s.type === 'transport' && s.selectedCandidatePairId);
  if (transport) return stats.find((s) => s.id === transport.selectedCandidatePairId);
  return stats.find((s) => s.type === 'candidate-pair' && (s.selected || s.nominated) && s.state === 'succeeded');
}

function round(x) {
  return Math.round(x * 10) / 10;
}
