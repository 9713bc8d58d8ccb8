/**
 * Contract of the bundles area (endpoints.tsv groups bundles-admin and bundles-catalog, 12 operations): every
 * response of every operation is validated against the official spec's schema for its status. The catalog is
 * the one of fixture.ts (currencies, goods, a package) plus standard bundles holding goods, a currency, the
 * package and another bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, catalogGet, testApp } from '../helpers/app.js';
import { ContractRecorder } from './contract.js';
import { buildCatalog, GROUPS, type CatalogFixture } from './fixture.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS_COVERED = ['bundles-admin', 'bundles-catalog'] as const;
const ALL_FIELDS =
  'additional_fields[]=media_list&additional_fields[]=order&additional_fields[]=long_description&additional_fields[]=custom_attributes&additional_fields[]=item_order_in_group';

/** A standard bundle with every optional field the spec's body shows, prices written as strings. */
const armourChest = {
  sku: 'armour-chest',
  name: { en: 'Chest of armour', de: 'Rüstungstruhe' },
  description: { en: 'Chest of armour for soldiers', de: 'Rüstungstruhe für Soldaten' },
  long_description: { en: 'A chest of armour for brave soldiers' },
  image_url: 'https://cdn.example.com/armour-chest.png',
  media_list: [{ type: 'image', url: 'https://cdn.example.com/armour-chest-1.png' }],
  groups: [GROUPS.weapons.external_id],
  attributes: [
    {
      external_id: 'class',
      name: { en: 'Class' },
      values: [
        { external_id: 'soldier', value: { en: 'Soldier' } },
        { external_id: 'officer', value: { en: 'Officer' } },
      ],
    },
  ],
  prices: [
    { currency: 'USD', amount: '19.99', is_default: true, is_enabled: true },
    { currency: 'EUR', amount: '17.99', country_iso: 'DE', is_default: false, is_enabled: true },
  ],
  vc_prices: [{ sku: 'gold', amount: 200, is_default: true, is_enabled: true }],
  content: [
    { sku: 'sword', quantity: 1 },
    { sku: 'potion', quantity: 3 },
    { sku: 'gold', quantity: 50 },
  ],
  is_enabled: true,
  is_show_in_store: true,
  is_free: false,
  order: 1,
  limits: {
    per_user: { total: 2 },
    per_item: 100,
    recurrent_schedule: { per_user: { interval_type: 'weekly', day_of_week: 3, time: '04:00:00+02:00' } },
  },
  periods: [{ date_from: '2020-08-11T10:00:00+03:00', date_until: '2099-08-11T20:00:00+03:00' }],
  custom_attributes: { type: 'lootbox', purchased: 0 },
};

/** A bundle of bundles (like the seeds' Treasure Chest): the chest above and the currency package. */
const treasure = {
  sku: 'treasure-chest',
  name: { en: 'Treasure chest' },
  description: { en: 'Everything' },
  groups: [GROUPS.weapons.external_id],
  prices: [{ currency: 'USD', amount: 49.99, is_default: true, is_enabled: true }],
  content: [{ sku: 'armour-chest', quantity: 2 }, { sku: 'gold-pack', quantity: 10 }, { sku: 'sword' }],
  is_show_in_store: true,
  order: 2,
};

