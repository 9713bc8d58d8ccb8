/**
 * The demo store's game (src/demo/games.json): its body is one the admin API accepts as it is, and seeding it gives
 * a sellable game with a Steam key and a DRM-free key whose codes can be redeemed. Runs in a fresh project (the
 * demo project 59080 belongs to demo.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { DEMO_GAMES, seedDemoGames } from '../../src/demo/games.js';
import { catalogGet, createTenant, testApp } from '../helpers/app.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const GOLD = { sku: 'gold', name: { en: 'Gold' } };

describe('demo games', () => {
  it('holds only bodies the admin API accepts as they are', async () => {
    const t = await createTenant(app);
    expect((await t.adminCall('POST', '/admin/items/virtual_currency', GOLD)).statusCode).toBe(201);
    for (const body of DEMO_GAMES.games) {
      const res = await t.adminCall('POST', '/admin/items/game', body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  it('seeds a game with a Steam key and a DRM-free key, each with codes', async () => {
    const t = await createTenant(app);
    await t.adminCall('POST', '/admin/items/virtual_currency', GOLD);
    expect(await seedDemoGames(app.services.games, t.projectId)).toEqual(['xsollus_basic_edition']);
    const game = (await catalogGet(app, t.projectId, '/items/game/sku/xsollus_basic_edition')).json();
    expect(game).toMatchObject({ type: 'unit', unit_type: 'game', name: 'Xsollus Basic Edition' });
    expect(game.unit_items).toEqual([
      expect.objectContaining({ drm_sku: 'steam_key_1', has_keys: true, can_be_bought: true }),
      expect.objectContaining({ drm_sku: 'drmfree_1', has_keys: true, can_be_bought: true }),
    ]);
    const admin = (await t.adminCall('GET', '/admin/items/game/sku/xsollus_basic_edition')).json();
    expect(admin.unit_items.map((k: { keys: { available: number } }) => k.keys.available)).toEqual([5, 5]);
    const redeem = await app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}/entitlement/redeem`,
      headers: { authorization: `Bearer ${await t.userToken('demo-player')}` },
      payload: { code: DEMO_GAMES.codes.xsollus_basic_edition_drmfree[0] },
    });
    expect(redeem.statusCode, redeem.body).toBe(201);
  });
});
