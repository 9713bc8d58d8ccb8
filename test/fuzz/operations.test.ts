/**
 * The operations fuzz (issue 13 §2, ADR 0045): requests generated from the operations table — every operation
 * with its params, query and body schemas (fuzz/arbitraries.ts) — against a store with real data: items of every
 * kind, a group, an attribute, a region, a game with codes, a user's cart and order, a payment token, and the
 * credentials to get past authentication (the admin key, the merchant key, a user JWT, guest headers), with a
 * share of wrong ones. Every answer must be below 500; every error (≥ 400) must be the Xsolla envelope
 * `{statusCode, errorCode, errorMessage, transactionId}` with `statusCode` equal to the status; no request may
 * take longer than REQUEST_TIMEOUT_MS (a hang).
 *
 * Bounded in time: FUZZ_RUNS cases (default 6000) or FUZZ_SECONDS (default 45) of running, whichever comes first,
 * per engine (PGlite, and PostgreSQL when TEST_DATABASE_URL is set).
 *
 * A failure prints the request, the answer, and fast-check's `seed` and `path`. Replay exactly that case with
 *   FUZZ_SEED=<seed> FUZZ_PATH=<path> npx vitest run test/fuzz
 * (add TEST_DATABASE_URL=… for PostgreSQL). FUZZ_SEED alone replays the whole run of that seed.
 */
import fc, { type Arbitrary } from 'fast-check';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyOperation } from '../../src/http/operation.js';
import { operations } from '../../src/http/operations.js';
import { basic, testApp } from '../helpers/app.js';
import { testEngine } from '../helpers/db.js';
import { shopFixture, swordOrder, type ShopFixture } from '../integration/orders-fixture.js';
import { arbitraryOf, type Known } from './arbitraries.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 6000);
const SECONDS = Number(process.env.FUZZ_SECONDS ?? 45);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const PATH = process.env.FUZZ_PATH || undefined;
/** Longest answer time before a request counts as a hang. */
const REQUEST_TIMEOUT_MS = 15_000;

let app: FastifyInstance;
let f: ShopFixture;
/** Values of the fixture by parameter or property name. */
const values: Record<string, unknown[]> = {};

beforeAll(async () => {
  app = await testApp({
    // nothing leaves the process, nothing is throttled: every case reaches the operation
    webhookWorker: false,
    importWorker: false,
    rateLimitAdminMax: 0,
    rateLimitClientMax: 0,
    rateLimitAuthFailuresMax: 0,
    orderSweepIntervalSeconds: 0,
  });
  f = await shopFixture(app);
  const { t } = f;
  const post = async (path: string, body: unknown) => {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(300);
    return res;
  };
  await post('/admin/items/groups', { external_id: 'weapons', name: { en: 'Weapons' } });
  await post('/admin/attribute', { external_id: 'material', name: { en: 'Material' } });
  await post('/admin/attribute/material/value', { external_id: 'steel', value: { en: 'Steel' } });
  await post('/admin/items/virtual_currency/package', {
    sku: 'gold_pack',
    name: { en: 'Gold pack' },
    description: { en: '100 gold' },
    prices: [{ amount: 4.99, currency: 'USD', is_default: true }],
    content: [{ sku: 'gold', quantity: 100 }],
  });
  await post('/admin/items/bundle', {
    sku: 'sword_bundle',
    name: { en: 'Sword bundle' },
    description: { en: 'Gold and a sword' },
    prices: [{ amount: '12.99', currency: 'USD', is_default: true, is_enabled: true }],
    content: [
      { sku: 'gold', quantity: 10 },
      { sku: 'sword', quantity: 1 },
    ],
    groups: ['weapons'],
  });
  // items the admin DELETE operations may remove (the rest of the catalog stays for purchases and reads)
  const trash = Array.from({ length: 12 }, (_, i) => `trash_${i}`);
  for (const sku of trash)
    await post(i2path(sku), {
      sku,
      name: { en: 'Trash' },
      prices: [{ amount: 1, currency: 'USD', is_default: true }],
    });
  const region = await post('/admin/region', { name: { en: 'Americas' }, countries: ['US', 'CA'] });
  const order = await swordOrder(f, 'fuzz-user');
  const cart = await f.user('fuzz-user', 'PUT', '/cart/fill', { items: [{ sku: 'sword', quantity: 1 }] });
  const { db } = app.services.database;
  const items = await db
    .selectFrom('items')
    .select(['item_id', 'sku'])
    .where('project_id', '=', t.projectId)
    .execute();
  const groups = await db
    .selectFrom('item_groups')
    .select('group_id')
    .where('project_id', '=', t.projectId)
    .execute();
  const skus = items.filter((i) => !i.sku.startsWith('trash_')).map((i) => i.sku);
  const itemIds = items.filter((i) => !i.sku.startsWith('trash_')).map((i) => i.item_id);
  Object.assign(values, {
    project_id: [t.projectId],
    merchant_id: [t.merchantId],
    sku: skus,
    item_sku: skus,
    virtual_currency_sku: ['gold'],
    virtual_currency_package_sku: ['gold_pack'],
    item_id: itemIds,
    trash,
    trash_id: items.filter((i) => i.sku.startsWith('trash_')).map((i) => i.item_id),
    id: groups.map((g) => g.group_id),
    group_id: groups.map((g) => g.group_id),
    external_id: ['weapons', 'material'],
    value_external_id: ['steel'],
    region_id: [region.json().id ?? region.json().region_id ?? 1],
    order_id: [order.order_id],
    token: [order.token],
    cart_id: [cart.json().cart_id, 'my-own-cart'],
    session_id: ['00000000-0000-0000-0000-000000000000'],
    item_type: ['virtual_items', 'virtual_currency', 'bundle', 'game_key'],
    user_external_id: ['fuzz-user'],
    currency: ['USD', 'EUR'],
    email: ['fuzz@example.com'],
    country: ['US', 'DE'],
    locale: ['en', 'de', 'en-US'],
    user_email: ['fuzz@example.com'],
    // never a host outside this machine: imports fetch synchronously, webhooks would be delivered
    url: ['http://127.0.0.1:9/none.json', 'https://127.0.0.1:9/hook', 'file:///etc/passwd', 'not a url'],
  });
}, 120_000);
afterAll(async () => app?.close());

