// Calls Parley's admin API with the real RoomServiceClient of livekit-server-sdk, as an app's backend does.
// stdin:  {"url": "http://127.0.0.1:port", "apiKey": "...", "secret": "...", "token": "<optional JWT to send instead>",
//          "calls": [{"method": "listParticipants", "args": ["room"]}, ...]}
//         An argument {"$bytes": "<base64>"} is passed as a Uint8Array (sendData's data).
// stdout: a JSON array, one entry per call, in order: {"ok": true, "result": <protojson of the answer, defaults
//         included, or null>} or {"ok": false, "status": <HTTP status>, "code": "<Twirp code>", "message": "..."}.
import { RoomServiceClient } from 'livekit-server-sdk';

let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}

const { url, apiKey, secret, token, calls } = JSON.parse(input);
// No failover: Parley is one server, and a 5xx must reach the test as it is.
const client = new RoomServiceClient(url, apiKey, secret, { token, failover: false });
const toJson = (value) => {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value.toJson === 'function') return value.toJson({ emitDefaultValues: true });
  return value;
};
const argument = (value) => (value && typeof value === 'object' && '$bytes' in value ? new Uint8Array(Buffer.from(value.$bytes, 'base64')) : value);

const results = [];
for (const call of calls) {
  try {
    const result = await client[call.method](...(call.args ?? []).map(argument));
    results.push({ ok: true, result: toJson(result) });
  } catch (error) {
    results.push({ ok: false, status: error?.status ?? null, code: error?.code ?? null, message: String(error?.message ?? error) });
  }
}

process.stdout.write(JSON.stringify(results));
