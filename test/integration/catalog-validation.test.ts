/**
 * Bad input (DESIGN §6–7, spec/NOTES.md "Error envelope"): every rejected request gets the Xsolla envelope with
 * the right status and code, never a 5xx, and a rejected write leaves nothing behind — no item, no attribute,
 * no catalog_version bump, an updated item unchanged.
 */
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

const ITEMS = '/admin/items/virtual_items';

/** The error envelope with `status` (and `code` when given). */
function expectEnvelope(res: LightMyRequestResponse, status: number, code?: number) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  const body = res.json();
  expect(body.statusCode).toBe(status);
  expect(Number.isInteger(body.errorCode)).toBe(true);
  expect(typeof body.errorMessage).toBe('string');
  expect(body.errorMessage.length).toBeGreaterThan(0);
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
  if (code !== undefined) {
    expect(body.errorCode).toBe(code);
    if (code !== 0) expect(body.errorMessage.startsWith(`[0401-${code}]: `), body.errorMessage).toBe(true);
  }
  return body;
}

async function catalogVersion(projectId: number) {
  const row = await app.services.database.db
    .selectFrom('projects')
    .select('catalog_version')
    .where('project_id', '=', projectId)
    .executeTakeFirstOrThrow();
  return String(row.catalog_version);
}

