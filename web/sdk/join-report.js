// When the newcomer's room reports its join (statechange, joined, participant-joined: the page's whole re-render,
// the meter's Web Audio): once its first connections are up, not as soon as the server says `joined`. The members
// already there announce the newcomer the same way (remotes.js), once their connection to it is up. Until then the
// newcomer's main thread carries the call's critical path: its offers, the answers coming back, and the ICE
// candidates both ways are all handled there, and a re-render in the middle delays every one of them by tens of ms
// (docs/benchmarks.md, "Join to hearing"). A connection that takes long (through TURN, or never) holds the report
// back `joinReportMaxMs` at most. The SDK's default is 0, to report at once (an app whose page does little on
// `joined` loses nothing); Parley's page (app.js) waits 1000 ms at most: host-to-host connections take 100-250 ms,
// through TURN 250-900 ms.

/**
 * Resolves once none of `peers` is still `connecting` (connected, or failed, closed, ...), or after `maxMs`.
 * @param {import('./peer.js').PeerSession[]} peers
 * @param {{setTimeout: Function, clearTimeout: Function}} clock
 */
export function firstConnections(peers, clock, maxMs = 0) {
  const waiting = peers.filter((peer) => peer && peer.state === 'connecting');
  if (!waiting.length || !(maxMs > 0)) return Promise.resolve();
  return new Promise((resolve) => {
    const settled = new Set();
    const done = () => {
      clock.clearTimeout(timer);
      for (const peer of waiting) peer.removeEventListener('statechange', onState);
      resolve();
    };
    const onState = ({ target }) => {
      if (target.state === 'connecting') return;
      settled.add(target);
      if (settled.size === waiting.length) done();
    };
    const timer = clock.setTimeout(done, maxMs);
    for (const peer of waiting) peer.addEventListener('statechange', onState);
  });
}
