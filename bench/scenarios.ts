/**
 * The bench scenarios (issue 7 item 2) as prepared request lists built deterministically from the fixture.
 *
 * Reads (measured on Itemshop, the plain baseline P and the ceiling C):
 *   R1 anonymous list page of virtual items at a random offset; R2 the same with a user JWT (10k users);
 *   R3 one item by SKU; R4 deep pages (offset ≥ 90% of N); R5 `If-None-Match` with the page's ETag → 304.
 * Writes (Itemshop only; they change the database):
 *   W1 cart fill (put-item); W2 order create (create-order-with-item) with an `Idempotency-Key`, 10% replays;
 *   W3 virtual-currency purchase; W4 flash sale of a stocked item (exact: successes = stock);
 *   W5 key-pool drain: every code of the pool redeemed once (redeem-game-pin-code), each by its own user.
 */
import { prng, type Fixture } from './fixture.js';
import { mintToken } from './jwt.js';
import type { PreparedRequest } from './load.js';

export type ScenarioId = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'W1' | 'W2' | 'W3' | 'W4' | 'W5';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Reads run on every server; writes on Itemshop only. */
  kind: 'read' | 'write';
  /** Statuses that count as a correct answer (others are errors). */
  expected: number[];
  order: 'random' | 'sequence';
  /** Exact number of requests (the run ends after them) instead of a timed run. */
  amount?: (f: Fixture) => number;
  /** Operation that must exist for the scenario to run (its route answers something else than "Route … not found"). */
  probe?: { method: string; path: string };
  requests(f: Fixture): PreparedRequest[];
  /** Prepares the server's state before the runs (e.g. balances); returns why it cannot, or null. */
  setup?: (base: string, f: Fixture) => Promise<string | null>;
}

const LIST = (f: Fixture) => `/api/v2/project/${f.projectId}/items/virtual_items`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

/** `count` offsets in [from, to] from the seeded PRNG. */
function offsets(seed: number, count: number, from: number, to: number): number[] {
  const rnd = prng(seed);
  return Array.from({ length: count }, () => from + Math.floor(rnd() * (Math.max(from, to) - from + 1)));
}

/** URLs of R1 (also used by R5 and the recording of the ceiling). */
export const r1Paths = (f: Fixture) =>
  offsets(f.spec.seed + 1, 1000, 0, Math.max(0, f.spec.items - 50)).map(
    (o) => `${LIST(f)}?limit=50&offset=${o}`,
  );
export const r4Paths = (f: Fixture) =>
  offsets(f.spec.seed + 4, 1000, Math.floor(f.spec.items * 0.9), Math.max(0, f.spec.items - 50)).map(
    (o) => `${LIST(f)}?limit=50&offset=${o}`,
  );
export const r3Paths = (f: Fixture) => {
  const rnd = prng(f.spec.seed + 3);
  return Array.from({ length: 1000 }, () => `${LIST(f)}/sku/${f.skus[Math.floor(rnd() * f.skus.length)]}`);
};
/** R5 uses the first 200 pages of R1; the runner adds each server's own ETag. */
export const r5Paths = (f: Fixture) => r1Paths(f).slice(0, 200);

const get = (path: string, headers?: Record<string, string>): PreparedRequest => ({
  method: 'GET',
  path,
  ...(headers ? { headers } : {}),
});

/** SKUs without a per-user limit (purchases that never hit one). */
const unlimited = (f: Fixture) => {
  const limited = new Set(f.limitedSkus);
  return f.skus.filter((s) => !limited.has(s));
};