const valid = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: { en: sku },
  prices: [{ amount: 1.99, currency: 'USD', is_default: true }],
  ...extra,
});
const attrs = (n: number, values = 1) =>
  Array.from({ length: n }, (_, i) => ({
    external_id: `attr_${i}`,
    name: { en: `Attr ${i}` },
    values: Array.from({ length: values }, (_, j) => ({ external_id: `v_${j}`, value: { en: `V ${j}` } })),
  }));

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  for (const [path, body] of [
    ['/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } }],
    [ITEMS, valid('existing', { description: { en: 'Keep me' }, order: 4, attributes: attrs(1) })],
    [ITEMS, valid('other_item')],
  ] as const) {
    const res = await t.adminCall('POST', path, body);
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => app.close());

describe('create: rejected bodies leave nothing behind', () => {
  const cases: [string, unknown, number, number][] = [
    ['missing sku', { name: { en: 'No sku' } }, 422, 1102],
    ['empty sku', valid(''), 422, 1102],
    ['sku with spaces', valid('bad sku!'), 422, 1102],
    ['sku with a slash', valid('a/b'), 422, 1102],
    ['sku of 256 characters', valid(`long_${'s'.repeat(251)}`), 422, 1102],
    ['missing name', { sku: 'no_name' }, 422, 1102],
    ['name not an object', { sku: 'str_name', name: 'Sword' }, 422, 1102],
    ['name with a key that is not a language', { sku: 'bad_lang', name: { english: 'Sword' } }, 422, 1102],
    [
      'negative price',
      valid('neg_price', { prices: [{ amount: -1, currency: 'USD', is_default: true }] }),
      422,
      1102,
    ],
    ['zero price', valid('zero_price', { prices: [{ amount: 0, currency: 'USD' }] }), 422, 1102],
    ['price as text', valid('text_price', { prices: [{ amount: 'lots', currency: 'USD' }] }), 422, 1102],
    ['lowercase currency', valid('lc_currency', { prices: [{ amount: 1, currency: 'usd' }] }), 422, 1102],
    ['price without currency', valid('no_currency', { prices: [{ amount: 1 }] }), 422, 1102],
    ['unknown group', valid('no_group', { groups: ['no_such_group'] }), 404, 4403],
    ['unknown group object', valid('no_group2', { groups: [{ external_id: 'no_such_group' }] }), 404, 4403],
    [
      'vc price in an unknown currency',
      valid('no_vc', { vc_prices: [{ sku: 'platinum', amount: 10 }] }),
      422,
      1102,
    ],
    [
      'vc price in an item that is not a currency',
      valid('vc_item', { vc_prices: [{ sku: 'other_item', amount: 10 }] }),
      422,
      1102,
    ],
    ['fractional vc price', valid('vc_frac', { vc_prices: [{ sku: 'gold', amount: 1.5 }] }), 422, 1102],
    ['negative vc price', valid('vc_neg', { vc_prices: [{ sku: 'gold', amount: -5 }] }), 422, 1102],
    [
      'custom_attributes over 500 characters',
      valid('big_custom', { custom_attributes: { blob: 'x'.repeat(500) } }),
      422,
      1102,
    ],
    ['21 attributes', valid('many_attrs', { attributes: attrs(21) }), 422, 9908],
    ['7 values of one attribute', valid('many_values', { attributes: attrs(1, 7) }), 422, 9909],
    [
      'attribute id with spaces',
      valid('bad_attr', { attributes: [{ external_id: 'a b', values: [] }] }),
      422,
      1102,
    ],
    [
      'period ending before it starts',
      valid('bad_period', {
        periods: [{ date_from: '2030-01-02T00:00:00Z', date_until: '2030-01-01T00:00:00Z' }],
      }),
      422,
      1102,
    ],
    [
      'period with a date that is not ISO 8601',
      valid('word_period', { periods: [{ date_from: 'tomorrow' }] }),
      422,
      1102,
    ],
    [
      'period on a day that does not exist',
      valid('feb30', { periods: [{ date_from: '2030-02-30T00:00:00+00:00', date_until: null }] }),
      422,
      1102,
    ],
    ['negative per-user limit', valid('neg_limit', { limits: { per_user: -1 } }), 422, 1102],
    [
      'zero per-user limit (0 is not "no limit")',
      valid('zero_limit', { limits: { per_user: 0 } }),
      422,
      1102,
    ],
    [
      'price amount as a string',
      valid('str_amount', { prices: [{ amount: '1.99', currency: 'USD' }] }),
      422,
      1102,
    ],
    [
      'per-user limit object without total',
      valid('no_total', { limits: { per_user: { limit_exceeded_visibility: 'show' } } }),
      422,
      1102,
    ],
    [
      'unknown recurrent interval',
      valid('bad_interval', {
        limits: { per_user: 1, recurrent_schedule: { per_user: { interval_type: 'yearly' } } },
      }),
      422,
      1102,
    ],
    [
      'reset time not on the hour',
      valid('bad_time', {
        limits: {
          per_user: 1,
          recurrent_schedule: { per_user: { interval_type: 'daily', time: '02:30:00+03:00' } },
        },
      }),
      422,
      1102,
    ],
    ['order as text', valid('text_order', { order: 'first' }), 422, 1102],
    ['is_enabled as text', valid('text_enabled', { is_enabled: 'maybe' }), 422, 1102],
    ['a JSON array', [valid('in_array')], 422, 1102],
    ['duplicate sku', valid('existing'), 422, 4002],
    // Values the schema's types allow but the storage cannot hold are still the client's mistake.
    ['order beyond 32 bits', valid('huge_order', { order: 3_000_000_000 }), 422, 1102],
    ['region id beyond 32 bits', valid('huge_region', { regions: [{ id: 3_000_000_000 }] }), 422, 1102],
    ['price of 10^20', valid('huge_price', { prices: [{ amount: 1e20, currency: 'USD' }] }), 422, 1102],
    ['vc price of 10^20', valid('huge_vc', { vc_prices: [{ sku: 'gold', amount: 1e20 }] }), 422, 1102],
    [
      'per-item limit beyond 32 bits',
      valid('huge_stock', { limits: { per_item: 3_000_000_000 } }),
      422,
      1102,
    ],
    ['NUL character in a name', valid('nul_name', { name: { en: 'a\u0000b' } }), 422, 1102],
    [
      'NUL character in custom_attributes',
      valid('nul_custom', { custom_attributes: { a: 'x\u0000y' } }),
      422,
      1102,
    ],
  ];

  it.each(cases.map(([what, body, status, code]) => ({ what, body, status, code })))(
    '$what → $status/$code',
    async ({ body, status, code }) => {
      const before = await catalogVersion(t.projectId);
      const listBefore = (await t.adminCall('GET', ITEMS)).json();
      const res = await t.adminCall('POST', ITEMS, body);
      const envelope = expectEnvelope(res, status, code);
      if (code === 1102) {
        expect(
          Array.isArray(envelope.errorMessageExtended) ? envelope.errorMessageExtended.length : 1,
        ).toBeGreaterThan(0);
      }
      expect(await catalogVersion(t.projectId)).toBe(before);
      expect((await t.adminCall('GET', ITEMS)).json()).toEqual(listBefore);
      const sku = (body as { sku?: unknown }).sku;
      if (typeof sku === 'string' && /^[a-z_0-9]{1,255}$/.test(sku) && sku !== 'existing') {
        expect((await t.adminCall('GET', `${ITEMS}/sku/${sku}`)).statusCode, sku).toBe(404);
        expect((await catalogGet(app, t.projectId, `/items/virtual_items/sku/${sku}`)).statusCode, sku).toBe(
          404,
        );
      }
    },
  );

  it('serves a 255-character sku on every sku route', async () => {
    const sku = `long_${'x'.repeat(250)}`;
    expect(sku).toHaveLength(255);
    expect((await t.adminCall('POST', ITEMS, valid(sku))).statusCode).toBe(201);
    expect((await t.adminCall('GET', `${ITEMS}/sku/${sku}`)).json()).toMatchObject({ sku });
    expect((await catalogGet(app, t.projectId, `/items/virtual_items/sku/${sku}`)).json()).toMatchObject({
      sku,
    });
    expect((await catalogGet(app, t.projectId, `/items/sku/${sku}`)).json()).toMatchObject({ sku });
    expect((await t.adminCall('PUT', `${ITEMS}/sku/${sku}`, valid(sku, { order: 9 }))).statusCode).toBe(204);
    expect((await t.adminCall('DELETE', `${ITEMS}/sku/${sku}`)).statusCode).toBe(204);
    expect((await t.adminCall('GET', `${ITEMS}/sku/${sku}`)).statusCode).toBe(404);
  });

  it('names the missing property in errorMessageExtended', async () => {
    const body = expectEnvelope(await t.adminCall('POST', ITEMS, { name: { en: 'No sku' } }), 422, 1102);
    expect(body.errorMessageExtended).toEqual(
      expect.arrayContaining([expect.objectContaining({ property: 'sku' })]),
    );
  });

  it('accepts exactly 20 attributes of 6 values each', async () => {
    const res = await t.adminCall('POST', ITEMS, valid('max_attrs', { attributes: attrs(20, 6) }));
    expect(res.statusCode, res.body).toBe(201);
    const admin = (await t.adminCall('GET', `${ITEMS}/sku/max_attrs`)).json();
    expect(admin.attributes).toHaveLength(20);
    expect(admin.attributes.every((a: { values: unknown[] }) => a.values.length === 6)).toBe(true);
  });

  it('accepts custom_attributes of up to 500 characters', async () => {
    const custom = { blob: 'x'.repeat(500 - JSON.stringify({ blob: '' }).length) };
    expect(JSON.stringify(custom)).toHaveLength(500);
    const res = await t.adminCall('POST', ITEMS, valid('custom_500', { custom_attributes: custom }));
    expect(res.statusCode, res.body).toBe(201);
  });

  it('rolls back attributes created by a body that fails later', async () => {
    const res = await t.adminCall(
      'POST',
      ITEMS,
      valid('late_failure', {
        attributes: [
          {
            external_id: 'fresh_attr',
            name: { en: 'Fresh' },
            values: [{ external_id: 'fresh_value', value: { en: 'New' } }],
          },
        ],
        periods: [{ date_from: '2030-01-02T00:00:00Z', date_until: '2029-01-01T00:00:00Z' }],
      }),
    );
    expectEnvelope(res, 422, 1102);
    const leftovers = await app.services.database.db
      .selectFrom('attributes')
      .select('external_id')
      .where('project_id', '=', t.projectId)
      .where('external_id', '=', 'fresh_attr')
      .execute();
    expect(leftovers).toEqual([]);
  });

  it('never answers 5xx to arbitrary JSON in any field (property)', async () => {
    const fields = [
      'sku',
      'name',
      'description',
      'long_description',
      'image_url',
      'media_list',
      'groups',
      'attributes',
      'prices',
      'vc_prices',
      'is_enabled',
      'is_show_in_store',
      'order',
      'regions',
      'limits',
      'periods',
      'custom_attributes',
      'inventory_options',
      'unknown_field',
    ];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom(...fields), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 3 }),
        async (patch) => {
          const body = { ...valid(`fuzz_${n++}`), ...patch };
          const res = await t.adminCall('POST', ITEMS, body);
          expect(res.statusCode, `${JSON.stringify(body)} → ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) expectEnvelope(res, res.statusCode);
          if (res.statusCode === 201) {
            const sku = encodeURIComponent(res.json().sku);
            expect((await t.adminCall('GET', `${ITEMS}/sku/${sku}`)).statusCode).toBe(200);
            expect(
              (await catalogGet(app, t.projectId, `/items/virtual_items/sku/${sku}`)).statusCode,
            ).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 120 },
    );
    expect((await catalogGet(app, t.projectId, '/items?limit=50')).statusCode).toBe(200);
  });
});

describe('update: a rejected PUT leaves the item as it was', () => {
  const cases: [string, unknown, number, number][] = [
    ['unknown group', valid('existing', { groups: ['nope'] }), 404, 4403],
    ['unknown vc currency', valid('existing', { vc_prices: [{ sku: 'nope', amount: 1 }] }), 422, 1102],
    ['21 attributes', valid('existing', { attributes: attrs(21) }), 422, 9908],
    ['7 values', valid('existing', { attributes: attrs(1, 7) }), 422, 9909],
    ['negative price', valid('existing', { prices: [{ amount: -3, currency: 'USD' }] }), 422, 1102],
    ['missing name', { sku: 'existing' }, 422, 1102],
    ['renaming onto a taken sku', valid('other_item'), 422, 4002],
    ['bad period', valid('existing', { periods: [{ date_from: 'never' }] }), 422, 1102],
  ];

  it.each(cases.map(([what, body, status, code]) => ({ what, body, status, code })))(
    '$what → $status/$code',
    async ({ body, status, code }) => {
      const before = (await t.adminCall('GET', `${ITEMS}/sku/existing`)).json();
      const version = await catalogVersion(t.projectId);
      expectEnvelope(await t.adminCall('PUT', `${ITEMS}/sku/existing`, body), status, code);
      expect((await t.adminCall('GET', `${ITEMS}/sku/existing`)).json()).toEqual(before);
      expect(await catalogVersion(t.projectId)).toBe(version);
      expect((await catalogGet(app, t.projectId, '/items/virtual_items/sku/existing')).json()).toMatchObject({
        description: 'Keep me',
      });
    },
  );

  it('answers 404/4001 for an unknown sku, and creates nothing', async () => {
    expectEnvelope(await t.adminCall('PUT', `${ITEMS}/sku/ghost`, valid('ghost')), 404, 4001);
    expect((await t.adminCall('GET', `${ITEMS}/sku/ghost`)).statusCode).toBe(404);
  });

  it('answers 404/4001 when the sku is an item of another kind', async () => {
    expectEnvelope(await t.adminCall('PUT', `${ITEMS}/sku/gold`, valid('gold')), 404, 4001);
    expectEnvelope(await t.adminCall('DELETE', `${ITEMS}/sku/gold`), 404, 4001);
    expect((await t.adminCall('GET', '/admin/items/virtual_currency/sku/gold')).statusCode).toBe(200);
  });

  it('refuses to delete a currency that prices an item, and keeps both', async () => {
    const res = await t.adminCall(
      'POST',
      ITEMS,
      valid('priced_in_gold', { vc_prices: [{ sku: 'gold', amount: 3 }] }),
    );
    expect(res.statusCode).toBe(201);
    expectEnvelope(await t.adminCall('DELETE', '/admin/items/virtual_currency/sku/gold'), 422, 1102);
    expect((await t.adminCall('GET', '/admin/items/virtual_currency/sku/gold')).statusCode).toBe(200);
    expect((await t.adminCall('GET', `${ITEMS}/sku/priced_in_gold`)).json().vc_prices).toEqual([
      { sku: 'gold', amount: 3, is_default: false, is_enabled: true },
    ]);
  });
});

describe('catalog query parameters', () => {
  it.each([
    ['limit=0'],
    ['limit=-5'],
    ['limit=abc'],
    ['limit=1.5'],
    ['offset=-1'],
    ['offset=x'],
    ['show_inactive_time_limited_items=2'],
    ['country=USA'],
    ['promo_code='],
    [`promo_code=${'P'.repeat(129)}`],
  ])('%s → 422/1102', async (q) => {
    for (const path of ['/items', '/items/virtual_items', '/items/virtual_currency']) {
      expectEnvelope(await catalogGet(app, t.projectId, `${path}?${q}`), 422, 1102);
    }
  });

  it('rejects limit=0 and offset=-1 on admin lists too', async () => {
    expectEnvelope(await t.adminCall('GET', `${ITEMS}?limit=0`), 422, 1102);
    expectEnvelope(await t.adminCall('GET', `${ITEMS}?offset=-1`), 422, 1102);
  });

  it('serves limit=500 as a page of at most 50', async () => {
    const res = await catalogGet(app, t.projectId, '/items?limit=500');
    expect(res.statusCode).toBe(200);
    expect(res.json().items.length).toBeLessThanOrEqual(50);
    const admin = await t.adminCall('GET', `${ITEMS}?limit=500`);
    expect(admin.statusCode).toBe(200);
    expect(admin.json().items.length).toBeLessThanOrEqual(50);
  });

  it('answers 404 envelopes for unknown items, groups and projects', async () => {
    expectEnvelope(await catalogGet(app, t.projectId, '/items/virtual_items/sku/nothing'), 404, 4001);
    expectEnvelope(await catalogGet(app, t.projectId, '/items/sku/nothing'), 404, 4001);
    expectEnvelope(await catalogGet(app, t.projectId, '/items/id/999999999'), 404, 4001);
    expectEnvelope(await catalogGet(app, t.projectId, '/items/id/not-a-number'), 404, 4001);
    expectEnvelope(await catalogGet(app, t.projectId, '/items/group/no_group'), 404, 4403);
    expectEnvelope(await catalogGet(app, t.projectId, '/items/virtual_items/group/no_group'), 404, 4403);
    expectEnvelope(await t.adminCall('GET', `${ITEMS}/group/external_id/no_group`), 404, 4403);
    expectEnvelope(await t.adminCall('GET', `${ITEMS}/group/id/999999`), 404, 4403);
    const missing = await catalogGet(app, 1, '/items/virtual_items');
    expectEnvelope(missing, 404);
  });

  it('answers ids and offsets beyond the storage range with a 4xx envelope, never 5xx', async () => {
    for (const res of [
      await t.adminCall('GET', `${ITEMS}/group/id/99999999999`),
      await t.adminCall('GET', `${ITEMS}?offset=99999999999999999999`),
      await t.adminCall('GET', `${ITEMS}?limit=99999999999`),
      await catalogGet(app, t.projectId, '/items?offset=99999999999999999999'),
      await catalogGet(app, t.projectId, '/items/id/99999999999'),
      await catalogGet(app, 99_999_999_999, '/items'),
      await catalogGet(app, 99_999_999_999, '/items/virtual_items/sku/x'),
    ]) {
      expect(res.statusCode, res.body).toBeLessThan(500);
      if (res.statusCode >= 400) expectEnvelope(res, res.statusCode);
    }
  });
});

describe('transport errors', () => {
  it('answers a malformed JSON body with the 400 envelope and writes nothing', async () => {
    const before = await catalogVersion(t.projectId);
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}${ITEMS}`,
      headers: { ...t.admin, 'content-type': 'application/json' },
      payload: '{"sku": "broken", "name": {"en": "Broken"',
    });
    expectEnvelope(res, 400);
    expect(await catalogVersion(t.projectId)).toBe(before);
    expect((await t.adminCall('GET', `${ITEMS}/sku/broken`)).statusCode).toBe(404);
  });

  it('answers an empty JSON body with a 4xx envelope', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}${ITEMS}`,
      headers: { ...t.admin, 'content-type': 'application/json' },
      payload: '',
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expectEnvelope(res, res.statusCode);
    expect(res.statusCode).toBeLessThan(500);
  });

  it('answers a body of an unsupported media type with the 415 envelope', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}${ITEMS}`,
      headers: { ...t.admin, 'content-type': 'application/xml' },
      payload: '<item><sku>xml</sku></item>',
    });
    expectEnvelope(res, 415);
    expect((await t.adminCall('GET', `${ITEMS}/sku/xml`)).statusCode).toBe(404);
  });

  it('answers a plain-text body with a 4xx envelope', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}${ITEMS}`,
      headers: { ...t.admin, 'content-type': 'text/plain' },
      payload: 'sku=plain',
    });
    expect([400, 415, 422]).toContain(res.statusCode);
    expectEnvelope(res, res.statusCode);
  });

  it('answers an oversized body with the 413 envelope', async () => {
    const res = await t.adminCall(
      'POST',
      ITEMS,
      valid('huge', { description: { en: 'x'.repeat(2 * 1024 * 1024) } }),
    );
    expectEnvelope(res, 413);
    expect((await t.adminCall('GET', `${ITEMS}/sku/huge`)).statusCode).toBe(404);
  });

  it('checks credentials before parsing the body: bad JSON without a key is 401', async () => {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}${ITEMS}`,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expectEnvelope(res, 401, 1020);
  });

  it.each([
    ['GET', '/api/v2/project/1/no/such/route'],
    ['GET', '/api/nothing'],
    ['GET', '/nothing-at-all'],
    ['POST', '/api/v2/project/1/items'],
    ['DELETE', '/api/v2/project/1/items/virtual_items'],
  ])('answers an unknown route (%s %s) with the 404 envelope', async (method, url) => {
    const res = await app.inject({ method: method as 'GET', url });
    expectEnvelope(res, 404);
  });
});
