// Parley's page: taps the first remote participant's playback (the GainNode that feeds the speakers, the SDK's
// playbackOutput) as soon as the SDK has attached their stream to its <audio> element, and listens for
// `window.__benchExpectHz`. Found through the SDK (window.parley.room), not the page's list: what plays is heard
// whether or not the page shows the person yet. The SDK module is imported once the page has loaded, not when the
// stream arrives: a dynamic import resolves in a task of its own, which on the newcomer's busy main thread came
// 100-150 ms after the stream did, and the tap (so the detector) with it.
(() => {
  const bench = window.__bench;
  let sdk = null;
  addEventListener('DOMContentLoaded', () => { import('/sdk/index.js').then((m) => { sdk = m; }); });
  const timer = setInterval(() => {
    if (!sdk) return;
    const el = window.parley?.room.participants.find((p) => !p.isSelf && p.audio?.srcObject instanceof MediaStream)?.audio;
    const output = el ? sdk.playbackOutput(el) : null;
    if (!output) return;
    clearInterval(timer);
    bench.mark('playback tapped');
    bench.listen(output, window.__benchExpectHz, 'remote');
  }, 5);
})();
