/**
 * Contract of the common catalog (endpoints.tsv group common-catalog, 4 operations: sellable items of any type,
 * by group, by id, by sku): every response is validated against the official spec's schema for its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { catalogGet, testApp } from '../helpers/app.js';
import { ContractRecorder } from './contract.js';
import { buildCatalog, GROUPS, type CatalogFixture } from './fixture.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const FIELDS = ['media_list', 'order', 'long_description', 'custom_attributes', 'item_order_in_group']
  .map((f) => `additional_fields[]=${f}`)
  .join('&');

describe.skipIf(!specAvailable)('contract: common catalog', () => {
  let app: FastifyInstance;
  let f: CatalogFixture;
  const rec = new ContractRecorder();
  const get = (path: string, token?: string) => catalogGet(app, f.t.projectId, path, token);

  beforeAll(async () => {
    app = await testApp();
    f = await buildCatalog(app, rec);
  });
  afterAll(async () => app?.close());

  it('get-sellable-items: every type, anonymous and personalized, with additional fields, locale, country, paging (200)', async () => {
    const token = await f.t.userToken();
    const queries: [string, string | undefined][] = [
      ['', undefined],
      [`?${FIELDS}&locale=de&country=DE`, undefined],
      [`?${FIELDS}&locale=en-US&country=US`, token],
      ['?limit=2&offset=0', undefined],
      ['?limit=2&offset=2', undefined],
      ['?limit=50&offset=50', undefined],
      ['?show_inactive_time_limited_items=1', undefined],
    ];
    for (const [query, tok] of queries) {
      const res = await get(`/items${query}`, tok);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      rec.check('get-sellable-items', res);
    }
    const body = (await get(`/items?${FIELDS}`)).json() as { items: { sku: string; type: string }[] };
    expect(new Set(body.items.map((i) => i.type))).toEqual(
      new Set(['virtual_currency', 'virtual_good', 'bundle']),
    );
  });

  it('get-sellable-items-group: items of a group (200), unknown group (404)', async () => {
    for (const [group, query] of [
      [GROUPS.weapons.external_id, `?${FIELDS}&locale=de&country=DE`],
      [GROUPS.packs.external_id, '?limit=1'],
    ]) {
      const res = await get(`/items/group/${group}${query}`);
      expect(res.statusCode, res.body).toBe(200);
      rec.check('get-sellable-items-group', res);
    }
    const missing = await get('/items/group/no-such-group');
    expect(missing.statusCode).toBe(404);
    expect((rec.check('get-sellable-items-group', missing) as { errorCode: number }).errorCode).toBe(4403);
  });

  it('get-sellable-item-by-id: each type (200), unknown id (404)', async () => {
    for (const sku of ['sword', 'potion', 'gold', 'gems', 'gold-pack']) {
      const res = await get(`/items/id/${f.itemIds[sku]}?${FIELDS}&locale=de&country=DE`);
      expect(res.statusCode, `${sku}: ${res.body}`).toBe(200);
      rec.check('get-sellable-item-by-id', res);
    }
    const missing = await get('/items/id/2147483000');
    expect(missing.statusCode).toBe(404);
    expect((rec.check('get-sellable-item-by-id', missing) as { errorCode: number }).errorCode).toBe(4001);
  });

  it('get-sellable-item-by-sku: each type (200), personalized (200), unknown sku (404)', async () => {
    const token = await f.t.userToken();
    for (const sku of ['sword', 'potion', 'gold', 'gems', 'gold-pack']) {
      const res = await get(`/items/sku/${sku}?${FIELDS}`, sku === 'sword' ? token : undefined);
      expect(res.statusCode, `${sku}: ${res.body}`).toBe(200);
      rec.check('get-sellable-item-by-sku', res);
    }
    const missing = await get('/items/sku/no-such-item');
    expect(missing.statusCode).toBe(404);
    expect((rec.check('get-sellable-item-by-sku', missing) as { errorCode: number }).errorCode).toBe(4001);
  });

  it('an invalid user token is a 401 (undocumented for catalog reads: envelope only)', async () => {
    const res = await get('/items', 'not-a-jwt');
    expect(res.statusCode).toBe(401);
    rec.check('get-sellable-items', res, { undocumented: true });
  });

  it('validated every operation of its group against the spec', () => {
    rec.expectCovered(['common-catalog']);
  });
});
