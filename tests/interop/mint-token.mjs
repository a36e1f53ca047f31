// Mints an access token with the real livekit-server-sdk, as an app's backend does, and prints it on one line.
// Input (JSON on stdin): { apiKey, secret, identity, name?, metadata?, ttl?, grant: { ...VideoGrant } }, where
// grant.canPublishSources holds names ("microphone", "camera", ...) that become the SDK's TrackSource values.
import { AccessToken, TrackSource } from 'livekit-server-sdk';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));

const token = new AccessToken(input.apiKey, input.secret, {
  identity: input.identity,
  name: input.name,
  metadata: input.metadata,
  ttl: input.ttl,
});
const grant = { ...(input.grant ?? {}) };
if (Array.isArray(grant.canPublishSources)) {
  grant.canPublishSources = grant.canPublishSources.map((name) => {
    const source = TrackSource[name.toUpperCase()];
    if (source === undefined) throw new Error(`unknown track source ${name}`);
    return source;
  });
}
token.addGrant(grant);
process.stdout.write(`${await token.toJwt()}\n`);
