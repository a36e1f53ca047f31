// Checks webhooks as an app's backend does: with the real WebhookReceiver of livekit-server-sdk.
// stdin:  {"apiKey": "...", "secret": "...", "requests": [{"body": "<base64 of the bytes>", "authorization": "<header>"}]}
// stdout: a JSON array, one entry per request: {"ok": true, "event": <the parsed WebhookEvent, as protojson>}
//         (defaults included) or {"ok": false, "error": "<why WebhookReceiver refused it>"}.
import { WebhookReceiver } from 'livekit-server-sdk';

let input = '';
for await (const chunk of process.stdin) {
  input += chunk;
}

const { apiKey, secret, requests } = JSON.parse(input);
const receiver = new WebhookReceiver(apiKey, secret);
const results = [];
for (const request of requests) {
  const body = Buffer.from(request.body, 'base64').toString('utf8');
  try {
    const event = await receiver.receive(body, request.authorization ?? undefined);
    // Every field, defaults included (protojson would leave out false, 0 and the first value of an enum).
    results.push({ ok: true, event: event.toJson({ emitDefaultValues: true }) });
  } catch (error) {
    results.push({ ok: false, error: String(error?.message ?? error) });
  }
}

process.stdout.write(JSON.stringify(results));