/** W3's setup: every user gets plenty of the fixture's currency (add-item-to-inventory, 50 users a call). */
async function creditGold(base: string, f: Fixture): Promise<string | null> {
  const auth = `Basic ${Buffer.from(`${f.projectId}:${f.apiKey}`).toString('base64')}`;
  for (let u = 0; u < f.tokens.length; u += 50) {
    const ops = f.tokens.slice(u, u + 50).map((_, k) => ({
      user: { id: `user_${String(u + k).padStart(5, '0')}` },
      items: [{ sku: f.vcSku, quantity: 1_000_000 }],
    }));
    const res = await fetch(`${base}/api/v2/project/${f.projectId}/inventory/reward`, {
      method: 'POST',
      headers: { authorization: auth, 'content-type': 'application/json' },
      body: JSON.stringify(ops),
    });
    const text = await res.text();
    if (res.status === 404 && /Route \w+ .* not found/.test(text))
      return 'not available: POST …/inventory/reward (to credit balances) does not exist yet';
    if (res.status !== 200) throw new Error(`crediting balances failed: ${res.status} ${text}`);
  }
  return null;
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'R1',
    title: 'anonymous list page, random offset',
    kind: 'read',
    expected: [200],
    order: 'random',
    requests: (f) => r1Paths(f).map((p) => get(p)),
  },
  {
    id: 'R2',
    title: 'list page with a user JWT (10k users)',
    kind: 'read',
    expected: [200],
    order: 'random',
    requests: (f) => {
      const paths = r1Paths(f);
      return f.tokens.map((t, u) => get(paths[u % paths.length], bearer(t)));
    },
  },
  {
    id: 'R3',
    title: 'get item by SKU',
    kind: 'read',
    expected: [200],
    order: 'random',
    requests: (f) => r3Paths(f).map((p) => get(p)),
  },
  {
    id: 'R4',
    title: 'deep pages (offset ≥ 90% of N)',
    kind: 'read',
    expected: [200],
    order: 'random',
    requests: (f) => r4Paths(f).map((p) => get(p)),
  },
  {
    id: 'R5',
    title: 'If-None-Match → 304',
    kind: 'read',
    expected: [304],
    order: 'random',
    requests: (f) => r5Paths(f).map((p) => get(p)), // + if-none-match per server (run.ts)
  },
  {
    id: 'W1',
    title: 'cart fill (put-item)',
    kind: 'write',
    expected: [200, 204],
    order: 'random',
    probe: { method: 'PUT', path: '/api/v2/project/1/cart/item/x' },
    requests: (f) => {
      const rnd = prng(f.spec.seed + 11);
      const skus = unlimited(f);
      return f.tokens.map((t) => ({
        method: 'PUT',
        path: `/api/v2/project/${f.projectId}/cart/item/${skus[Math.floor(rnd() * skus.length)]}`,
        headers: bearer(t),
        body: JSON.stringify({ quantity: 1 + Math.floor(rnd() * 5) }),
      }));
    },
  },
  {
    id: 'W2',
    title: 'order create with Idempotency-Key (10% replays)',
    kind: 'write',
    expected: [200],
    order: 'sequence',
    probe: { method: 'POST', path: '/api/v2/project/1/payment/item/x' },
    requests: (f) => {
      const rnd = prng(f.spec.seed + 12);
      const skus = unlimited(f);
      const out: PreparedRequest[] = [];
      for (let i = 0; i < 100_000; i++) {
        // A replay repeats a request sent at least 1000 requests earlier (finished by then), same body and key.
        if (i >= 2000 && rnd() < 0.1) {
          out.push(out[i - 1000 - Math.floor(rnd() * 1000)]);
          continue;
        }
        out.push({
          method: 'POST',
          path: `/api/v2/project/${f.projectId}/payment/item/${skus[Math.floor(rnd() * skus.length)]}`,
          headers: {
            ...bearer(f.tokens[i % f.tokens.length]),
            'idempotency-key': `bench-w2-${f.spec.seed}-${i}`,
          },
          body: JSON.stringify({ sandbox: true }),
        });
      }
      return out;
    },
  },
  {
    id: 'W3',
    title: 'virtual-currency purchase',
    kind: 'write',
    expected: [200],
    order: 'random',
    probe: { method: 'POST', path: '/api/v2/project/1/payment/item/x/virtual/y' },
    setup: creditGold,
    requests: (f) => {
      const rnd = prng(f.spec.seed + 13);
      return f.tokens.map((t) => ({
        method: 'POST',
        path: `/api/v2/project/${f.projectId}/payment/item/${f.vcItemSkus[Math.floor(rnd() * f.vcItemSkus.length)]}/virtual/${f.vcSku}`,
        headers: bearer(t),
        body: '{}',
      }));
    },
  },
  {
    id: 'W4',
    title: 'flash sale (stock sold exactly once)',
    kind: 'write',
    expected: [200, 422],
    order: 'sequence',
    amount: (f) => f.spec.flashStock * 4,
    probe: { method: 'POST', path: '/api/v2/project/1/payment/item/x' },
    requests: (f) =>
      Array.from({ length: f.spec.flashStock * 4 }, (_, i) => ({
        method: 'POST',
        path: `/api/v2/project/${f.projectId}/payment/item/${f.flashSku}`,
        headers: bearer(f.tokens[i % f.tokens.length]),
        body: JSON.stringify({ sandbox: true }),
      })),
  },
  {
    id: 'W5',
    title: 'key-pool drain (every code redeemed once)',
    kind: 'write',
    expected: [201],
    order: 'sequence',
    amount: (f) => f.codes.length,
    probe: { method: 'POST', path: '/api/v2/project/1/entitlement/redeem' },
    requests: (f) =>
      f.codes.map((code, i) => ({
        method: 'POST',
        path: `/api/v2/project/${f.projectId}/entitlement/redeem`,
        headers: bearer(mintToken(f.jwtSecret, `drain_${i}`)),
        body: JSON.stringify({ code, sandbox: false }),
      })),
  },
];