describe.skipIf(!specAvailable)('contract: bundles', () => {
  let app: FastifyInstance;
  let f: CatalogFixture;
  const rec = new ContractRecorder();
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
    f.t.adminCall(method, path, payload);
  const unauthorized = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v2/project/${f.t.projectId}${path}`,
      headers: { authorization: basic(f.t.projectId, 'not-the-key') },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const get = (path: string, token?: string) => catalogGet(app, f.t.projectId, path, token);

  beforeAll(async () => {
    app = await testApp();
    f = await buildCatalog(app, rec);
    for (const body of [armourChest, treasure]) {
      const res = await admin('POST', '/admin/items/bundle', body);
      expect(res.statusCode, res.body).toBe(201);
      expect(rec.check('admin-create-bundle', res, { inHook: true })).toEqual({ sku: body.sku });
    }
    const hidden = await admin('POST', '/admin/items/bundle', {
      sku: 'bare-bundle',
      name: { en: 'Bare' },
      description: null,
      content: [{ sku: 'gems' }],
    });
    expect(hidden.statusCode, hidden.body).toBe(201);
    rec.check('admin-create-bundle', hidden, { inHook: true });
  });
  afterAll(async () => app?.close());

  describe('admin', () => {
    it('lists bundles (200) with paging; a wrong key is 401', async () => {
      for (const query of ['', '?limit=1&offset=1', '?limit=50&offset=0']) {
        const res = await admin('GET', `/admin/items/bundle${query}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('admin-get-bundle-list', res);
      }
      const body = (await admin('GET', '/admin/items/bundle')).json() as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku)).toEqual(['bare-bundle', 'armour-chest', 'treasure-chest']);
      rec.check('admin-get-bundle-list', await unauthorized('GET', '/admin/items/bundle'));
    });

    it('gets one bundle (200); a wrong key is 401; an unknown sku is 404 (undocumented)', async () => {
      for (const sku of ['armour-chest', 'treasure-chest', 'bare-bundle']) {
        const res = await admin('GET', `/admin/items/bundle/sku/${sku}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('admin-get-bundle', res);
      }
      rec.check('admin-get-bundle', await unauthorized('GET', '/admin/items/bundle/sku/armour-chest'));
      const missing = await admin('GET', '/admin/items/bundle/sku/gold-pack');
      expect(missing.statusCode).toBe(404);
      rec.check('admin-get-bundle', missing, { undocumented: true });
    });

    it('lists a group by external id and by id (200); wrong key 401; unknown group 404 (undocumented)', async () => {
      const byExt = await admin('GET', `/admin/items/bundle/group/external_id/${GROUPS.weapons.external_id}`);
      expect(byExt.statusCode).toBe(200);
      const body = rec.check('admin-get-bundle-list-in-group-by-external-id', byExt) as {
        items: { sku: string }[];
      };
      expect(body.items.map((i) => i.sku)).toEqual(['armour-chest', 'treasure-chest']);
      rec.check(
        'admin-get-bundle-list-in-group-by-external-id',
        await unauthorized('GET', `/admin/items/bundle/group/external_id/${GROUPS.weapons.external_id}`),
      );
      const unknown = await admin('GET', '/admin/items/bundle/group/external_id/no-such-group');
      expect(unknown.statusCode).toBe(404);
      rec.check('admin-get-bundle-list-in-group-by-external-id', unknown, { undocumented: true });

      const byId = await admin('GET', `/admin/items/bundle/group/id/${f.groupIds.weapons}?limit=1&offset=0`);
      expect(byId.statusCode).toBe(200);
      rec.check('admin-get-bundle-list-in-group-by-id', byId);
      rec.check(
        'admin-get-bundle-list-in-group-by-id',
        await unauthorized('GET', `/admin/items/bundle/group/id/${f.groupIds.weapons}`),
      );
      const unknownId = await admin('GET', '/admin/items/bundle/group/id/999999999');
      expect(unknownId.statusCode).toBe(404);
      rec.check('admin-get-bundle-list-in-group-by-id', unknownId, { undocumented: true });
    });

    it('creates: duplicate sku (422/4002), invalid body (422/1102), wrong key (401)', async () => {
      const dup = await admin('POST', '/admin/items/bundle', armourChest);
      expect(dup.statusCode).toBe(422);
      expect((rec.check('admin-create-bundle', dup) as { errorCode: number }).errorCode).toBe(4002);
      const invalid = await admin('POST', '/admin/items/bundle', { ...armourChest, sku: undefined });
      expect(invalid.statusCode).toBe(422);
      expect((rec.check('admin-create-bundle', invalid) as { errorCode: number }).errorCode).toBe(1102);
      const badContent = await admin('POST', '/admin/items/bundle', {
        ...armourChest,
        sku: 'x',
        content: [{ sku: 'nope' }],
      });
      expect(badContent.statusCode).toBe(422);
      rec.check('admin-create-bundle', badContent);
      rec.check('admin-create-bundle', await unauthorized('POST', '/admin/items/bundle', armourChest));
    });

    it('updates (204), invalid body (422), wrong key (401), unknown sku (404, undocumented)', async () => {
      const body = {
        ...treasure,
        name: { en: 'Treasure chest', de: 'Schatztruhe' },
        limits: { per_user: 1 },
      };
      const ok = await admin('PUT', '/admin/items/bundle/sku/treasure-chest', body);
      expect(ok.statusCode, ok.body).toBe(204);
      rec.check('admin-update-bundle', ok);
      rec.check('admin-get-bundle', await admin('GET', '/admin/items/bundle/sku/treasure-chest'));
      const cycle = await admin('PUT', '/admin/items/bundle/sku/armour-chest', {
        ...armourChest,
        content: [{ sku: 'treasure-chest' }],
      });
      expect(cycle.statusCode).toBe(422);
      rec.check('admin-update-bundle', cycle);
      rec.check(
        'admin-update-bundle',
        await unauthorized('PUT', '/admin/items/bundle/sku/treasure-chest', body),
      );
      const missing = await admin('PUT', '/admin/items/bundle/sku/nothing', { ...body, sku: 'nothing' });
      expect(missing.statusCode).toBe(404);
      rec.check('admin-update-bundle', missing, { undocumented: true });
    });

    it('shows and hides (204), wrong key (401), unknown sku (404, undocumented)', async () => {
      for (const [slug, action] of [
        ['admin-hide-bundle', 'hide'],
        ['admin-show-bundle', 'show'],
      ] as const) {
        const res = await admin('PUT', `/admin/items/bundle/sku/bare-bundle/${action}`);
        expect(res.statusCode).toBe(204);
        rec.check(slug, res);
        rec.check(slug, await unauthorized('PUT', `/admin/items/bundle/sku/bare-bundle/${action}`));
        const missing = await admin('PUT', `/admin/items/bundle/sku/gold-pack/${action}`);
        expect(missing.statusCode).toBe(404);
        rec.check(slug, missing, { undocumented: true });
      }
      rec.check('admin-get-bundle', await admin('GET', '/admin/items/bundle/sku/bare-bundle'));
    });
  });

  describe('catalog', () => {
    it('lists bundles (200) anonymously, with a user, with additional fields, locale and country', async () => {
      const token = await f.t.userToken();
      for (const [query, tok] of [
        ['', undefined],
        [`?${ALL_FIELDS}&locale=de&country=DE`, undefined],
        ['?limit=1&offset=1&locale=en-US&country=US', token],
        [`?${ALL_FIELDS}`, token],
      ] as const) {
        const res = await get(`/items/bundle${query}`, tok);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-bundle-list', res);
      }
      const body = (await get('/items/bundle')).json() as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku)).toEqual(['bare-bundle', 'armour-chest', 'treasure-chest']);
    });

    it('lists bundles of a group (200); an unknown group is 404 (undocumented)', async () => {
      const res = await get(
        `/items/bundle/group/${GROUPS.weapons.external_id}?${ALL_FIELDS}&locale=de&country=DE`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = rec.check('get-bundle-list-in-group', res) as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku)).toEqual(['armour-chest', 'treasure-chest']);
      const missing = await get('/items/bundle/group/no-such-group');
      expect(missing.statusCode).toBe(404);
      rec.check('get-bundle-list-in-group', missing, { undocumented: true });
    });

    it('gets one bundle (200); a package sku is 404 (undocumented)', async () => {
      for (const path of [
        '/items/bundle/sku/armour-chest',
        `/items/bundle/sku/armour-chest?${ALL_FIELDS}&locale=de&country=DE`,
        '/items/bundle/sku/treasure-chest?country=US',
        '/items/bundle/sku/bare-bundle',
      ]) {
        const res = await get(path);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-bundle', res);
      }
      const missing = await get('/items/bundle/sku/gold-pack');
      expect(missing.statusCode).toBe(404);
      rec.check('get-bundle', missing, { undocumented: true });
    });
  });

  describe('admin: deletes (last)', () => {
    it('deletes (204), wrong key (401), a bundle held by another (422, undocumented), unknown (404, undocumented)', async () => {
      rec.check(
        'admin-delete-bundle',
        await unauthorized('DELETE', '/admin/items/bundle/sku/treasure-chest'),
      );
      const held = await admin('DELETE', '/admin/items/bundle/sku/armour-chest');
      expect(held.statusCode).toBe(422);
      rec.check('admin-delete-bundle', held, { undocumented: true });
      for (const sku of ['treasure-chest', 'armour-chest']) {
        const res = await admin('DELETE', `/admin/items/bundle/sku/${sku}`);
        expect(res.statusCode, res.body).toBe(204);
        rec.check('admin-delete-bundle', res);
      }
      const missing = await admin('DELETE', '/admin/items/bundle/sku/armour-chest');
      expect(missing.statusCode).toBe(404);
      rec.check('admin-delete-bundle', missing, { undocumented: true });
    });
  });

  it('validated every operation of its groups against the spec', () => {
    rec.expectCovered(GROUPS_COVERED);
  });
});
