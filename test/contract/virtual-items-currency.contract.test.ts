/**
 * Contract of the virtual items & currency area (endpoints.tsv groups virtual-items-currency-admin and
 * virtual-items-currency-catalog, 25 operations): every response is validated against the official spec's
 * schema for its status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { basic, catalogGet, testApp } from '../helpers/app.js';
import { ContractRecorder } from './contract.js';
import { buildCatalog, GROUPS, type CatalogFixture } from './fixture.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS_COVERED = ['virtual-items-currency-admin', 'virtual-items-currency-catalog'] as const;
const ALL_FIELDS =
  'additional_fields[]=media_list&additional_fields[]=order&additional_fields[]=long_description&additional_fields[]=custom_attributes&additional_fields[]=item_order_in_group';

describe.skipIf(!specAvailable)('contract: virtual items & currency', () => {
  let app: FastifyInstance;
  let f: CatalogFixture;
  const rec = new ContractRecorder();
  const wrongKey = () => ({ authorization: basic(f.t.projectId, 'not-the-key') });
  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
    f.t.adminCall(method, path, payload);
  const unauthorized = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v2/project/${f.t.projectId}${path}`,
      headers: wrongKey(),
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const get = (path: string, token?: string) => catalogGet(app, f.t.projectId, path, token);

  beforeAll(async () => {
    app = await testApp();
    f = await buildCatalog(app, rec);
  });
  afterAll(async () => app?.close());

  describe('admin: virtual currencies', () => {
    it('lists currencies (200) and rejects a wrong key (401)', async () => {
      const res = await admin('GET', '/admin/items/virtual_currency?limit=10&offset=0');
      expect(res.statusCode).toBe(200);
      const body = rec.check('admin-get-virtual-currencies-list', res) as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku).sort()).toEqual(['gems', 'gold']);
      rec.check(
        'admin-get-virtual-currencies-list',
        await unauthorized('GET', '/admin/items/virtual_currency'),
      );
    });

    it('gets one currency (200), a wrong key (401), an unknown sku (404)', async () => {
      for (const sku of ['gold', 'gems']) {
        const res = await admin('GET', `/admin/items/virtual_currency/sku/${sku}`);
        expect(res.statusCode).toBe(200);
        rec.check('admin-get-virtual-currency', res);
      }
      rec.check(
        'admin-get-virtual-currency',
        await unauthorized('GET', '/admin/items/virtual_currency/sku/gold'),
      );
      const missing = await admin('GET', '/admin/items/virtual_currency/sku/no-such-currency');
      expect(missing.statusCode).toBe(404);
      rec.check('admin-get-virtual-currency', missing);
    });

    it('creates: duplicate sku (422), invalid body (422); wrong key answers 401', async () => {
      const dup = await admin('POST', '/admin/items/virtual_currency', {
        sku: 'gold',
        name: { en: 'Gold again' },
      });
      expect(dup.statusCode).toBe(422);
      rec.check('admin-create-virtual-currency', dup);
      const invalid = await admin('POST', '/admin/items/virtual_currency', { name: { en: 'No sku' } });
      expect(invalid.statusCode).toBe(422);
      rec.check('admin-create-virtual-currency', invalid);
      // 401 is not among the responses the spec lists for this operation: envelope only
      rec.check(
        'admin-create-virtual-currency',
        await unauthorized('POST', '/admin/items/virtual_currency', { sku: 'x', name: { en: 'x' } }),
        {
          undocumented: true,
        },
      );
    });

    it('updates (204), rejects an invalid body (422) and a wrong key (401)', async () => {
      const body = {
        sku: 'gems',
        name: { en: 'Gems', de: 'Edelsteine' },
        description: { en: 'Shiny' },
        prices: [{ amount: 1.5, currency: 'USD', is_default: true }],
        limits: {
          per_user: 10,
          recurrent_schedule: {
            per_user: { interval_type: 'monthly', day_of_month: 1, time: '00:00:00+00:00' },
          },
        },
        periods: [{ date_from: '2021-01-01T00:00:00+00:00', date_until: null }],
      };
      const ok = await admin('PUT', '/admin/items/virtual_currency/sku/gems', body);
      expect(ok.statusCode, ok.body).toBe(204);
      rec.check('admin-update-virtual-currency', ok);
      const read = await admin('GET', '/admin/items/virtual_currency/sku/gems');
      rec.check('admin-get-virtual-currency', read);
      const bad = await admin('PUT', '/admin/items/virtual_currency/sku/gems', {
        ...body,
        prices: [{ amount: -1, currency: 'USD' }],
      });
      expect(bad.statusCode).toBe(422);
      rec.check('admin-update-virtual-currency', bad);
      rec.check(
        'admin-update-virtual-currency',
        await unauthorized('PUT', '/admin/items/virtual_currency/sku/gems', body),
      );
    });
  });

  describe('admin: virtual currency packages', () => {
    it('lists packages (200), wrong key (401)', async () => {
      const res = await admin('GET', '/admin/items/virtual_currency/package');
      expect(res.statusCode).toBe(200);
      const body = rec.check('admin-get-virtual-currency-packages-list', res) as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku)).toEqual(['gold-pack']);
      rec.check(
        'admin-get-virtual-currency-packages-list',
        await unauthorized('GET', '/admin/items/virtual_currency/package'),
      );
    });

    it('gets one package (200), wrong key (401)', async () => {
      const res = await admin('GET', '/admin/items/virtual_currency/package/sku/gold-pack');
      expect(res.statusCode).toBe(200);
      rec.check('admin-get-virtual-currency-package', res);
      rec.check(
        'admin-get-virtual-currency-package',
        await unauthorized('GET', '/admin/items/virtual_currency/package/sku/gold-pack'),
      );
    });

    it('creates: invalid content (422), wrong key (401)', async () => {
      const bad = await admin('POST', '/admin/items/virtual_currency/package', {
        sku: 'empty-pack',
        name: { en: 'Empty' },
        description: { en: 'Nothing' },
        content: [],
      });
      expect(bad.statusCode).toBe(422);
      rec.check('admin-create-virtual-currency-package', bad);
      const dup = await admin('POST', '/admin/items/virtual_currency/package', {
        sku: 'gold-pack',
        name: { en: 'Again' },
        description: { en: 'Again' },
        content: [{ sku: 'gold', quantity: 1 }],
      });
      expect(dup.statusCode).toBe(422);
      rec.check('admin-create-virtual-currency-package', dup);
      rec.check(
        'admin-create-virtual-currency-package',
        await unauthorized('POST', '/admin/items/virtual_currency/package', {
          sku: 'p',
          name: { en: 'p' },
          description: { en: 'p' },
          content: [{ sku: 'gold', quantity: 1 }],
        }),
      );
    });

    it('updates (204), invalid body (422), wrong key (401)', async () => {
      const body = {
        sku: 'gold-pack',
        name: { en: 'Pile of gold' },
        description: { en: '600 gold' },
        prices: [{ amount: 5.49, currency: 'USD', is_default: true }],
        content: [{ sku: 'gold', quantity: 600 }],
        groups: [GROUPS.packs.external_id],
      };
      const ok = await admin('PUT', '/admin/items/virtual_currency/package/sku/gold-pack', body);
      expect(ok.statusCode, ok.body).toBe(204);
      rec.check('admin-update-virtual-currency-package', ok);
      const bad = await admin('PUT', '/admin/items/virtual_currency/package/sku/gold-pack', {
        ...body,
        content: [{ sku: 'sword', quantity: 1 }],
      });
      expect(bad.statusCode).toBe(422);
      rec.check('admin-update-virtual-currency-package', bad);
      rec.check(
        'admin-update-virtual-currency-package',
        await unauthorized('PUT', '/admin/items/virtual_currency/package/sku/gold-pack', body),
      );
    });
  });

  describe('admin: virtual items', () => {
    it('lists items with paging (200), wrong key (401)', async () => {
      const res = await admin('GET', '/admin/items/virtual_items?limit=1&offset=0');
      expect(res.statusCode).toBe(200);
      rec.check('admin-get-virtual-items-list', res);
      const all = await admin('GET', '/admin/items/virtual_items');
      const body = rec.check('admin-get-virtual-items-list', all) as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku).sort()).toEqual(['potion', 'sword']);
      rec.check('admin-get-virtual-items-list', await unauthorized('GET', '/admin/items/virtual_items'));
    });

    it('lists items of a group by external id and by id (200), wrong key (401)', async () => {
      const byExt = await admin(
        'GET',
        `/admin/items/virtual_items/group/external_id/${GROUPS.weapons.external_id}`,
      );
      expect(byExt.statusCode).toBe(200);
      const body = rec.check('admin-get-virtual-items-list-by-group-external-id', byExt) as {
        items: { sku: string }[];
      };
      expect(body.items.map((i) => i.sku)).toEqual(['sword', 'potion']);
      rec.check(
        'admin-get-virtual-items-list-by-group-external-id',
        await unauthorized(
          'GET',
          `/admin/items/virtual_items/group/external_id/${GROUPS.weapons.external_id}`,
        ),
      );
      const byId = await admin(
        'GET',
        `/admin/items/virtual_items/group/id/${f.groupIds.weapons}?limit=50&offset=0`,
      );
      expect(byId.statusCode).toBe(200);
      rec.check('admin-get-virtual-items-list-by-group-id', byId);
      rec.check(
        'admin-get-virtual-items-list-by-group-id',
        await unauthorized('GET', `/admin/items/virtual_items/group/id/${f.groupIds.weapons}`),
      );
      // an unknown group is a 404 the spec does not list for these operations: envelope only
      const unknown = await admin('GET', '/admin/items/virtual_items/group/external_id/no-such-group');
      expect(unknown.statusCode).toBe(404);
      rec.check('admin-get-virtual-items-list-by-group-external-id', unknown, { undocumented: true });
    });

    it('gets one item (200), wrong key (401), unknown sku (404, undocumented)', async () => {
      for (const sku of ['sword', 'potion']) {
        const res = await admin('GET', `/admin/items/virtual_items/sku/${sku}`);
        expect(res.statusCode).toBe(200);
        rec.check('admin-get-virtual-item', res);
      }
      rec.check('admin-get-virtual-item', await unauthorized('GET', '/admin/items/virtual_items/sku/sword'));
      const missing = await admin('GET', '/admin/items/virtual_items/sku/no-such-item');
      expect(missing.statusCode).toBe(404);
      rec.check('admin-get-virtual-item', missing, { undocumented: true });
    });

    it('creates: duplicate sku (422/4002), invalid body (422/1102)', async () => {
      const dup = await admin('POST', '/admin/items/virtual_items', { sku: 'sword', name: { en: 'Sword' } });
      expect(dup.statusCode).toBe(422);
      expect((rec.check('admin-create-virtual-item', dup) as { errorCode: number }).errorCode).toBe(4002);
      const invalid = await admin('POST', '/admin/items/virtual_items', {
        sku: 'bad sku!',
        name: { en: 'Bad' },
      });
      expect(invalid.statusCode).toBe(422);
      expect((rec.check('admin-create-virtual-item', invalid) as { errorCode: number }).errorCode).toBe(1102);
      rec.check(
        'admin-create-virtual-item',
        await unauthorized('POST', '/admin/items/virtual_items', { sku: 'x', name: { en: 'x' } }),
        {
          undocumented: true,
        },
      );
    });

    it('updates (204), invalid body (422), wrong key (401)', async () => {
      const body = {
        sku: 'potion',
        name: { en: 'Potion', de: 'Trank' },
        description: { en: 'Heals' },
        groups: [GROUPS.weapons.external_id],
        vc_prices: [{ sku: 'gems', amount: 7, is_default: true }],
        inventory_options: { consumable: { usages_count: 2 }, expiration_period: null },
        limits: {
          per_user: 3,
          recurrent_schedule: { per_user: { interval_type: 'daily', time: '05:00:00+00:00' } },
        },
      };
      const ok = await admin('PUT', '/admin/items/virtual_items/sku/potion', body);
      expect(ok.statusCode, ok.body).toBe(204);
      rec.check('admin-update-virtual-item', ok);
      rec.check('admin-get-virtual-item', await admin('GET', '/admin/items/virtual_items/sku/potion'));
      const bad = await admin('PUT', '/admin/items/virtual_items/sku/potion', { ...body, name: undefined });
      expect(bad.statusCode).toBe(422);
      rec.check('admin-update-virtual-item', bad);
      rec.check(
        'admin-update-virtual-item',
        await unauthorized('PUT', '/admin/items/virtual_items/sku/potion', body),
      );
    });
  });

  describe('catalog: virtual items', () => {
    it('lists virtual items (200) anonymously, with a user, with additional fields, locale and country', async () => {
      const token = await f.t.userToken();
      for (const [query, tok] of [
        ['', undefined],
        [`?${ALL_FIELDS}&locale=de&country=DE`, undefined],
        [`?limit=1&offset=1&locale=en-US&country=US`, token],
        [`?${ALL_FIELDS}`, token],
      ] as const) {
        const res = await get(`/items/virtual_items${query}`, tok);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-virtual-items', res);
      }
      const de = (await get(`/items/virtual_items?${ALL_FIELDS}&locale=de&country=DE`)).json();
      const sword = de.items.find((i: { sku: string }) => i.sku === 'sword');
      expect(sword).toMatchObject({
        name: 'Schwert',
        price: { currency: 'EUR' },
        media_list: expect.any(Array),
        custom_attributes: { damage: 42 },
      });
      expect(de.items.find((i: { sku: string }) => i.sku === 'potion').price).toBeNull();
    });

    it('an invalid user token is a 401 (undocumented for catalog reads: envelope only)', async () => {
      const res = await get('/items/virtual_items', 'not-a-jwt');
      expect(res.statusCode).toBe(401);
      rec.check('get-virtual-items', res, { undocumented: true });
    });

    it('gets one virtual item (200) and an unknown sku (404)', async () => {
      for (const path of [
        '/items/virtual_items/sku/sword',
        `/items/virtual_items/sku/sword?${ALL_FIELDS}&locale=de&country=DE`,
        '/items/virtual_items/sku/potion',
      ]) {
        const res = await get(path);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-virtual-items-sku', res);
      }
      const missing = await get('/items/virtual_items/sku/no-such-item');
      expect(missing.statusCode).toBe(404);
      rec.check('get-virtual-items-sku', missing);
    });

    it('lists all virtual items (200)', async () => {
      for (const path of ['/items/virtual_items/all', '/items/virtual_items/all?locale=de']) {
        const res = await get(path);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-all-virtual-items', res);
      }
    });

    it('lists virtual items of a group (200) and an unknown group (404)', async () => {
      const res = await get(
        `/items/virtual_items/group/${GROUPS.weapons.external_id}?${ALL_FIELDS}&locale=de`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const body = rec.check('get-virtual-items-group', res) as { items: { sku: string }[] };
      expect(body.items.map((i) => i.sku)).toEqual(['sword', 'potion']);
      const missing = await get('/items/virtual_items/group/no-such-group');
      expect(missing.statusCode).toBe(404);
      rec.check('get-virtual-items-group', missing);
    });
  });

  describe('catalog: virtual currencies and packages', () => {
    it('lists virtual currencies (200)', async () => {
      for (const query of ['', `?${ALL_FIELDS}&locale=de&country=DE`, '?limit=1&offset=0']) {
        const res = await get(`/items/virtual_currency${query}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-virtual-currency', res);
      }
    });

    it('gets one virtual currency (200); an unknown sku is 404 (undocumented)', async () => {
      for (const sku of ['gold', 'gems']) {
        const res = await get(`/items/virtual_currency/sku/${sku}?${ALL_FIELDS}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-virtual-currency-sku', res);
      }
      const missing = await get('/items/virtual_currency/sku/no-such-currency');
      expect(missing.statusCode).toBe(404);
      rec.check('get-virtual-currency-sku', missing, { undocumented: true });
    });

    it('lists packages (200)', async () => {
      for (const query of ['', `?${ALL_FIELDS}&locale=de&country=US`]) {
        const res = await get(`/items/virtual_currency/package${query}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-virtual-currency-package', res);
      }
    });

    it('gets one package (200); an unknown sku is 404 (undocumented)', async () => {
      const res = await get(`/items/virtual_currency/package/sku/gold-pack?${ALL_FIELDS}&locale=de`);
      expect(res.statusCode, res.body).toBe(200);
      rec.check('get-virtual-currency-package-sku', res);
      const missing = await get('/items/virtual_currency/package/sku/no-such-pack');
      expect(missing.statusCode).toBe(404);
      rec.check('get-virtual-currency-package-sku', missing, { undocumented: true });
    });
  });

  describe('admin: deletes (last: they empty the catalog)', () => {
    it('deletes a package, an item and a currency (204); wrong key (401)', async () => {
      rec.check(
        'admin-delete-virtual-currency-package',
        await unauthorized('DELETE', '/admin/items/virtual_currency/package/sku/gold-pack'),
      );
      const pack = await admin('DELETE', '/admin/items/virtual_currency/package/sku/gold-pack');
      expect(pack.statusCode).toBe(204);
      rec.check('admin-delete-virtual-currency-package', pack);

      rec.check(
        'admin-delete-virtual-item',
        await unauthorized('DELETE', '/admin/items/virtual_items/sku/sword'),
      );
      const item = await admin('DELETE', '/admin/items/virtual_items/sku/sword');
      expect(item.statusCode).toBe(204);
      rec.check('admin-delete-virtual-item', item);

      rec.check(
        'admin-delete-virtual-currency',
        await unauthorized('DELETE', '/admin/items/virtual_currency/sku/gold'),
      );
      const currency = await admin('DELETE', '/admin/items/virtual_currency/sku/gold');
      expect(currency.statusCode, currency.body).toBe(204);
      rec.check('admin-delete-virtual-currency', currency);
    });

    it('deleting an unknown sku is a 404 (undocumented for deletes: envelope only)', async () => {
      const res = await admin('DELETE', '/admin/items/virtual_items/sku/sword');
      expect(res.statusCode).toBe(404);
      rec.check('admin-delete-virtual-item', res, { undocumented: true });
    });
  });

  it('validated every operation of its groups against the spec', () => {
    rec.expectCovered(GROUPS_COVERED);
  });
});
