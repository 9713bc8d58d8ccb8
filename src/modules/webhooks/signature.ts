/**
 * Webhook signatures as the real service computes them (spec/NOTES.md "Webhooks the real service sends"): the
 * header `Authorization: Signature <hex>` where `<hex>` is the lowercase SHA-1 of the exact body bytes with the
 * project's secret key appended — plain SHA-1 over `body + key`, not an HMAC.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** Lowercase hex SHA-1 of `rawBody` followed by `secret` (both UTF-8 when strings). */
export function webhookSignature(rawBody: string | Buffer, secret: string): string {
  return createHash('sha1')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(Buffer.from(secret, 'utf8'))
    .digest('hex');
}

/** The `Authorization` header value of a webhook with `rawBody`: `Signature <hex>`. */
export function signatureHeader(rawBody: string | Buffer, secret: string): string {
  return `Signature ${webhookSignature(rawBody, secret)}`;
}

/**
 * What a merchant's receiver does: true when `authorization` is `Signature <hex>` with the SHA-1 of the raw bytes
 * received plus `secret` (constant-time comparison, case-insensitive hex).
 */
export function verifyWebhookSignature(
  rawBody: string | Buffer,
  authorization: string | undefined,
  secret: string,
): boolean {
  const m = /^Signature\s+([0-9a-fA-F]{40})\s*$/.exec(authorization ?? '');
  if (!m) return false;
  const expected = Buffer.from(webhookSignature(rawBody, secret), 'hex');
  return timingSafeEqual(Buffer.from(m[1].toLowerCase(), 'hex'), expected);
}
