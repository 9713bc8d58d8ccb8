/**
 * The retry schedule of webhook deliveries (config WEBHOOK_RETRY_SCHEDULE): groups `<count>x<delay><unit>`,
 * unit `ms`, `s`, `m` or `h`, separated by commas. The real service retries an order webhook that got no
 * acceptable answer 2 times 5 minutes apart, then 7 times at 15 minutes, then 10 times at 60 minutes — at most
 * 20 attempts over about 12 hours (spec/NOTES.md "Webhooks the real service sends"): `2x5m,7x15m,10x60m`.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The real service's schedule. */
export const DEFAULT_RETRY_SCHEDULE = '2x5m,7x15m,10x60m';

/**
 * `"2x5m,7x15m"` → the wait in ms before each retry: `[300000, 300000, 900000, …]` (one entry per retry, so the
 * number of attempts is `length + 1`). An empty string means no retries.
 * @throws Error naming the group that does not parse, or when there are more than 1000 retries.
 */
export function parseRetrySchedule(text: string): number[] {
  const delays: number[] = [];
  for (const group of text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean)) {
    const m = /^(\d+)x(\d+)(ms|s|m|h)$/.exec(group);
    if (!m) throw new Error(`Invalid webhook retry schedule group "${group}" (expected e.g. 2x5m)`);
    const count = Number(m[1]);
    if (delays.length + count > 1000) throw new Error('A webhook retry schedule has at most 1000 retries');
    for (let i = 0; i < count; i++) delays.push(Number(m[2]) * UNIT_MS[m[3]]);
  }
  return delays;
}
