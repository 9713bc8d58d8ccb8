/**
 * Regions (endpoints.tsv common-regions; docs/decisions/0009-regions.md): the admin CRUD, item bodies that
 * reference regions (422 for a region that is not the project's), the catalog's country filter (listed with a
 * country inside a region, absent outside it and when the country is unknown; the `country` query wins over
 * the COUNTRY_HEADER header), and that region changes reach the catalog on the next read.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp({ countryHeader: 'CF-IPCountry' });
});
afterAll(async () => app.close());

const price = [{ amount: 2, currency: 'USD', is_default: true }];

async function ok(res: { statusCode: number; body: string }, status: number) {
  expect(res.statusCode, res.body).toBe(status);
  return res.body ? JSON.parse(res.body) : undefined;
}
const errorOf = (res: { statusCode: number; json(): unknown }) => {
  const b = res.json() as { statusCode: number; errorCode: number };
  return [res.statusCode, b.errorCode, b.statusCode];
};
const createRegion = async (t: Tenant, name: Record<string, string>, countries: string[]) =>
  ((await ok(await t.adminCall('POST', '/admin/region', { name, countries }), 201)) as { region_id: number })
    .region_id;

describe('region admin', () => {
  let t: Tenant;
  let asia: number;
  beforeAll(async () => {
    t = await createTenant(app);
  });

  it('creates a region (201 {region_id}) and reads it back with its locale keys as sent', async () => {
    asia = await createRegion(t, { 'en-US': 'Asia', 'de-DE': 'Asien' }, ['JP', 'CN', 'VN', 'JP']);
    expect(asia).toEqual(expect.any(Number));
    expect(await ok(await t.adminCall('GET', `/admin/region/${asia}`), 200)).toEqual({
      id: asia,
      name: { 'en-US': 'Asia', 'de-DE': 'Asien' },
      countries: ['JP', 'CN', 'VN'],
    });
  });

  it('lists the regions of the project by id', async () => {
    const na = await createRegion(t, { en: 'North America' }, ['US', 'CA']);
    const { regions } = await ok(await t.adminCall('GET', '/admin/region'), 200);
    expect(regions).toEqual([
      { id: asia, name: { 'en-US': 'Asia', 'de-DE': 'Asien' }, countries: ['JP', 'CN', 'VN'] },
      { id: na, name: { en: 'North America' }, countries: ['US', 'CA'] },
    ]);
  });

  it('replaces name and countries (204)', async () => {
    await ok(
      await t.adminCall('PUT', `/admin/region/${asia}`, {
        name: { 'en-US': 'East Asia' },
        countries: ['KR'],
      }),
      204,
    );
    expect(await ok(await t.adminCall('GET', `/admin/region/${asia}`), 200)).toEqual({
      id: asia,
      name: { 'en-US': 'East Asia' },
      countries: ['KR'],
    });
  });

  it('rejects invalid bodies with 422/1102 and changes nothing', async () => {
    const bad: [string, unknown][] = [
      ['no countries', { name: { en: 'X' } }],
      ['no name', { countries: ['US'] }],
      ['empty name', { name: {}, countries: ['US'] }],
      ['empty countries', { name: { en: 'X' }, countries: [] }],
      ['lowercase country', { name: { en: 'X' }, countries: ['us'] }],
      ['three-letter country', { name: { en: 'X' }, countries: ['USA'] }],
      ['name key not a locale', { name: { English: 'X' }, countries: ['US'] }],
      ['name value not a string', { name: { en: 1 }, countries: ['US'] }],
    ];
    for (const [what, body] of bad) {
      expect(errorOf(await t.adminCall('POST', '/admin/region', body)), what).toEqual([422, 1102, 422]);
      expect(errorOf(await t.adminCall('PUT', `/admin/region/${asia}`, body)), what).toEqual([
        422, 1102, 422,
      ]);
    }
    const { regions } = await ok(await t.adminCall('GET', '/admin/region'), 200);
    expect(regions).toHaveLength(2);
    expect(regions[0].countries).toEqual(['KR']);
  });

  it("answers 404/9701 for an unknown region and for another project's region", async () => {
    const other = await createTenant(app);
    const foreign = await createRegion(other, { en: 'Theirs' }, ['FR']);
    for (const id of [foreign, 2147483647]) {
      for (const [method, body] of [
        ['GET', undefined],
        ['PUT', { name: { en: 'Mine' }, countries: ['DE'] }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.adminCall(method, `/admin/region/${id}`, body);
        expect(errorOf(res), `${method} ${id}`).toEqual([404, 9701, 404]);
        expect(res.json().errorMessage).toMatch(/^\[0401-9701\]: /);
      }
    }
    expect(await ok(await other.adminCall('GET', `/admin/region/${foreign}`), 200)).toMatchObject({
      countries: ['FR'],
    });
  });

  it('deletes a region (204); it is gone afterwards', async () => {
    await ok(await t.adminCall('DELETE', `/admin/region/${asia}`), 204);
    expect((await t.adminCall('GET', `/admin/region/${asia}`)).statusCode).toBe(404);
    expect((await ok(await t.adminCall('GET', '/admin/region'), 200)).regions).toHaveLength(1);
  });
});

describe('item bodies referencing regions', () => {
  it("accepts the project's regions and refuses unknown or foreign ones with 422", async () => {
    const t = await createTenant(app);
    const other = await createTenant(app);
    const mine = await createRegion(t, { en: 'EU' }, ['DE', 'FR']);
    const theirs = await createRegion(other, { en: 'EU' }, ['DE']);
    const body = (sku: string, regions: { id: number }[]) => ({
      sku,
      name: { en: sku },
      prices: price,
      regions,
    });

    await ok(await t.adminCall('POST', '/admin/items/virtual_items', body('ok-item', [{ id: mine }])), 201);
    const item = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/ok-item'), 200);
    expect(item.regions).toEqual([{ id: mine }]);

    for (const regions of [[{ id: theirs }], [{ id: mine }, { id: 2147483000 }]]) {
      const res = await t.adminCall('POST', '/admin/items/virtual_items', body('bad-item', regions));
      expect(errorOf(res), res.body).toEqual([422, 1102, 422]);
      expect(res.json().errorMessage).toMatch(/Region with id = \d+ not found/);
      expect(res.json().errorMessageExtended[0].property).toMatch(/^regions\[\d\]\.id$/);
      const put = await t.adminCall(
        'PUT',
        '/admin/items/virtual_items/sku/ok-item',
        body('ok-item', regions),
      );
      expect(errorOf(put), put.body).toEqual([422, 1102, 422]);
    }
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/bad-item')).statusCode).toBe(404);
    expect(
      (await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/ok-item'), 200)).regions,
    ).toEqual([{ id: mine }]);
    const currency = await t.adminCall('POST', '/admin/items/virtual_currency', {
      sku: 'gold',
      name: { en: 'Gold' },
      regions: [{ id: theirs }],
    });
    expect(errorOf(currency)).toEqual([422, 1102, 422]);
  });
});

describe('catalog filtering by country', () => {
  let t: Tenant;
  let na: number;
  let eu: number;
  beforeAll(async () => {
    t = await createTenant(app);
    na = await createRegion(t, { 'en-US': 'North America' }, ['US', 'CA']);
    eu = await createRegion(t, { 'en-US': 'Europe' }, ['DE', 'FR']);
    const create = (sku: string, regions: { id: number }[]) =>
      t.adminCall('POST', '/admin/items/virtual_items', { sku, name: { en: sku }, prices: price, regions });
    await ok(await create('everywhere', []), 201);
    await ok(await create('na-only', [{ id: na }]), 201);
    await ok(await create('na-or-eu', [{ id: na }, { id: eu }]), 201);
  });

  const listed = async (query: string, headers: Record<string, string> = {}) => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/items/virtual_items${query}`,
      headers,
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { sku: string }[]).map((i) => i.sku).sort();
  };

  it('lists a restricted item to buyers inside one of its regions only', async () => {
    expect(await listed('?country=US')).toEqual(['everywhere', 'na-only', 'na-or-eu']);
    expect(await listed('?country=ca')).toEqual(['everywhere', 'na-only', 'na-or-eu']);
    expect(await listed('?country=FR')).toEqual(['everywhere', 'na-or-eu']);
    expect(await listed('?country=JP')).toEqual(['everywhere']);
    expect(await listed('?limit=50&country=DE', {})).toEqual(['everywhere', 'na-or-eu']);
  });

  it('hides restricted items when the country is unknown', async () => {
    expect(await listed('')).toEqual(['everywhere']);
    expect(await listed('', { 'cf-ipcountry': 'XX1' })).toEqual(['everywhere']);
  });

  it('uses the COUNTRY_HEADER header when there is no country query; the query wins', async () => {
    expect(await listed('', { 'cf-ipcountry': 'CA' })).toEqual(['everywhere', 'na-only', 'na-or-eu']);
    expect(await listed('?country=JP', { 'cf-ipcountry': 'CA' })).toEqual(['everywhere']);
  });

  it('applies the same rule to single-item reads, group lists and the sellable list', async () => {
    expect(
      (await catalogGet(app, t.projectId, '/items/virtual_items/sku/na-only?country=US')).statusCode,
    ).toBe(200);
    expect(
      (await catalogGet(app, t.projectId, '/items/virtual_items/sku/na-only?country=FR')).statusCode,
    ).toBe(404);
    expect((await catalogGet(app, t.projectId, '/items/virtual_items/sku/na-only')).statusCode).toBe(404);
    const all = await catalogGet(app, t.projectId, '/items?country=FR');
    expect(
      all
        .json()
        .items.map((i: { sku: string }) => i.sku)
        .sort(),
    ).toEqual(['everywhere', 'na-or-eu']);
  });

  it('sees a change of a region on the next catalog read', async () => {
    expect(await listed('?country=MX')).toEqual(['everywhere']);
    await ok(
      await t.adminCall('PUT', `/admin/region/${na}`, {
        name: { 'en-US': 'North America' },
        countries: ['US', 'CA', 'MX'],
      }),
      204,
    );
    expect(await listed('?country=MX')).toEqual(['everywhere', 'na-only', 'na-or-eu']);
    await ok(
      await t.adminCall('PUT', `/admin/region/${na}`, { name: { en: 'US only' }, countries: ['US'] }),
      204,
    );
    expect(await listed('?country=CA')).toEqual(['everywhere']);
  });

  it('deleting a region lifts it from its items: an item left without regions is sold everywhere', async () => {
    await ok(await t.adminCall('DELETE', `/admin/region/${na}`), 204);
    const naOnly = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/na-only'), 200);
    expect(naOnly.regions).toEqual([]);
    const naOrEu = await ok(await t.adminCall('GET', '/admin/items/virtual_items/sku/na-or-eu'), 200);
    expect(naOrEu.regions).toEqual([{ id: eu }]);
    expect(await listed('?country=US')).toEqual(['everywhere', 'na-only']);
    expect(await listed('?country=DE')).toEqual(['everywhere', 'na-only', 'na-or-eu']);
  });
});
