/**
 * Admin of games (spec group game-keys-admin; seeds J, K, L): create, read by sku and id, list, replace, delete —
 * a game is `type: "unit"` with its keys in `unit_items`, one per DRM, each with its own prices and pre-order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { gameBody, keyCounters, uploadCodes, usd } from './games-helpers.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

async function version(t: Tenant) {
  const row = await app.services.database.db
    .selectFrom('projects')
    .select('catalog_version')
    .where('project_id', '=', t.projectId)
    .executeTakeFirstOrThrow();
  return String(row.catalog_version);
}

describe('admin-create-game', () => {
  it('creates a game with its keys and answers 201 {item_id, sku} (seed K)', async () => {
    const t = await createTenant(app);
    const res = await t.adminCall('POST', '/admin/items/game', gameBody('g1'));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toEqual({ item_id: expect.any(Number), sku: 'g1' });

    const view = (await t.adminCall('GET', '/admin/items/game/sku/g1')).json();
    expect(view).toMatchObject({
      item_id: created.item_id,
      sku: 'g1',
      type: 'unit',
      name: { en: 'Game g1', de: 'Spiel g1' },
      description: { en: 'A game' },
      image_url: 'https://cdn.example.com/g1.png',
      is_enabled: true,
      is_show_in_store: true,
    });
    expect(view.unit_items).toHaveLength(2);
    expect(view.unit_items[0]).toMatchObject({
      sku: 'g1_steam',
      type: 'game_key',
      name: { en: 'Game g1', de: 'Spiel g1' }, // a key without a name takes the game's
      drm_sku: 'steam_key_1',
      drm_name: 'Steam',
      drm_id: 1,
      prices: [{ amount: 19.99, currency: 'USD', is_default: true, is_enabled: true }],
      keys: { total: 0, available: 0, used: 0 },
      is_sales_exist: false,
      pre_order: { is_enabled: false, release_date: null, description: null },
    });
    expect(view.unit_items[1]).toMatchObject({ sku: 'g1_free', drm_sku: 'drmfree', drm_name: 'DRM-free' });
  });

  it('takes the full seed K example shape: localized keys, per_item as an object, pre-order, regions, VC prices', async () => {
    const t = await createTenant(app);
    await t.adminCall('POST', '/admin/items/virtual_currency', {
      sku: 'com.xsolla.gold_1',
      name: { en: 'Gold' },
    });
    const res = await t.adminCall('POST', '/admin/items/game', {
      sku: 'com.xsolla.game_1',
      name: { 'en-US': 'Game name', 'ru-RU': 'Название игры' },
      description: { 'en-US': 'Game description' },
      long_description: { 'en-US': 'Game long description' },
      media_list: [{ type: 'image', url: 'http://image.png' }],
      image_url: 'http://image.png',
      is_enabled: true,
      is_show_in_store: true,
      unit_items: [
        {
          sku: 'com.xsolla.game_key_1',
          drm_sku: 'steam_key_1',
          is_enabled: true,
          is_free: false,
          is_show_in_store: true,
          name: { 'en-US': 'Game key name' },
          limits: {
            per_item: { available: 5000, reserved: 500, sold: 4500, total: 10000 },
            per_user: { total: 5 },
          },
          periods: [{ date_from: '2020-08-11T10:00:00+03:00', date_until: '2099-08-11T20:00:00+03:00' }],
          pre_order: {
            description: 'Some description',
            is_enabled: true,
            release_date: '2099-08-11T10:00:00+03:00',
          },
          prices: [{ amount: 35.5, currency: 'USD', is_default: true, is_enabled: true }],
          vc_prices: [{ amount: 35, is_default: true, is_enabled: true, sku: 'com.xsolla.gold_1' }],
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const key = (await t.adminCall('GET', '/admin/items/game/sku/com.xsolla.game_1')).json().unit_items[0];
    expect(key).toMatchObject({
      name: { en: 'Game key name' },
      limits: { per_item: { total: 10000, available: 10000 }, per_user: { total: 5 } },
      pre_order: {
        is_enabled: true,
        release_date: '2099-08-11T10:00:00+03:00',
        description: 'Some description',
      },
      periods: [{ date_from: '2020-08-11T10:00:00+03:00', date_until: '2099-08-11T20:00:00+03:00' }],
      virtual_prices: [
        { sku: 'com.xsolla.gold_1', type: 'virtual_currency', name: { en: 'Gold' }, amount: 35 },
      ],
    });
  });

  it('rejects bad bodies with 422 and writes nothing', async () => {
    const t = await createTenant(app);
    expect((await t.adminCall('POST', '/admin/items/game', gameBody('taken'))).statusCode).toBe(201);
    const before = await version(t);
    const cases: [string, unknown, number, RegExp][] = [
      [
        'a key without drm_sku',
        gameBody('a', { unit_items: [{ sku: 'a_k', prices: usd(1) }] }),
        1102,
        /The property `drm_sku` is required/,
      ],
      [
        'an unknown DRM',
        gameBody('b', { unit_items: [{ sku: 'b_k', drm_sku: 'floppy', prices: usd(1) }] }),
        1102,
        /DRM with sku = 'floppy' not found/,
      ],
      [
        'two keys on one DRM (sku and short name)',
        gameBody('c', {
          unit_items: [
            { sku: 'c_1', drm_sku: 'steam', prices: usd(1) },
            { sku: 'c_2', drm_sku: 'steam_key_1', prices: usd(1) },
          ],
        }),
        1102,
        /already has a key for DRM/,
      ],
      [
        'a key sku repeated',
        gameBody('d', {
          unit_items: [
            { sku: 'd_1', drm_sku: 'steam', prices: usd(1) },
            { sku: 'd_1', drm_sku: 'gog', prices: usd(1) },
          ],
        }),
        1102,
        /used twice/,
      ],
      [
        'a bad pre-order date',
        gameBody('e', {
          unit_items: [
            {
              sku: 'e_1',
              drm_sku: 'steam',
              prices: usd(1),
              pre_order: { is_enabled: true, release_date: 'soon' },
            },
          ],
        }),
        1102,
        /ISO 8601/,
      ],
      ['a taken game sku', gameBody('taken'), 4002, /already exist/],
      [
        'a key sku taken by another game',
        gameBody('f', { unit_items: [{ sku: 'taken_steam', drm_sku: 'steam', prices: usd(1) }] }),
        4002,
        /taken_steam/,
      ],
      ['no name', { sku: 'g', unit_items: [] }, 1102, /name/],
      [
        'a fractional virtual-currency amount',
        gameBody('h', {
          unit_items: [{ sku: 'h_1', drm_sku: 'steam', vc_prices: [{ sku: 'x', amount: 1.5 }] }],
        }),
        1102,
        /./,
      ],
    ];
    for (const [what, body, code, message] of cases) {
      const res = await t.adminCall('POST', '/admin/items/game', body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(422);
      expect(res.json().errorCode, what).toBe(code);
      expect(res.json().errorMessage, what).toMatch(message);
    }
    expect(await version(t)).toBe(before);
    const list = (await t.adminCall('GET', '/admin/items/game')).json();
    expect(list.items.map((g: { sku: string }) => g.sku)).toEqual(['taken']);
  });

  it('names the key in the property of a shared-rule error', async () => {
    const t = await createTenant(app);
    const res = await t.adminCall(
      'POST',
      '/admin/items/game',
      gameBody('p', {
        unit_items: [
          { sku: 'p_1', drm_sku: 'steam', prices: usd(1) },
          {
            sku: 'p_2',
            drm_sku: 'gog',
            prices: usd(1),
            periods: [{ date_from: '2020-01-01T00:00:00Z', date_until: '2019-01-01T00:00:00Z' }],
          },
        ],
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errorMessageExtended[0].property).toBe('unit_items[1].periods[0].date_until');
  });
});

describe('admin-get-game-by-sku / by-id, admin-get-game-list', () => {
  it('reads by sku and by numeric id; 404/4001 for keys, other items, unknown and non-numeric ids', async () => {
    const t = await createTenant(app);
    const { item_id } = (await t.adminCall('POST', '/admin/items/game', gameBody('g'))).json();
    const bySku = await t.adminCall('GET', '/admin/items/game/sku/g');
    const byId = await t.adminCall('GET', `/admin/items/game/id/${item_id}`);
    expect(byId.statusCode).toBe(200);
    expect(byId.json()).toEqual(bySku.json());

    await t.adminCall('POST', '/admin/items/virtual_items', { sku: 'sword', name: { en: 'Sword' } });
    for (const [path, msg] of [
      ['/admin/items/game/sku/g_steam', "Item with sku = 'g_steam' not found"],
      ['/admin/items/game/sku/sword', "Item with sku = 'sword' not found"],
      ['/admin/items/game/sku/nope', "Item with sku = 'nope' not found"],
      ['/admin/items/game/id/abc', 'Item with id = abc not found'],
      ['/admin/items/game/id/2147483647', 'Item with id = 2147483647 not found'],
      ['/admin/items/game/id/99999999999', 'Item with id = 99999999999 not found'],
    ]) {
      const res = await t.adminCall('GET', path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json(), path).toMatchObject({ errorCode: 4001, errorMessage: `[0401-4001]: ${msg}` });
    }
  });

  it('does not show another project its games', async () => {
    const t = await createTenant(app);
    const other = await createTenant(app);
    const { item_id } = (await t.adminCall('POST', '/admin/items/game', gameBody('mine'))).json();
    expect((await other.adminCall('GET', '/admin/items/game/sku/mine')).statusCode).toBe(404);
    expect((await other.adminCall('GET', `/admin/items/game/id/${item_id}`)).statusCode).toBe(404);
    expect((await other.adminCall('GET', '/admin/items/game')).json()).toEqual({ items: [] });
  });

  it('lists games (enabled or not) in catalog order with paging, and counts each key’s codes', async () => {
    const t = await createTenant(app);
    for (const [sku, order] of [
      ['b', 2],
      ['a', 1],
      ['c', 3],
    ] as const) {
      const res = await t.adminCall(
        'POST',
        '/admin/items/game',
        gameBody(sku, { order, is_enabled: sku !== 'c' }),
      );
      expect(res.statusCode, res.body).toBe(201);
    }
    await uploadCodes(app, t, 'sku/b_steam', ['X1', 'X2', 'X3']);
    const all = (await t.adminCall('GET', '/admin/items/game')).json();
    expect(all.items.map((g: { sku: string }) => g.sku)).toEqual(['a', 'b', 'c']);
    expect(all.items[1].unit_items[0].keys).toEqual({ total: 3, available: 3, used: 0 });
    const page = (await t.adminCall('GET', '/admin/items/game?limit=1&offset=1')).json();
    expect(page.items.map((g: { sku: string }) => g.sku)).toEqual(['b']);
    expect((await t.adminCall('GET', '/admin/items/game?limit=0')).statusCode).toBe(422);
  });
});

describe('admin-update-game-by-sku / by-id', () => {
  it('replaces the game and its keys (201, no body); a key keeps its codes by sku or DRM; dropped keys go', async () => {
    const t = await createTenant(app);
    const { item_id } = (await t.adminCall('POST', '/admin/items/game', gameBody('g'))).json();
    await uploadCodes(app, t, 'sku/g_steam', ['S1', 'S2']);
    await uploadCodes(app, t, 'sku/g_free', ['F1']);
    const before = (await t.adminCall('GET', '/admin/items/game/sku/g')).json();

    const res = await t.adminCall('PUT', '/admin/items/game/sku/g', {
      sku: 'g2',
      name: { en: 'Renamed' },
      unit_items: [
        { sku: 'g_steam_new', drm_sku: 'steam', prices: usd(9.99) }, // renamed key of the same DRM
        { sku: 'g_gog', drm_sku: 'gog_key_1', prices: usd(5) },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toBe('');
    expect((await t.adminCall('GET', '/admin/items/game/sku/g')).statusCode).toBe(404);
    const after = (await t.adminCall('GET', `/admin/items/game/id/${item_id}`)).json();
    expect(after).toMatchObject({ sku: 'g2', name: { en: 'Renamed' }, description: null, image_url: null });
    expect(after.unit_items.map((k: { sku: string }) => k.sku)).toEqual(['g_steam_new', 'g_gog']);
    expect(after.unit_items[0].item_id).toBe(before.unit_items[0].item_id);
    expect(after.unit_items[0]).toMatchObject({
      drm_sku: 'steam',
      keys: { total: 2, available: 2, used: 0 },
    });
    expect(after.unit_items[0].prices[0].amount).toBe(9.99);
    const codes = await app.services.database.db
      .selectFrom('game_codes')
      .select('code')
      .where('project_id', '=', t.projectId)
      .orderBy('code')
      .execute();
    expect(codes.map((c) => c.code)).toEqual(['S1', 'S2']); // the DRM-free key and its code are gone
  });

  it('updates by id; keeps a key of the same sku; 404 for unknown; 422/4002 onto another item’s sku', async () => {
    const t = await createTenant(app);
    const { item_id } = (await t.adminCall('POST', '/admin/items/game', gameBody('g'))).json();
    await t.adminCall('POST', '/admin/items/game', gameBody('h'));
    const keyId = (await t.adminCall('GET', '/admin/items/game/sku/g')).json().unit_items[1].item_id;
    const body = gameBody('g', { name: { en: 'New' } });
    const ok = await t.adminCall('PUT', `/admin/items/game/id/${item_id}`, body);
    expect(ok.statusCode, ok.body).toBe(201);
    const view = (await t.adminCall('GET', '/admin/items/game/sku/g')).json();
    expect(view.name).toEqual({ en: 'New' });
    expect(view.unit_items[1].item_id).toBe(keyId);

    const missing = await t.adminCall('PUT', '/admin/items/game/sku/none', body);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errorCode).toBe(4001);
    expect((await t.adminCall('PUT', '/admin/items/game/id/1', body)).statusCode).toBe(404);
    const clash = await t.adminCall('PUT', '/admin/items/game/sku/g', gameBody('h'));
    expect(clash.statusCode).toBe(422);
    expect(clash.json().errorCode).toBe(4002);
    const keyClash = await t.adminCall(
      'PUT',
      '/admin/items/game/sku/g',
      gameBody('g', { unit_items: [{ sku: 'h_steam', drm_sku: 'steam', prices: usd(1) }] }),
    );
    expect(keyClash.statusCode).toBe(422);
    expect(keyClash.json().errorCode).toBe(4002);
    expect((await t.adminCall('GET', '/admin/items/game/sku/g')).json().name).toEqual({ en: 'New' });
  });
});

describe('admin-delete-game-by-sku / by-id', () => {
  it('deletes the game, its keys and their codes (204); then 404', async () => {
    const t = await createTenant(app);
    const { item_id } = (await t.adminCall('POST', '/admin/items/game', gameBody('g'))).json();
    await t.adminCall('POST', '/admin/items/game', gameBody('h'));
    await uploadCodes(app, t, 'sku/g_steam', ['A', 'B']);
    const byId = await t.adminCall('DELETE', `/admin/items/game/id/${item_id}`);
    expect(byId.statusCode).toBe(204);
    expect(byId.body).toBe('');
    expect((await t.adminCall('GET', '/admin/items/game/sku/g')).statusCode).toBe(404);
    expect((await t.adminCall('DELETE', `/admin/items/game/id/${item_id}`)).statusCode).toBe(404);
    expect(await keyCounters(t, 'h', 'h_steam')).toMatchObject({ total: 0 });
    const left = await app.services.database.db
      .selectFrom('items')
      .select('sku')
      .where('project_id', '=', t.projectId)
      .orderBy('sku')
      .execute();
    expect(left.map((r) => r.sku)).toEqual(['h', 'h_free', 'h_steam']);
    expect((await t.adminCall('DELETE', '/admin/items/game/sku/h')).statusCode).toBe(204);
    expect((await t.adminCall('DELETE', '/admin/items/game/sku/h')).json().errorCode).toBe(4001);
    expect((await t.adminCall('DELETE', '/admin/items/game/sku/h_steam')).statusCode).toBe(404);
  });
});
