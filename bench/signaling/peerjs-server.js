// peerjs-server (npm `peer`) on 127.0.0.1 for the signaling benchmark.
// Usage: node peerjs-server.js PORT [CONCURRENT_LIMIT]
// concurrent_limit defaults to 5000 in peer; the benchmark raises it so that large runs are not refused.
const { PeerServer } = require('peer');

const port = Number(process.argv[2] ?? 9000);
const concurrentLimit = Number(process.argv[3] ?? 5000);

PeerServer({ port, host: '127.0.0.1', path: '/', concurrent_limit: concurrentLimit }, () => {
  console.log(`peerjs-server listening on 127.0.0.1:${port}/peerjs (concurrent_limit ${concurrentLimit})`);
});
