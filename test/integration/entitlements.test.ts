/**
 * Entitlements (spec group game-keys-entitlement): redeeming DRM-free codes, the user's games, admin grant and
 * revoke — every error of the spec (4603, 4604, 5101, 5103, 5106, 5107), sandbox apart from real, and a code that
 * is redeemed once even when requests race.
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

async function shop() {
  const t = await createTenant(app);
  await t.adminCall(
    'POST',
    '/admin/items/game',
    gameBody('g', {
      attributes: [
        {
          external_id: 'genre',
          name: { en: 'Genre' },
          values: [{ external_id: 'rpg', value: { en: 'RPG' } }],
        },
      ],
    }),
  );
  await t.adminCall(
    'POST',
    '/admin/items/game',
    gameBody('pre', {
      unit_items: [
        {
          sku: 'pre_free',
          drm_sku: 'drmfree_1',
          prices: usd(1),
          pre_order: { is_enabled: true, release_date: '2099-01-01T00:00:00+00:00' },
        },
      ],
    }),
  );
  await t.adminCall('POST', '/admin/items/game', {
    sku: 'steamonly',
    name: { en: 'Steam only' },
    unit_items: [{ sku: 'steamonly_steam', drm_sku: 'steam', prices: usd(1) }],
  });
  await uploadCodes(app, t, 'sku/g_free', ['FREE-1', 'FREE-2', 'FREE-3', 'RACE-1', 'SHARED']);
  await uploadCodes(app, t, 'sku/g_steam', ['STEAM-1', 'SHARED']);
  await uploadCodes(app, t, 'sku/pre_free', ['PRE-1']);
  return t;
}

async function redeem(t: Tenant, user: string, code: string, sandbox?: boolean) {
  return app.inject({
    method: 'POST',
    url: `/api/v2/project/${t.projectId}/entitlement/redeem`,
    headers: { authorization: `Bearer ${await t.userToken(user)}` },
    payload: sandbox === undefined ? { code } : { code, sandbox },
  });
}

async function games(t: Tenant, user: string, query = '') {
  const res = await app.inject({
    method: 'GET',
    url: `/api/v2/project/${t.projectId}/entitlement${query}`,
    headers: { authorization: `Bearer ${await t.userToken(user)}` },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const expectError = (
  res: { statusCode: number; json(): unknown },
  status: number,
  code: number,
  text: string,
) => {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({
    statusCode: status,
    errorCode: code,
    errorMessage: `[0401-${code}]: ${text}`,
  });
};

describe('redeem-game-pin-code', () => {
  it('gives the user the game (201, no body) and lists it in get-user-games', async () => {
    const t = await shop();
    const res = await redeem(t, 'alice', 'FREE-1');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toBe('');
    expect(await games(t, 'alice')).toEqual({
      has_more: false,
      total_items_count: 1,
      items: [
        {
          name: 'Game g',
          description: 'A game',
          project_id: t.projectId,
          game_sku: 'g',
          drm: 'drmfree',
          image_url: 'https://cdn.example.com/g.png',
          is_pre_order: false,
          attributes: [
            { external_id: 'genre', name: 'Genre', values: [{ external_id: 'rpg', value: 'RPG' }] },
          ],
        },
      ],
    });
    expect(await games(t, 'bob')).toEqual({ has_more: false, total_items_count: 0, items: [] });
    expect(await keyCounters(t, 'g', 'g_free')).toMatchObject({ used: 1, available: 4 });
  });

  it('answers every error of the spec, in order, without consuming the code', async () => {
    const t = await shop();
    expectError(await redeem(t, 'u1', 'NO-SUCH-CODE'), 404, 4603, 'Game code not found.');
    expectError(await redeem(t, 'u1', 'STEAM-1'), 422, 5103, 'Selected drm is not drmfree.');
    expectError(
      await redeem(t, 'u1', 'PRE-1'),
      422,
      5106,
      'Item: pre is in pre-order state and can not be redeemed',
    );
    expect((await redeem(t, 'u1', 'SHARED')).statusCode).toBe(201); // the DRM-free key's copy of the code
    expectError(await redeem(t, 'u2', 'SHARED'), 422, 5107, 'Game code has been already activated');
    expectError(await redeem(t, 'u1', 'SHARED'), 422, 5107, 'Game code has been already activated');
    expectError(await redeem(t, 'u1', 'FREE-2'), 422, 5101, 'User already has entitlement.');
    // FREE-2 was not consumed: another user redeems it
    expect((await redeem(t, 'u2', 'FREE-2')).statusCode).toBe(201);
    expect(await keyCounters(t, 'g', 'g_free')).toMatchObject({ used: 2 });
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ used: 0 });
    expect(await keyCounters(t, 'pre', 'pre_free')).toMatchObject({ used: 0 });
  });

  it('keeps sandbox entitlements apart', async () => {
    const t = await shop();
    expect((await redeem(t, 'sam', 'FREE-1', true)).statusCode).toBe(201);
    expect((await games(t, 'sam')).total_items_count).toBe(0);
    expect((await games(t, 'sam', '?sandbox=1')).items.map((g: { game_sku: string }) => g.game_sku)).toEqual([
      'g',
    ]);
    expect((await redeem(t, 'sam', 'FREE-2')).statusCode).toBe(201); // the real one is another entitlement
    expect((await games(t, 'sam')).total_items_count).toBe(1);
  });

  it('validates the body (422) and requires a user token (401)', async () => {
    const t = await shop();
    const url = `/api/v2/project/${t.projectId}/entitlement/redeem`;
    const token = await t.userToken('v');
    for (const payload of [{}, { code: '' }, { code: 5 }, { code: 'FREE-1', sandbox: 'yes' }]) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${token}` },
        payload,
      });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
    }
    const anon = await app.inject({ method: 'POST', url, payload: { code: 'FREE-1' } });
    expect(anon.statusCode).toBe(401);
    expect(await keyCounters(t, 'g', 'g_free')).toMatchObject({ used: 0 });
  });

  it('redeems one code once when ten users race for it', async () => {
    const t = await shop();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => redeem(t, `racer-${i}`, 'RACE-1')),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, ...Array(9).fill(422)]);
    for (const r of results.filter((x) => x.statusCode === 422)) expect(r.json().errorCode).toBe(5107);
    const owners = await app.services.database.db
      .selectFrom('entitlements')
      .select('user_id')
      .where('project_id', '=', t.projectId)
      .execute();
    expect(owners).toHaveLength(1);
  });
});

describe('get-user-games', () => {
  it('pages with limit/offset, has_more and total_items_count', async () => {
    const t = await createTenant(app);
    for (const sku of ['a', 'b', 'c']) {
      await t.adminCall('POST', '/admin/items/game', gameBody(sku));
      const g = await t.adminCall('POST', '/admin/entitlement/grant', {
        user_external_id: 'pat',
        game: { sku },
        drm: { sku: 'drmfree' },
        mode: 'default',
      });
      expect(g.statusCode, g.body).toBe(200);
    }
    const page = await games(t, 'pat', '?limit=2&offset=1');
    expect(page).toMatchObject({ has_more: false, total_items_count: 3 });
    expect(page.items.map((i: { game_sku: string }) => i.game_sku)).toEqual(['b', 'c']);
    expect((await games(t, 'pat', '?limit=1')).has_more).toBe(true);
    expect((await games(t, 'pat', '?limit=100')).items).toHaveLength(3);
    const bad = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/entitlement?limit=0`,
      headers: { authorization: `Bearer ${await t.userToken('pat')}` },
    });
    expect(bad.statusCode).toBe(422);
  });

  it('gives every game a description and an image_url string, even one without them', async () => {
    const t = await createTenant(app);
    const created = await t.adminCall('POST', '/admin/items/game', {
      sku: 'bare',
      name: { en: 'Bare game' },
      unit_items: [{ sku: 'bare_free', drm_sku: 'drmfree', prices: usd(1) }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const g = await t.adminCall('POST', '/admin/entitlement/grant', {
      user_external_id: 'kim',
      game: { sku: 'bare' },
      drm: { sku: 'drmfree' },
      mode: 'default',
    });
    expect(g.statusCode, g.body).toBe(200);
    const [item] = (await games(t, 'kim')).items;
    // the iOS decoder of this list requires both as strings; the spec types both as strings
    expect(item).toMatchObject({
      name: 'Bare game',
      description: '',
      image_url: 'https://static.xsolla.com/misc/publisher_account/virtual_item_default_image.png',
    });
  });
});

describe('grant-entitlement-admin / revoke-entitlement-admin', () => {
  const grant = (t: Tenant, body: Record<string, unknown>) =>
    t.adminCall('POST', '/admin/entitlement/grant', {
      user_external_id: 'kim',
      game: { sku: 'g' },
      drm: { sku: 'drmfree' },
      mode: 'default',
      ...body,
    });

  it('grants (200, no body) and revokes (204) a DRM-free game', async () => {
    const t = await shop();
    const res = await grant(t, { user_country: 'US' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');
    expect((await games(t, 'kim')).items.map((g: { game_sku: string }) => g.game_sku)).toEqual(['g']);
    expectError(await grant(t, {}), 422, 5101, 'User already has entitlement.');
    expect((await grant(t, { mode: 'sandbox', drm: { sku: 'g_free' } })).statusCode).toBe(200);
    expect((await games(t, 'kim', '?sandbox=1')).total_items_count).toBe(1);

    const revoke = await t.adminCall('POST', '/admin/entitlement/revoke', {
      user_external_id: 'kim',
      game: { sku: 'g' },
      drm: { sku: 'drmfree_1' },
      mode: 'default',
    });
    expect(revoke.statusCode, revoke.body).toBe(204);
    expect((await games(t, 'kim')).total_items_count).toBe(0);
    expect((await games(t, 'kim', '?sandbox=1')).total_items_count).toBe(1);
    const again = await t.adminCall('POST', '/admin/entitlement/revoke', {
      user_external_id: 'kim',
      game: { sku: 'g' },
      drm: { sku: 'drmfree' },
      mode: 'default',
    });
    expect(again.statusCode).toBe(204);
    expect((await grant(t, {})).statusCode).toBe(200); // granted again after the revoke
  });

  it('consumes a given code; answers 4603, 4604, 5103, 5107', async () => {
    const t = await shop();
    expect((await grant(t, { code: 'FREE-3' })).statusCode).toBe(200);
    expect(await keyCounters(t, 'g', 'g_free')).toMatchObject({ used: 1 });
    expectError(
      await grant(t, { user_external_id: 'lee', code: 'FREE-3' }),
      422,
      5107,
      'Game code has been already activated',
    );
    expectError(
      await grant(t, { user_external_id: 'lee', code: 'STEAM-1' }),
      404,
      4603,
      'Game code not found.',
    );
    expectError(await grant(t, { game: { sku: 'nope' } }), 404, 4604, 'Game not found.');
    expectError(await grant(t, { game: { sku: 'steamonly' } }), 404, 4604, 'Game not found.');
    expectError(await grant(t, { drm: { sku: 'steam' } }), 422, 5103, 'Selected drm is not drmfree.');
    expectError(await grant(t, { drm: { sku: 'g_steam' } }), 422, 5103, 'Selected drm is not drmfree.');
    const revokeSteam = await t.adminCall('POST', '/admin/entitlement/revoke', {
      user_external_id: 'kim',
      game: { sku: 'g' },
      drm: { sku: 'steam' },
      mode: 'default',
    });
    expectError(revokeSteam, 422, 5103, 'Selected drm is not drmfree.');
    const revokeUnknown = await t.adminCall('POST', '/admin/entitlement/revoke', {
      user_external_id: 'kim',
      game: { sku: 'nope' },
      drm: { sku: 'drmfree' },
      mode: 'default',
    });
    expectError(revokeUnknown, 404, 4604, 'Game not found.');
    expect(
      (await t.adminCall('POST', '/admin/entitlement/grant', { user_external_id: 'x' })).statusCode,
    ).toBe(422);
    expect((await grant(t, { mode: 'live' })).statusCode).toBe(422);
  });

  it('deleting a game removes the entitlements to it', async () => {
    const t = await shop();
    expect((await grant(t, {})).statusCode).toBe(200);
    expect((await t.adminCall('DELETE', '/admin/items/game/sku/g')).statusCode).toBe(204);
    expect((await games(t, 'kim')).total_items_count).toBe(0);
  });
});
