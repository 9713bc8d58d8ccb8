/**
 * Admin writes and the catalog read model (DESIGN §4, spec/NOTES.md "Admin behaviour"): a write is visible on the
 * next catalog read; admin PUT replaces the item (a field left out is removed); anonymous catalog responses carry
 * an ETag and answer a matching If-None-Match with an empty 304; any admin write changes the ETag.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const full = {
  sku: 'lamp',
  name: { en: 'Lamp', de: 'Lampe' },
  description: { en: 'Bright' },
  long_description: { en: 'A very bright lamp' },
  image_url: 'https://cdn.example.com/lamp.png',
  media_list: [{ type: 'image', url: 'https://cdn.example.com/lamp-2.png' }],
  custom_attributes: { watts: 60 },
  order: 3,
  prices: [{ amount: 2.5, currency: 'USD', is_default: true }],
  limits: { per_user: { total: 5 }, per_item: 100 },
  periods: [{ date_from: '2020-01-01T00:00:00+02:00', date_until: '2099-01-01T00:00:00+02:00' }],
  attributes: [
    { external_id: 'colour', name: { en: 'Colour' }, values: [{ external_id: 'red', value: { en: 'Red' } }] },
  ],
};

describe('admin writes reach the catalog', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
  });

  it('shows a created item on the very next read', async () => {
    expect((await catalogGet(app, t.projectId, '/items/virtual_items')).json()).toEqual({
      has_more: false,
      items: [],
    });
    expect((await t.adminCall('POST', '/admin/items/virtual_items', full)).statusCode).toBe(201);
    const item = (await catalogGet(app, t.projectId, '/items/virtual_items/sku/lamp')).json();
    expect(item).toMatchObject({
      sku: 'lamp',
      name: 'Lamp',
      description: 'Bright',
      image_url: 'https://cdn.example.com/lamp.png',
      price: { amount: '2.50', currency: 'USD' },
      limits: { per_user: { total: 5, available: 5 }, per_item: { total: 100, available: 100 } },
      periods: [{ date_from: '2020-01-01T00:00:00+02:00', date_until: '2099-01-01T00:00:00+02:00' }],
      attributes: [{ external_id: 'colour', name: 'Colour', values: [{ external_id: 'red', value: 'Red' }] }],
    });
  });

  it('shows a PUT on the next read', async () => {
    await catalogGet(app, t.projectId, '/items/virtual_items'); // warm the cache
    const res = await t.adminCall('PUT', '/admin/items/virtual_items/sku/lamp', {
      ...full,
      name: { en: 'Lantern' },
      prices: [{ amount: 3, currency: 'EUR', is_default: true }],
    });
    expect(res.statusCode, res.body).toBe(204);
    const list = (await catalogGet(app, t.projectId, '/items/virtual_items')).json();
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ name: 'Lantern', price: { amount: '3.00', currency: 'EUR' } });
  });

  it('replaces on PUT: fields left out are gone, in admin and catalog', async () => {
    const res = await t.adminCall('PUT', '/admin/items/virtual_items/sku/lamp', {
      sku: 'lamp',
      name: { en: 'Bare lamp' },
      prices: [{ amount: 1, currency: 'USD', is_default: true }],
    });
    expect(res.statusCode, res.body).toBe(204);
    const admin = (await t.adminCall('GET', '/admin/items/virtual_items/sku/lamp')).json();
    expect(admin).toMatchObject({
      name: { en: 'Bare lamp' },
      description: null,
      long_description: null,
      image_url: null,
      media_list: [],
      custom_attributes: {},
      order: 1,
      limits: { per_user: null, per_item: null, recurrent_schedule: null },
      periods: [],
      attributes: [],
      prices: [{ amount: 1, currency: 'USD', is_default: true, is_enabled: true }],
    });
    const q =
      '?additional_fields[]=media_list&additional_fields[]=long_description&additional_fields[]=custom_attributes&additional_fields[]=order';
    const item = (await catalogGet(app, t.projectId, `/items/virtual_items/sku/lamp${q}`)).json();
    expect(item).toMatchObject({
      name: 'Bare lamp',
      description: null,
      long_description: null,
      limits: null,
      periods: [],
      attributes: [],
      media_list: [],
      custom_attributes: {},
      order: 1,
      price: { amount: '1.00', currency: 'USD' },
    });
  });

  it('removes a deleted item from every catalog read', async () => {
    const id = (await t.adminCall('GET', '/admin/items/virtual_items/sku/lamp')).json().item_id;
    expect((await t.adminCall('DELETE', '/admin/items/virtual_items/sku/lamp')).statusCode).toBe(204);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items')).json().items).toEqual([]);
    expect((await catalogGet(app, t.projectId, '/items')).json().items).toEqual([]);
    expect((await catalogGet(app, t.projectId, `/items/id/${id}`)).statusCode).toBe(404);
    expect((await catalogGet(app, t.projectId, '/items/sku/lamp')).statusCode).toBe(404);
  });

  it('keeps projects apart: a write in one project never shows in another', async () => {
    const other = await createTenant(app);
    expect(
      (await other.adminCall('POST', '/admin/items/virtual_items', { ...full, sku: 'foreign' })).statusCode,
    ).toBe(201);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items')).json().items).toEqual([]);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items/sku/foreign')).statusCode).toBe(404);
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/foreign')).statusCode).toBe(404);
  });
});

describe('ETag and If-None-Match', () => {
  let t: Tenant;
  beforeAll(async () => {
    t = await createTenant(app);
    expect((await t.adminCall('POST', '/admin/items/virtual_items', full)).statusCode).toBe(201);
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/api/v2/project/${t.projectId}${path}`, headers });

  it.each([['/items/virtual_items'], ['/items'], ['/items/virtual_items/sku/lamp'], ['/items/sku/lamp']])(
    '%s: a repeated anonymous request with If-None-Match gets an empty 304',
    async (path) => {
      const first = await get(path);
      expect(first.statusCode).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag).toMatch(/^"[^"]+"$/);
      const again = await get(path);
      expect(again.headers.etag).toBe(etag);
      expect(again.body).toBe(first.body);
      const cached = await get(path, { 'if-none-match': etag });
      expect(cached.statusCode).toBe(304);
      expect(cached.body).toBe('');
      expect(cached.headers.etag).toBe(etag);
    },
  );

  it('answers 200 with the body to a stale or different ETag', async () => {
    const res = await get('/items/virtual_items', { 'if-none-match': '"something-else"' });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(1);
  });

  it('gives different views different ETags (locale, page, fields)', async () => {
    const tags = new Set<string>();
    for (const q of [
      '',
      '?locale=de',
      '?limit=1',
      '?offset=1',
      '?additional_fields[]=media_list',
      '?country=US',
    ]) {
      tags.add((await get(`/items/virtual_items${q}`)).headers.etag as string);
    }
    expect(tags.size).toBe(6);
    const en = (await get('/items/virtual_items')).headers.etag as string;
    const de = await get('/items/virtual_items?locale=de', { 'if-none-match': en });
    expect(de.statusCode).toBe(200);
    expect(de.json().items[0].name).toBe('Lampe');
  });

  it('changes the ETag after any admin write, and serves the new content', async () => {
    const before = await get('/items/virtual_items');
    const etag = before.headers.etag as string;
    const put = await t.adminCall('PUT', '/admin/items/virtual_items/sku/lamp', {
      ...full,
      name: { en: 'Lamp 2' },
    });
    expect(put.statusCode).toBe(204);
    const after = await get('/items/virtual_items', { 'if-none-match': etag });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(after.json().items[0].name).toBe('Lamp 2');

    // A write to another item (even one not in this list) also changes it.
    const etag2 = after.headers.etag as string;
    expect(
      (await t.adminCall('POST', '/admin/items/virtual_currency', { sku: 'coins', name: { en: 'Coins' } }))
        .statusCode,
    ).toBe(201);
    const after2 = await get('/items/virtual_items', { 'if-none-match': etag2 });
    expect(after2.statusCode).toBe(200);
    expect(after2.headers.etag).not.toBe(etag2);
  });

  it('never answers 304 to a request with a user token (personalized)', async () => {
    const anon = await get('/items/virtual_items');
    const etag = anon.headers.etag as string;
    const token = await t.userToken('etag-user');
    const res = await get('/items/virtual_items', {
      authorization: `Bearer ${token}`,
      'if-none-match': etag,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toHaveLength(1);
  });

  it('never confirms an ETag for content this server does not serve (two servers, one database)', async () => {
    // Two processes on one PostgreSQL: one still before a sale period starts, one already after it.
    let earlyNow = Date.parse('2031-01-01T09:00:00Z');
    const early = await testApp({}, { clock: () => earlyNow });
    const late = await testApp({}, { clock: () => Date.parse('2031-01-01T11:00:00Z') });
    try {
      const u = await createTenant(early);
      const body = (sku: string, periods: unknown) => ({
        sku,
        name: { en: sku },
        prices: full.prices,
        periods,
      });
      expect((await u.adminCall('POST', '/admin/items/virtual_items', body('plain', null))).statusCode).toBe(
        201,
      );
      expect(
        (
          await u.adminCall(
            'POST',
            '/admin/items/virtual_items',
            body('sale', [{ date_from: '2031-01-01T10:00:00Z', date_until: null }]),
          )
        ).statusCode,
      ).toBe(201);
      const before = await catalogGet(early, u.projectId, '/items/virtual_items');
      expect(before.json().items.map((i: { sku: string }) => i.sku)).toEqual(['plain']);
      const etag = before.headers.etag as string;
      const after = await late.inject({
        method: 'GET',
        url: `/api/v2/project/${u.projectId}/items/virtual_items`,
        headers: { 'if-none-match': etag },
      });
      expect(after.statusCode).toBe(200);
      expect(after.json().items.map((i: { sku: string }) => i.sku)).toEqual(['sale', 'plain']);
      // Once the first server's clock passes the start too, both serve the same content under the same tag.
      earlyNow = Date.parse('2031-01-01T11:00:00Z');
      const caughtUp = await catalogGet(early, u.projectId, '/items/virtual_items');
      expect(caughtUp.body).toBe(after.body);
      expect(caughtUp.headers.etag).toBe(after.headers.etag);
    } finally {
      await early.close();
      await late.close();
    }
  });

  it('does not answer 304 across projects', async () => {
    const etag = (await get('/items/virtual_items')).headers.etag as string;
    const other = await createTenant(app);
    expect((await other.adminCall('POST', '/admin/items/virtual_items', full)).statusCode).toBe(201);
    const res = await catalogGet(app, other.projectId, '/items/virtual_items');
    expect(res.headers.etag).not.toBe(etag);
  });
});
