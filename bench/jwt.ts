/**
 * Synchronous HS256 JWT minting for the bench (fixture users and the key-pool drain, whose load generator mints a
 * token per request inside autocannon's synchronous `setupRequest`). The tokens are what `itemshop token` mints:
 * `{sub, iat, exp}` signed with the project's secret; the server verifies them with `jose`.
 */
import { createHmac } from 'node:crypto';

const b64url = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** A user JWT for `sub`, valid `ttlSeconds` (default 7 days) from now. */
export function mintToken(secret: string, sub: string, ttlSeconds = 7 * 24 * 3600): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = b64url(JSON.stringify({ sub, iat: now, exp: now + ttlSeconds, iss: 'itemshop-bench' }));
  const signature = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return `${HEADER}.${payload}.${signature}`;
}