/** Trash items alternate between virtual items and currencies (both have admin DELETE operations). */
const i2path = (sku: string) =>
  Number(sku.split('_')[1]) % 2 ? '/admin/items/virtual_currency' : '/admin/items/virtual_items';

/** The admin DELETE operations get the trash items: what they delete is not needed by other cases. */
const knownForDelete: Known = (name, types) => {
  if (['sku', 'item_sku', 'virtual_currency_sku'].includes(name)) return fc.constantFrom(...values.trash);
  if (name === 'item_id') return fc.constantFrom(...values.trash_id);
  return known(name, types);
};

const known: Known = (name, types) => {
  if (/url$/i.test(name)) return fc.constantFrom(...values.url);
  const localized = ['name', 'description', 'long_description', 'value'].includes(name);
  if (localized && types.includes('object'))
    return fc.constantFrom({ en: 'Fuzz' }, { en: 'Fuzz', de: 'Fuzz' });
  if (name === 'quantity' && (types.includes('integer') || types.includes('number')))
    return fc.integer({ min: 1, max: 3 });
  if (name === 'amount' && types.includes('number')) return fc.constantFrom(1, 2.5, 0.99);
  if (name === 'amount' && types.includes('string')) return fc.constantFrom('1', '2.50', '0.99');
  if (name === 'sku' || name === 'item_sku')
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...(values.sku as string[])) },
      { weight: 1, arbitrary: fc.stringMatching(/^fuzz_[a-z0-9]{6}$/) },
    );
  const list = values[name];
  return list && list.length > 0 ? fc.constantFrom(...list) : undefined;
};

/** One generated request, as sent with `app.inject`. */
interface Case {
  op: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

/** A string without lone surrogates (each becomes U+FFFD), so that it can be URL-encoded. */
const wellFormed = (s: string) =>
  s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/** encodeURIComponent of any value (strings as they are, anything else as JSON). */
const encode = (v: unknown) =>
  encodeURIComponent(wellFormed(typeof v === 'string' ? v : (JSON.stringify(v) ?? '')));

/** Path segments: mostly URL-encoded values, sometimes raw bytes that are not valid percent-encoding. */
const segment = (value: unknown) =>
  fc.oneof(
    { weight: 19, arbitrary: fc.constant(encode(value)) },
    { weight: 1, arbitrary: fc.constantFrom('%ff', '%', '%E0%A4%A', 'a%00b', '..', 'x'.repeat(5000)) },
  );

/** Valid credentials for the operation's auth kind (a user JWT, a guest, the admin or merchant key). */
function goodCredentials(op: AnyOperation): Arbitrary<Record<string, string>> {
  const { t } = f;
  const userJwt = fc.constant(null).map(() => ({ authorization: `Bearer ${userToken}` }));
  const guest = fc
    .tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('g@example.com', 'other@example.com'))
    .map(([id, email]) => ({
      'x-unauthorized-id': id.replace(/[^\x21-\x7e]/g, 'x') || 'x',
      'x-user': Buffer.from(email).toString('base64'),
    }));
  if (op.auth === 'basic')
    return fc.constantFrom(t.admin, { authorization: basic(t.projectId, t.merchantKey) });
  if (op.auth === 'merchant') return fc.constant(t.merchant);
  if (op.auth === 'cart') return fc.oneof({ weight: 3, arbitrary: userJwt }, { weight: 1, arbitrary: guest });
  if (op.auth === 'none') return fc.constant({});
  return userJwt;
}

