// The signaling server a tutorial gives you: every message goes to every other connected client.
// Usage: node broadcast-relay.js PORT
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] ?? 9001);
const server = new WebSocketServer({ host: '127.0.0.1', port });

server.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of server.clients) {
      if (client !== socket && client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});

server.on('listening', () => console.log(`broadcast relay listening on 127.0.0.1:${port}`));
