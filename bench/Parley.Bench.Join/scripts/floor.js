// The floor: two RTCPeerConnections in one page, connected directly (offer, answer and candidates handed over in
// JavaScript, no server), each sending the page's microphone (opened with the SDK's constraints before the clock
// starts) and playing what it receives as Parley does (a muted <audio> element keeping the stream flowing, Web
// Audio for the sound), heard by the same detectors. Returns the time from createOffer to both hearing (by each
// detector), and marks.
async ({ hz, constraints }) => {
  const bench = window.__bench;
  const mic = await navigator.mediaDevices.getUserMedia({ audio: constraints, video: false });
  const ctx = new AudioContext();
  await ctx.resume();
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  const heard = [];
  for (const [pc, other, label] of [[a, b, 'a'], [b, a, 'b']]) {
    pc.onicecandidate = ({ candidate }) => { if (candidate) other.addIceCandidate(candidate).catch(() => {}); };
    pc.addTrack(mic.getAudioTracks()[0], mic);
    heard.push(new Promise((resolve) => {
      pc.ontrack = ({ streams, track }) => {
        const stream = streams[0] ?? new MediaStream([track]);
        const el = document.createElement('audio');
        el.muted = true;
        el.srcObject = stream;
        document.body.append(el);
        el.play().catch(() => {});
        const source = ctx.createMediaStreamSource(stream);
        const gain = ctx.createGain();
        source.connect(gain).connect(ctx.destination); // as playback.js: source -> gain (1) -> speakers
        bench.listen(gain, hz, label);
        const poll = setInterval(() => { if (bench.heard[label] && bench.heardAudio[label]) { clearInterval(poll); resolve(); } }, 5);
      };
    }));
  }
  const start = bench.now();
  bench.mark('createOffer (floor start)');
  const offer = await a.createOffer();
  await a.setLocalDescription(offer);
  await b.setRemoteDescription(offer);
  const answer = await b.createAnswer();
  await b.setLocalDescription(answer);
  await a.setRemoteDescription(answer);
  await Promise.race([Promise.all(heard), new Promise((r) => setTimeout(r, 15000))]);
  const end = Math.max(bench.heard.a ?? NaN, bench.heard.b ?? NaN);
  const endAudio = Math.max(bench.heardAudio.a ?? NaN, bench.heardAudio.b ?? NaN);
  for (const pc of [a, b]) pc.close();
  for (const t of mic.getTracks()) t.stop();
  await ctx.close();
  return JSON.stringify({ ms: end - start, audioMs: endAudio - start, start, marks: bench.marks });
}
