// Parley's page: taps the first remote participant's playback (the GainNode that feeds the speakers, the SDK's
// playbackOutput) as soon as its <audio> element has a stream, and listens for `window.__benchExpectHz`.
(() => {
  const bench = window.__bench;
  const timer = setInterval(async () => {
    const el = document.querySelector('[data-peer]:not([data-self="true"]) audio');
    if (!(el?.srcObject instanceof MediaStream) || bench.tapping) return;
    bench.tapping = true;
    const sdk = await import('/sdk/index.js');
    const output = sdk.playbackOutput(el);
    if (!output) { bench.tapping = false; return; }
    clearInterval(timer);
    bench.mark('playback tapped');
    bench.listen(output, window.__benchExpectHz, 'remote');
  }, 5);
})();
