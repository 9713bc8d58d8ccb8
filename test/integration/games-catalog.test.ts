/**
 * The games catalog (spec group game-keys-catalog; seeds D, E, F): games with their keys, keys by group and sku,
 * the DRM list, pre-orders over time, and which games and keys a buyer sees.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { gameBody, uploadCodes, usd } from './games-helpers.js';

let app: FastifyInstance;
let now = Date.parse('2030-01-01T00:00:00Z');

beforeAll(async () => {
  app = await testApp({}, { clock: () => now });
});
afterAll(async () => app.close());

async function addGroup(t: Tenant, external_id: string, name: string) {
  await app.services.database.db
    .insertInto('item_groups')
    .values({
      project_id: t.projectId,
      external_id,
      name: JSON.stringify({ en: name }),
      parent_group_id: null,
      image_url: null,
    })
    .execute();
}

const get = (t: Tenant, path: string, token?: string) => catalogGet(app, t.projectId, path, token);

describe('get-games-list / get-game-by-sku', () => {
  it('renders a game as `unit` with its listed keys in unit_items (seed F)', async () => {
    const t = await createTenant(app);
    await addGroup(t, 'rpg', 'RPG');
    const res = await t.adminCall(
      'POST',
      '/admin/items/game',
      gameBody('g', {
        groups: ['rpg'],
        attributes: [
          {
            external_id: 'genre',
            name: { en: 'Genre' },
            values: [{ external_id: 'rpg', value: { en: 'RPG' } }],
          },
        ],
        long_description: { en: 'Long' },
        unit_items: [
          { sku: 'g_steam', drm_sku: 'steam_key_1', prices: usd(19.99) },
          { sku: 'g_free', drm_sku: 'drmfree', prices: usd(14.99), is_show_in_store: false },
          {
            sku: 'g_gog',
            drm_sku: 'gog',
            prices: usd(9.5),
            pre_order: { is_enabled: true, release_date: '2031-01-01T00:00:00+00:00', description: 'Soon' },
          },
        ],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    await uploadCodes(app, t, 'sku/g_steam', ['A', 'B']);

    const list = await get(t, '/items/game?locale=de');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.has_more).toBe(false);
    expect(body.items).toHaveLength(1);
    const game = body.items[0];
    expect(game).toMatchObject({
      sku: 'g',
      type: 'unit',
      unit_type: 'game',
      name: 'Spiel g',
      description: 'A game',
      image_url: 'https://cdn.example.com/g.png',
      groups: [{ external_id: 'rpg', name: 'RPG' }],
      attributes: [{ external_id: 'genre', name: 'Genre', values: [{ external_id: 'rpg', value: 'RPG' }] }],
      promotions: [],
    });
    expect(game).not.toHaveProperty('price');
    expect(game).not.toHaveProperty('long_description');
    expect(game.unit_items.map((u: { sku: string }) => u.sku)).toEqual(['g_steam', 'g_gog']);
    expect(game.unit_items[0]).toEqual({
      item_id: expect.any(Number),
      sku: 'g_steam',
      type: 'game_key',
      name: 'Spiel g',
      is_free: false,
      price: { amount: '19.99', amount_without_discount: '19.99', currency: 'USD' },
      virtual_prices: [],
      can_be_bought: true,
      drm_name: 'Steam',
      drm_sku: 'steam_key_1',
      has_keys: true,
      is_pre_order: false,
      release_date: null,
      promotions: [],
      limits: null,
      periods: [],
      vp_rewards: [],
    });
    // a pre-order without codes can be bought
    expect(game.unit_items[1]).toMatchObject({
      drm_sku: 'gog',
      drm_name: 'GOG',
      has_keys: false,
      is_pre_order: true,
      release_date: '2031-01-01T00:00:00+00:00',
      can_be_bought: true,
    });

    const one = await get(t, '/items/game/sku/g?additional_fields[]=long_description&locale=de');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ ...game, long_description: 'Long' });
    for (const sku of ['g_steam', 'nope']) {
      const missing = await get(t, `/items/game/sku/${sku}`);
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({
        errorCode: 4001,
        errorMessage: `[0401-4001]: Item with sku = '${sku}' not found`,
      });
    }
  });

  it('hides disabled games and their keys, pages with has_more, serves a user token too', async () => {
    const t = await createTenant(app);
    for (const sku of ['a', 'b', 'c']) await t.adminCall('POST', '/admin/items/game', gameBody(sku));
    await t.adminCall('POST', '/admin/items/game', gameBody('off', { is_enabled: false }));
    const token = await t.userToken('buyer');
    const first = (await get(t, '/items/game?limit=2', token)).json();
    expect(first.has_more).toBe(true);
    expect(first.items).toHaveLength(2);
    const second = (await get(t, '/items/game?limit=2&offset=2')).json();
    expect(second.has_more).toBe(false);
    const skus = [...first.items, ...second.items].map((g: { sku: string }) => g.sku).sort();
    expect(skus).toEqual(['a', 'b', 'c']);
    expect((await get(t, '/items/game/sku/off')).statusCode).toBe(404);
    expect((await get(t, '/items/game/key/sku/off_steam')).statusCode).toBe(404);
  });
});

describe('get-game-keys-group / get-games-group / get-game-key-by-sku', () => {
  it('lists the keys and the games of a group; 404/4403 for an unknown group', async () => {
    const t = await createTenant(app);
    await addGroup(t, 'steam-keys', 'Steam keys');
    await addGroup(t, 'featured', 'Featured');
    await t.adminCall(
      'POST',
      '/admin/items/game',
      gameBody('g', {
        groups: ['featured'],
        unit_items: [
          { sku: 'g_steam', drm_sku: 'steam', prices: usd(5), groups: ['steam-keys'] },
          { sku: 'g_free', drm_sku: 'drmfree', prices: usd(4) },
        ],
      }),
    );
    await t.adminCall('POST', '/admin/items/game', gameBody('h'));
    const keys = await get(t, '/items/game/key/group/steam-keys');
    expect(keys.statusCode).toBe(200);
    expect(keys.json().items.map((k: { sku: string }) => k.sku)).toEqual(['g_steam']);
    expect(keys.json().items[0]).toMatchObject({
      type: 'game_key',
      name: 'Game g',
      description: 'A game',
      image_url: 'https://cdn.example.com/g.png',
      groups: [{ external_id: 'steam-keys', name: 'Steam keys' }],
      drm_sku: 'steam',
      drm_name: 'Steam',
      has_keys: false,
      is_pre_order: false,
      release_date: null,
    });
    const games = await get(t, '/items/game/group/featured');
    expect(games.json().items.map((k: { sku: string }) => k.sku)).toEqual(['g']);
    for (const path of ['/items/game/group/none', '/items/game/key/group/none']) {
      const res = await get(t, path);
      expect(res.statusCode, path).toBe(404);
      expect(res.json().errorCode, path).toBe(4403);
    }
  });

  it('gets one key (seed E); a game sku or an unknown sku is 404/4001', async () => {
    const t = await createTenant(app);
    await t.adminCall('POST', '/admin/items/game', gameBody('g'));
    const key = await get(t, '/items/game/key/sku/g_free?locale=de');
    expect(key.statusCode).toBe(200);
    expect(key.json()).toMatchObject({
      sku: 'g_free',
      type: 'game_key',
      name: 'Spiel g',
      drm_sku: 'drmfree',
    });
    for (const sku of ['g', 'nope']) {
      const res = await get(t, `/items/game/key/sku/${sku}`);
      expect(res.statusCode).toBe(404);
      expect(res.json().errorCode).toBe(4001);
    }
  });

  it('a pre-order turns into a normal key at its release date', async () => {
    const t = await createTenant(app);
    await t.adminCall(
      'POST',
      '/admin/items/game',
      gameBody('p', {
        unit_items: [
          {
            sku: 'p_free',
            drm_sku: 'drmfree',
            prices: usd(4),
            pre_order: { is_enabled: true, release_date: '2030-06-01T12:00:00+02:00' },
          },
        ],
      }),
    );
    const before = (await get(t, '/items/game/key/sku/p_free')).json();
    expect(before).toMatchObject({ is_pre_order: true, can_be_bought: true, has_keys: false });
    now = Date.parse('2030-06-01T10:00:01Z');
    try {
      const after = (await get(t, '/items/game/key/sku/p_free')).json();
      expect(after).toMatchObject({
        is_pre_order: false,
        can_be_bought: false,
        release_date: '2030-06-01T12:00:00+02:00',
      });
      const listed = (await get(t, '/items/game')).json().items[0].unit_items[0];
      expect(listed.is_pre_order).toBe(false);
    } finally {
      now = Date.parse('2030-01-01T00:00:00Z');
    }
  });
});

describe('get-drm-list', () => {
  it('lists the DRM platforms without authorization', async () => {
    const t = await createTenant(app);
    const res = await get(t, '/items/game/drm');
    expect(res.statusCode).toBe(200);
    const drm = res.json().drm as { sku: string; name: string; drm_id: number; link: string | null }[];
    expect(drm).toHaveLength(14);
    expect(drm.slice(0, 2)).toEqual([
      expect.objectContaining({
        sku: 'steam_key_1',
        name: 'Steam',
        drm_id: 1,
        link: 'https://support.steampowered.com',
      }),
      expect.objectContaining({ sku: 'playstation_key_1', name: 'Playstation', drm_id: 2, link: null }),
    ]);
    expect(drm.find((d) => d.drm_id === 8)).toMatchObject({
      sku: 'epicgames_key_1',
      name: 'Epic Games Store',
    });
    expect(drm.find((d) => d.sku === 'drmfree_1')).toMatchObject({ drm_id: 6 });
    expect(new Set(drm.map((d) => d.drm_id)).size).toBe(14);
    expect((await catalogGet(app, 2_000_000_000, '/items/game/drm')).statusCode).toBe(404);
  });
});

describe('the common catalog', () => {
  it('sells game keys, not games (get-sellable-items)', async () => {
    const t = await createTenant(app);
    await t.adminCall('POST', '/admin/items/game', gameBody('g'));
    const items = (await get(t, '/items')).json().items as { sku: string; type: string }[];
    expect(items.map((i) => [i.sku, i.type]).sort()).toEqual([
      ['g_free', 'game_key'],
      ['g_steam', 'game_key'],
    ]);
    expect((await get(t, '/items/sku/g')).statusCode).toBe(404);
    expect((await get(t, '/items/sku/g_steam')).json()).toMatchObject({
      drm_sku: 'steam_key_1',
      has_keys: false,
    });
  });
});
