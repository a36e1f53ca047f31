// The reference WebTorrent tracker (npm bittorrent-tracker, its WebSocket part only) on a free loopback port, for
// the browser tests of Parley's SDK meeting through trackers. Prints its ws:// URL on the first line of stdout, then
// runs until its stdin closes (the test process ends it by closing stdin, or kills it).
//   node reference-tracker.mjs
import Server from 'bittorrent-tracker/server';

const server = new Server({ udp: false, http: false, ws: true, stats: false });
server.on('error', (err) => { console.error(`tracker error: ${err.message}`); process.exitCode = 1; });
server.on('warning', (err) => console.error(`tracker warning: ${err.message}`));
server.on('start', (peerId) => console.error(`start ${peerId}`));
server.on('stop', (peerId) => console.error(`stop ${peerId}`));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.ws.address();
  console.log(`ws://127.0.0.1:${port}`);
});
process.stdin.resume();
process.stdin.on('end', () => server.close(() => process.exit()));