/** Mostly valid credentials, some wrong or malformed, some missing. */
function credentials(op: AnyOperation): Arbitrary<Record<string, string>> {
  const { t } = f;
  const wrong = fc.constantFrom<Record<string, string>>(
    { authorization: basic(t.projectId, 'wrong-key') },
    { authorization: 'Bearer not.a.jwt' },
    { authorization: 'Basic !!!' },
    { authorization: `Bearer ${'a'.repeat(3000)}` },
    { 'x-unauthorized-id': 'x'.repeat(200), 'x-user': '%%%' },
  );
  return fc.oneof(
    { weight: 6, arbitrary: goodCredentials(op) },
    { weight: 2, arbitrary: wrong },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}
let userToken = '';

/** Extra headers a client may send: server-side user headers, idempotency keys, conditional reads. */
const extraHeaders: Arbitrary<Record<string, string>> = fc
  .subarray([
    ['x-user-id', 'fuzz-user'],
    ['x-user-for', 'Bearer not.a.jwt'],
    ['idempotency-key', 'fuzz-key'],
    ['if-none-match', '"abc"'],
    ['x-engine', 'UNITY'],
    ['accept-language', 'de'],
  ] as [string, string][])
  .map((pairs) => Object.fromEntries(pairs));

/** Raw bodies that are not what JSON.stringify makes: malformed, poisoned, deep, other media types. */
const rawBodies = fc.constantFrom<[string, string]>(
  ['application/json', '{"sku": "broken"'],
  ['application/json', '{"__proto__": {"polluted": true}}'],
  ['application/json', '{"constructor": {"prototype": {"polluted": true}}}'],
  ['application/json', `{"custom_parameters": {"a": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`],
  ['application/json', `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`],
  ['application/json', 'null'],
  ['application/json', '"a string"'],
  ['application/json', '12345678901234567890'],
  ['application/json', '\uFEFF{}'],
  ['text/plain', 'KEY-1\nKEY-2'],
  ['application/x-www-form-urlencoded', 'a=1&b=2'],
  [
    'multipart/form-data; boundary=zzz',
    '--zzz\r\nContent-Disposition: form-data; name="file"\r\n\r\nx\r\n--zzz--',
  ],
  ['multipart/form-data', 'no boundary'],
);

function caseOf(op: AnyOperation, hostile: boolean): Arbitrary<Case> {
  const o = { known: op.method === 'DELETE' && op.auth === 'basic' ? knownForDelete : known, hostile };
  const schema = op.schema as { params?: unknown; querystring?: unknown; body?: unknown };
  const paramNames = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
  const paramProps = ((schema.params as { properties?: Record<string, object> })?.properties ?? {}) as Record<
    string,
    Record<string, unknown>
  >;
  const params = fc.tuple(
    ...paramNames.map((name) => {
      const value = arbitraryOf(paramProps[name], o, name);
      return hostile ? value.chain(segment) : value.map((v) => encode(v));
    }),
  );
  const query = (
    schema.querystring ? arbitraryOf(schema.querystring as Record<string, unknown>, o) : fc.constant({})
  ) as Arbitrary<unknown>;
  const json = schema.body
    ? arbitraryOf(schema.body as Record<string, unknown>, o).map(
        (v) => ['application/json', JSON.stringify(v) ?? 'null'] as [string, string],
      )
    : undefined;
  const body: Arbitrary<[string, string] | undefined> =
    json && hostile
      ? fc.oneof({ weight: 4, arbitrary: json }, { weight: 1, arbitrary: rawBodies })
      : json
        ? json
        : op.method === 'GET' || op.method === 'DELETE' || !hostile
          ? fc.constant(undefined)
          : fc.option(rawBodies, { freq: 3 }).map((b) => b ?? undefined);
  const auth = hostile ? credentials(op) : goodCredentials(op);
  const extras = hostile ? extraHeaders : fc.constant({} as Record<string, string>);
  return fc.tuple(params, query, body, auth, extras).map(([segments, q, b, auth, extra]) => {
    let i = 0;
    const path = `/api${op.path.replace(/\{[^}]+\}/g, () => segments[i++])}`;
    const search =
      q && typeof q === 'object' && !Array.isArray(q)
        ? Object.entries(q as Record<string, unknown>)
            .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))
            .map(([k, v]) => `${encode(String(k))}=${encode(v)}`)
            .join('&')
        : '';
    const headers: Record<string, string> = { ...extra, ...auth };
    if (b) headers['content-type'] = b[0];
    return {
      op: op.docSlug,
      method: op.method,
      url: search ? `${path}?${search}` : path,
      headers,
      ...(b ? { payload: b[1] } : {}),
    };
  });
}

