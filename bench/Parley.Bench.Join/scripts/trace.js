// Init script of every benchmark page (Parley's and the floor's): timestamps on one clock for every step of a
// join, in window.__bench.marks. Time is performance.timeOrigin + performance.now() (ms since the epoch, sub-ms),
// comparable between the browser processes of one machine. It wraps, without changing what they do: getUserMedia,
// WebSocket (open, and each message by its `type`), RTCPeerConnection (offer/answer calls, candidates gathered and
// added, ICE, DTLS and connection states, the remote track's first packet) and <audio> `playing`.
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = window.__bench = { now, marks: [], heard: {} };
  const mark = bench.mark = (name, t = now()) => bench.marks.push({ t, name });

  // Main-thread tasks over 10 ms (the page is busy: messages and callbacks wait).
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration >= 10) bench.marks.push({ t: performance.timeOrigin + e.startTime, name: `main thread busy ${e.duration.toFixed(0)} ms` });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch { /* no long task timing */ }

  // The page's and the SDK's own work: handlers of every event dispatched from JavaScript (the SDK's room events,
  // its connections' events) that take 2 ms or more, with how long.
  const nativeDispatch = EventTarget.prototype.dispatchEvent;
  EventTarget.prototype.dispatchEvent = function (ev) {
    const t = now();
    try { return nativeDispatch.call(this, ev); } finally {
      const ms = now() - t;
      if (ms >= 2) bench.marks.push({ t, name: `${ev.type} handlers ${ms.toFixed(0)} ms` });
    }
  };

  // The user's click on Join (capture phase: before the page's own handlers run).
  addEventListener('click', (ev) => {
    if (ev.target?.closest?.('#join-button')) bench.marks.push({ t: performance.timeOrigin + ev.timeStamp, name: 'click Join' });
  }, true);
  addEventListener('playing', (ev) => { if (ev.target instanceof HTMLAudioElement) mark('audio element playing'); }, true);

  const md = navigator.mediaDevices;
  if (md?.getUserMedia) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => { mark('getUserMedia called'); const s = await gum(c); mark('getUserMedia resolved'); return s; };
  }

  const NativeWs = window.WebSocket;
  window.WebSocket = class extends NativeWs {
    constructor(...args) {
      super(...args);
      mark('ws created');
      this.addEventListener('open', () => mark('ws open'));
      this.addEventListener('message', (ev) => {
        try { const type = JSON.parse(ev.data).type; if (type !== 'ping') mark(`ws <- ${type}`); } catch { /* not JSON */ }
      });
    }
    send(data) {
      try { const type = JSON.parse(data).type; if (type !== 'pong') mark(`ws -> ${type}`); } catch { /* not JSON */ }
      return super.send(data);
    }
  };

  const NativePc = window.RTCPeerConnection;
  let pcs = 0;
  window.RTCPeerConnection = class extends NativePc {
    constructor(config) {
      super(config);
      const p = `pc${++pcs}`;
      this.__p = p;
      mark(`${p} created`);
      let gathered = 0;
      this.addEventListener('icecandidate', (ev) => {
        if (ev.candidate?.candidate) {
          if (gathered++ === 0) mark(`${p} first candidate gathered (${ev.candidate.type})`);
          if (ev.candidate.type === 'relay') mark(`${p} relay candidate gathered`);
        } else mark(`${p} gathering complete`);
      });
      this.addEventListener('iceconnectionstatechange', () => mark(`${p} ice ${this.iceConnectionState}`));
      this.addEventListener('connectionstatechange', () => mark(`${p} connection ${this.connectionState}`));
      this.addEventListener('track', (ev) => {
        mark(`${p} track`);
        const track = ev.track;
        if (track.muted) track.addEventListener('unmute', () => mark(`${p} first audio packet (track unmute)`), { once: true });
        else mark(`${p} first audio packet (track unmute)`);
      });
    }
    #watchDtls() {
      const transport = this.getTransceivers()[0]?.sender?.transport ?? this.sctp?.transport;
      if (!transport || transport.__watched) return;
      transport.__watched = true;
      transport.addEventListener('statechange', () => mark(`${this.__p} dtls ${transport.state}`));
    }
    async createOffer(...a) { mark(`${this.__p} createOffer`); const r = await super.createOffer(...a); return r; }
    async createAnswer(...a) { mark(`${this.__p} createAnswer`); return super.createAnswer(...a); }
    async setLocalDescription(d) {
      const r = await super.setLocalDescription(d);
      mark(`${this.__p} local ${d?.type ?? this.localDescription?.type} set`);
      this.#watchDtls();
      return r;
    }
    async setRemoteDescription(d) {
      mark(`${this.__p} remote ${d?.type} arrives`);
      const r = await super.setRemoteDescription(d);
      mark(`${this.__p} remote ${d?.type} set`);
      this.#watchDtls();
      return r;
    }
    async addIceCandidate(c) {
      if (!this.__added) { this.__added = true; mark(`${this.__p} first remote candidate added`); }
      return super.addIceCandidate(c);
    }
  };
})();
