// Parley's page: taps the first remote participant's playback (the GainNode that feeds the speakers, the SDK's
// playbackOutput) as soon as the SDK has attached their stream to its <audio> element, and listens for
// `window.__benchExpectHz`. Found through the SDK (window.parley.room), not the page's list: what plays is heard
// whether or not the page shows the person yet.
(() => {
  const bench = window.__bench;
  const timer = setInterval(async () => {
    const el = window.parley?.room.participants.find((p) => !p.isSelf && p.audio?.srcObject instanceof MediaStream)?.audio;
    if (!el || bench.tapping) return;
    bench.tapping = true;
    const sdk = await import('/sdk/index.js');
    const output = sdk.playbackOutput(el);
    if (!output) { bench.tapping = false; return; }
    clearInterval(timer);
    bench.mark('playback tapped');
    bench.listen(output, window.__benchExpectHz, 'remote');
  }, 5);
})();
