// Verifies a token with the real livekit-server-sdk's TokenVerifier, as LiveKit's server and SDKs check them.
// Usage: node verify-token.mjs <apiKey> <secret>, the token on stdin. Prints the payload as JSON; a token the
// verifier refuses ends the script with exit code 1 and jose's reason on stderr.
import { TokenVerifier } from 'livekit-server-sdk';

const [apiKey, secret] = process.argv.slice(2);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const token = Buffer.concat(chunks).toString('utf8').trim();

try {
  const payload = await new TokenVerifier(apiKey, secret).verify(token);
  process.stdout.write(`${JSON.stringify(payload)}\n`);
} catch (error) {
  process.stderr.write(`refused: ${error.code ?? ''} ${error.message}\n`);
  process.exit(1);
}
