/**
 * Request ids (`transactionId` of error envelopes, `reqId` of log lines): 32 lowercase hex characters, a random
 * per-process prefix and a counter — unique within and across processes without a random draw per request.
 */
import { randomBytes } from 'node:crypto';

const prefix = randomBytes(10).toString('hex'); // 20 hex
let counter = 0;

/** The next request id (32 hex). */
export function nextRequestId(): string {
  counter = (counter + 1) % 2 ** 48;
  return prefix + counter.toString(16).padStart(12, '0');
}