/** What is wrong with the answer to `c` (undefined when nothing). */
function problemOf(res: LightMyRequestResponse): string | undefined {
  if (res.statusCode >= 500) return `answered ${res.statusCode}`;
  if (res.statusCode < 400) return undefined;
  let body: Record<string, unknown>;
  try {
    body = res.json();
  } catch {
    return `error ${res.statusCode} without a JSON body`;
  }
  if (body === null || typeof body !== 'object') return `error ${res.statusCode} body is not an object`;
  if (body.statusCode !== res.statusCode)
    return `envelope statusCode ${String(body.statusCode)} ≠ ${res.statusCode}`;
  if (!Number.isInteger(body.errorCode)) return 'envelope without an integer errorCode';
  if (typeof body.errorMessage !== 'string' || body.errorMessage === '')
    return 'envelope without errorMessage';
  if (typeof body.transactionId !== 'string' || !/^[0-9a-f]{32}$/.test(body.transactionId))
    return 'envelope without a transactionId';
  return undefined;
}

async function send(c: Case): Promise<LightMyRequestResponse> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms (a hang)`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      app.inject({
        method: c.method as InjectOptions['method'],
        url: c.url,
        headers: c.headers,
        ...(c.payload !== undefined ? { payload: c.payload } : {}),
      }),
      hang,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const short = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}… (${s.length} characters)` : s);

describe(`operations fuzz (${testEngine})`, () => {
  it(
    'no input gives a 5xx, an error outside the envelope, or a hang',
    async () => {
      userToken = await f.token('fuzz-user');
      const statuses = new Map<number, number>();
      /** Operations that answered a success at least once. */
      const reached = new Set<string>();
      // per operation: a case that follows the schemas (it reaches the service) or a hostile one
      const cases = operations.map((op) =>
        fc.oneof({ weight: 3, arbitrary: caseOf(op, false) }, { weight: 2, arbitrary: caseOf(op, true) }),
      );
      const property = fc.asyncProperty(fc.oneof(...cases), async (c) => {
        const res = await send(c);
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode < 400) reached.add(c.op);
        const problem = problemOf(res);
        if (problem) {
          throw new Error(
            `${c.op}: ${problem}\n  request: ${c.method} ${short(c.url, 300)}\n  headers: ${short(JSON.stringify(c.headers), 300)}` +
              `\n  body: ${short(c.payload ?? '(none)')}\n  answer: ${res.statusCode} ${short(res.body)}`,
          );
        }
      });
      const details = await fc.check(property, {
        numRuns: RUNS,
        interruptAfterTimeLimit: SECONDS * 1000,
        markInterruptAsFailure: false,
        ...(SEED !== undefined ? { seed: SEED } : {}),
        ...(PATH ? { path: PATH, endOnFailure: true } : {}),
      });
      const summary = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
      console.log(
        `operations fuzz (${testEngine}): ${details.numRuns} cases over ${operations.length} operations, seed ${details.seed}; ${summary.join(' ')}`,
      );
      const never = operations.map((op) => op.docSlug).filter((slug) => !reached.has(slug));
      console.log(`operations answered with a success: ${reached.size}; never: ${never.join(' ')}`);
      if (details.failed) {
        const error =
          details.errorInstance instanceof Error
            ? details.errorInstance.message
            : String(details.errorInstance);
        expect.fail(
          `${error}\n\nReplay: FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath} npx vitest run test/fuzz` +
            (testEngine === 'postgres' ? ' (with TEST_DATABASE_URL)' : ''),
        );
      }
      expect(details.numRuns).toBeGreaterThan(0);
    },
    (SECONDS + 120) * 1000,
  );
});
