/**
 * Contract of games, game keys and entitlements (endpoints.tsv groups game-keys-admin, game-keys-catalog,
 * game-keys-entitlement; 25 operations): every response of every operation is validated against the official
 * spec for its status. Responses the spec documents without a JSON body (201/200 with no content, the
 * `text/plain` code lists) are checked for exactly that.
 *
 * The spec documents 403 "Authorization header not sent" for the entitlement calls; the shared auth layer answers
 * 401 instead (pinned for every operation by test/security/auth-matrix.test.ts; ADR 0006), so those 403s are
 * listed as unreachable below rather than triggered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { basic, catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { gameBody, uploadCodes, usd } from '../integration/games-helpers.js';
import { ContractRecorder, docSlugsOf, type ContractGroup } from './contract.js';
import { SKIP_NOTE, documentedStatuses, findOperation, inlineRefs, loadSpec, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS: ContractGroup[] = ['game-keys-admin', 'game-keys-catalog', 'game-keys-entitlement'];

/** Documented statuses this server never produces, with the reason. */
const UNREACHABLE: Record<string, string> = {
  'grant-entitlement-admin 403': 'missing credentials are 401/1020 (shared auth layer, ADR 0006)',
  'revoke-entitlement-admin 403': 'missing credentials are 401/1020 (shared auth layer, ADR 0006)',
  'redeem-game-pin-code 403': 'a missing user token is 401/1501 (shared auth layer, ADR 0006)',
};

const FIELDS = ['media_list', 'order', 'long_description', 'custom_attributes']
  .map((f) => `additional_fields[]=${f}`)
  .join('&');

describe.skipIf(!specAvailable)('contract: games, game keys, entitlements', () => {
  let app: FastifyInstance;
  let t: Tenant;
  let gameId: number;
  let steamKeyId: number;
  const rec = new ContractRecorder();

  const admin = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
    t.adminCall(method, path, body);
  const unauthorized = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) =>
    app.inject({
      method,
      url: `/api/v2/project/${t.projectId}${path}`,
      headers: { authorization: basic(t.projectId, 'wrong-key') },
      ...(body === undefined ? {} : { payload: body as object }),
    });
  const get = (path: string, token?: string) => catalogGet(app, t.projectId, path, token);
  const asUser = async (method: 'GET' | 'POST', path: string, user: string, body?: unknown) =>
    app.inject({
      method,
      url: `/api/v2/project/${t.projectId}${path}`,
      headers: { authorization: `Bearer ${await t.userToken(user)}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });

  /**
   * A response the spec documents without a JSON body: no content at all, or `text/plain` codes. Asserts the
   * status is documented with exactly that kind of body and records the pair as validated.
   */
  function checkRaw(slug: string, res: LightMyRequestResponse) {
    const label = `${slug} → ${res.statusCode}`;
    const raw = (findOperation(slug).operation.responses ?? {})[String(res.statusCode)];
    expect(raw, `${label}: not documented`).toBeDefined();
    const documented = inlineRefs(loadSpec(), raw).value as {
      content?: Record<string, { schema?: { type?: string } }>;
    };
    const content = documented.content ?? {};
    if (Object.keys(content).length === 0) {
      expect(res.body, `${label}: documented without content`).toBe('');
    } else {
      expect(Object.keys(content), label).toEqual(['text/plain']);
      expect(content['text/plain'].schema?.type, label).toBe('string');
      expect(String(res.headers['content-type']), label).toMatch(/^text\/plain/);
    }
    if (res.statusCode < 300) rec.covered.add(slug);
    rec.pairs.add(`${slug} ${res.statusCode}`);
  }

  beforeAll(async () => {
    app = await testApp();
    t = await createTenant(app);
    const { db } = app.services.database;
    for (const [external_id, name] of [
      ['all', 'All games'],
      ['steam', 'Steam keys'],
    ]) {
      await db
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
    const gold = await admin('POST', '/admin/items/virtual_currency', {
      sku: 'gold',
      name: { en: 'Gold' },
      description: { en: 'Main currency' },
      image_url: 'https://cdn.example.com/gold.png',
    });
    expect(gold.statusCode, gold.body).toBe(201);
    const created = await admin(
      'POST',
      '/admin/items/game',
      gameBody('game_1', {
        long_description: { en: 'A long story' },
        media_list: [{ type: 'image', url: 'https://cdn.example.com/shot.png' }],
        groups: [{ external_id: 'all' }],
        attributes: [
          {
            external_id: 'genre',
            name: { en: 'Genre' },
            values: [{ external_id: 'horror', value: { en: 'Horror' } }],
          },
        ],
        custom_attributes: { engine: 'custom' },
        unit_items: [
          {
            sku: 'game_1_steam',
            drm_sku: 'steam_key_1',
            groups: ['all', 'steam'],
            prices: [
              { amount: 19.99, currency: 'USD', is_default: true, is_enabled: true },
              { amount: 17.99, currency: 'EUR', country_iso: 'DE', is_default: false, is_enabled: true },
            ],
            vc_prices: [{ sku: 'gold', amount: 100, is_default: true, is_enabled: true }],
            limits: {
              per_user: { total: 2 },
              per_item: 1000,
              recurrent_schedule: { per_user: { interval_type: 'daily', time: '02:00:00+03:00' } },
            },
            periods: [{ date_from: '2020-01-01T00:00:00+03:00', date_until: null }],
            regions: [],
          },
          {
            sku: 'game_1_free',
            drm_sku: 'drmfree',
            groups: ['all'],
            prices: usd(14.99),
            pre_order: {
              is_enabled: true,
              release_date: '2099-01-01T00:00:00+00:00',
              description: 'Pre-order bonus',
            },
          },
        ],
      }),
    );
    expect(created.statusCode, created.body).toBe(201);
    rec.check('admin-create-game', created, { inHook: true });
    gameId = created.json().item_id;
    steamKeyId = (await admin('GET', '/admin/items/game/sku/game_1')).json().unit_items[0].item_id;
    expect((await uploadCodes(app, t, 'sku/game_1_steam', ['S-1', 'S-2', 'S-3'])).statusCode).toBe(200);
    const second = await admin(
      'POST',
      '/admin/items/game',
      gameBody('game_2', { unit_items: [{ sku: 'game_2_free', drm_sku: 'drmfree_1', prices: usd(5) }] }),
    );
    rec.check('admin-create-game', second, { inHook: true });
    expect((await uploadCodes(app, t, 'sku/game_2_free', ['FREE-1', 'FREE-2', 'FREE-3'])).statusCode).toBe(
      200,
    );
  });
  afterAll(async () => app?.close());

  describe('admin: games', () => {
    it('admin-get-game-list (200, paged), wrong key (401)', async () => {
      for (const q of ['', '?limit=1&offset=1', '?promo_code=WINTER2021']) {
        const res = await admin('GET', `/admin/items/game${q}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('admin-get-game-list', res);
      }
      rec.check('admin-get-game-list', await unauthorized('GET', '/admin/items/game'));
    });

    it('admin-get-game-by-sku / by-id (200, 404, 401)', async () => {
      rec.check('admin-get-game-by-sku', await admin('GET', '/admin/items/game/sku/game_1'));
      rec.check('admin-get-game-by-id', await admin('GET', `/admin/items/game/id/${gameId}`));
      const missing = await admin('GET', '/admin/items/game/sku/nope');
      expect(missing.statusCode).toBe(404);
      rec.check('admin-get-game-by-sku', missing);
      rec.check('admin-get-game-by-id', await admin('GET', '/admin/items/game/id/1'));
      rec.check('admin-get-game-by-sku', await unauthorized('GET', '/admin/items/game/sku/game_1'));
      rec.check('admin-get-game-by-id', await unauthorized('GET', `/admin/items/game/id/${gameId}`));
    });

    it('admin-create-game: invalid body and taken sku (422), wrong key (401)', async () => {
      const noDrm = await admin('POST', '/admin/items/game', {
        sku: 'x',
        name: { en: 'X' },
        unit_items: [{ sku: 'x_1', prices: usd(1) }],
      });
      expect(noDrm.statusCode).toBe(422);
      expect(rec.check('admin-create-game', noDrm)).toMatchObject({
        errorCode: 1102,
        errorMessage: '[0401-1102]: Unprocessable Entity. The property `drm_sku` is required',
      });
      const taken = await admin('POST', '/admin/items/game', gameBody('game_1'));
      expect((rec.check('admin-create-game', taken) as { errorCode: number }).errorCode).toBe(4002);
      rec.check('admin-create-game', await unauthorized('POST', '/admin/items/game', gameBody('y')));
    });

    it('admin-update-game-by-sku / by-id (201 without body, 404, 422, 401)', async () => {
      const body = gameBody('game_2', {
        name: { en: 'Game two' },
        unit_items: [{ sku: 'game_2_free', drm_sku: 'drmfree_1', prices: usd(6) }],
      });
      const bySku = await admin('PUT', '/admin/items/game/sku/game_2', body);
      expect(bySku.statusCode, bySku.body).toBe(201);
      checkRaw('admin-update-game-by-sku', bySku);
      const { item_id } = (await admin('GET', '/admin/items/game/sku/game_2')).json();
      const byId = await admin('PUT', `/admin/items/game/id/${item_id}`, body);
      expect(byId.statusCode, byId.body).toBe(201);
      checkRaw('admin-update-game-by-id', byId);
      for (const [slug, path] of [
        ['admin-update-game-by-sku', '/admin/items/game/sku/game_2'],
        ['admin-update-game-by-id', `/admin/items/game/id/${item_id}`],
      ] as const) {
        const bad = await admin('PUT', path, { ...body, unit_items: [{ sku: 'z', prices: usd(1) }] });
        expect(bad.statusCode).toBe(422);
        rec.check(slug, bad);
        rec.check(slug, await unauthorized('PUT', path, body));
      }
      rec.check('admin-update-game-by-sku', await admin('PUT', '/admin/items/game/sku/nope', body));
      rec.check('admin-update-game-by-id', await admin('PUT', '/admin/items/game/id/1', body));
    });
  });

  describe('admin: codes', () => {
    it('admin-upload-codes-by-sku / by-id (200, 404, 401) and admin-get-codes-session (200, 404, 401)', async () => {
      const bySku = await uploadCodes(app, t, 'sku/game_1_steam', ['U-1', 'U-2', 'U-1']);
      expect(bySku.statusCode, bySku.body).toBe(200);
      const session = rec.check('admin-upload-codes-by-sku', bySku) as { session_id: string };
      rec.check('admin-upload-codes-by-id', await uploadCodes(app, t, `id/${steamKeyId}`, ['U-3']));
      rec.check('admin-upload-codes-by-sku', await uploadCodes(app, t, 'sku/nope', ['U-4']));
      rec.check('admin-upload-codes-by-id', await uploadCodes(app, t, 'id/1', ['U-4']));
      const wrong = { ...t, admin: { authorization: basic(t.projectId, 'wrong-key') } };
      rec.check('admin-upload-codes-by-sku', await uploadCodes(app, wrong, 'sku/game_1_steam', ['U-4']));
      rec.check('admin-upload-codes-by-id', await uploadCodes(app, wrong, `id/${steamKeyId}`, ['U-4']));

      const path = `/admin/items/game/key/upload/session/${session.session_id}`;
      const read = await admin('GET', path);
      expect(read.statusCode).toBe(200);
      rec.check('admin-get-codes-session', read);
      const missing = await admin(
        'GET',
        '/admin/items/game/key/upload/session/0123456789abcdef0123456789abcdef',
      );
      expect(missing.statusCode).toBe(404);
      rec.check('admin-get-codes-session', missing);
      rec.check('admin-get-codes-session', await unauthorized('GET', path));
    });

    it('admin-get-codes-by-sku / by-id (200 text/plain, 404, 401)', async () => {
      const q = 'user_email=partner@example.com&quantity=2&reason=giveaway';
      const bySku = await admin('GET', `/admin/items/game/key/request/sku/game_1_steam?${q}`);
      expect(bySku.statusCode).toBe(200);
      expect(bySku.body.split('\n')).toHaveLength(2);
      checkRaw('admin-get-codes-by-sku', bySku);
      checkRaw(
        'admin-get-codes-by-id',
        await admin('GET', `/admin/items/game/key/request/id/${steamKeyId}?${q}`),
      );
      rec.check('admin-get-codes-by-sku', await admin('GET', `/admin/items/game/key/request/sku/nope?${q}`));
      rec.check('admin-get-codes-by-id', await admin('GET', `/admin/items/game/key/request/id/1?${q}`));
      rec.check(
        'admin-get-codes-by-sku',
        await unauthorized('GET', `/admin/items/game/key/request/sku/game_1_steam?${q}`),
      );
      rec.check(
        'admin-get-codes-by-id',
        await unauthorized('GET', `/admin/items/game/key/request/id/${steamKeyId}?${q}`),
      );
    });
  });

  describe('catalog', () => {
    it('get-games-list and get-games-group (200), anonymous and with a user, fields, locale, paging', async () => {
      const token = await t.userToken('reader');
      for (const [path, tok] of [
        ['/items/game', undefined],
        [`/items/game?${FIELDS}&locale=de&country=DE`, token],
        ['/items/game?limit=1&offset=1', undefined],
      ] as const) {
        const res = await get(path, tok);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-games-list', res);
      }
      const group = await get(`/items/game/group/all?${FIELDS}`);
      expect(group.statusCode).toBe(200);
      expect(rec.check('get-games-group', group)).toMatchObject({ items: [{ sku: 'game_1' }] });
      const unknown = await get('/items/game/group/none');
      expect(unknown.statusCode).toBe(404);
      rec.check('get-games-group', unknown, { undocumented: true });
    });

    it('get-game-keys-group (200), unknown group (404, undocumented)', async () => {
      for (const path of ['/items/game/key/group/all', `/items/game/key/group/steam?${FIELDS}&country=DE`]) {
        const res = await get(path);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-game-keys-group', res);
      }
      rec.check('get-game-keys-group', await get('/items/game/key/group/none'), { undocumented: true });
    });

    it('get-game-key-by-sku and get-game-by-sku (200, 404)', async () => {
      for (const sku of ['game_1_steam', 'game_1_free', 'game_2_free']) {
        const res = await get(`/items/game/key/sku/${sku}?${FIELDS}`);
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-game-key-by-sku', res);
      }
      rec.check('get-game-key-by-sku', await get('/items/game/key/sku/game_1'));
      for (const sku of ['game_1', 'game_2']) {
        const res = await get(`/items/game/sku/${sku}?${FIELDS}&locale=de`, await t.userToken('reader'));
        expect(res.statusCode, res.body).toBe(200);
        rec.check('get-game-by-sku', res);
      }
      rec.check('get-game-by-sku', await get('/items/game/sku/game_1_steam'));
    });

    it('get-drm-list (200)', async () => {
      const res = await get('/items/game/drm');
      expect(res.statusCode).toBe(200);
      rec.check('get-drm-list', res);
    });
  });

  describe('entitlements', () => {
    it('redeem-game-pin-code (201 without body, 404, 422)', async () => {
      const ok = await asUser('POST', '/entitlement/redeem', 'player', { code: 'FREE-1' });
      expect(ok.statusCode, ok.body).toBe(201);
      checkRaw('redeem-game-pin-code', ok);
      const again = await asUser('POST', '/entitlement/redeem', 'other', { code: 'FREE-1' });
      expect((rec.check('redeem-game-pin-code', again) as { errorCode: number }).errorCode).toBe(5107);
      const missing = await asUser('POST', '/entitlement/redeem', 'player', { code: 'NOPE' });
      expect((rec.check('redeem-game-pin-code', missing) as { errorCode: number }).errorCode).toBe(4603);
      const anonymous = await app.inject({
        method: 'POST',
        url: `/api/v2/project/${t.projectId}/entitlement/redeem`,
        payload: { code: 'FREE-2' },
      });
      expect(anonymous.statusCode).toBe(401);
      rec.check('redeem-game-pin-code', anonymous, { undocumented: true });
    });

    it('get-user-games (200), no token (401)', async () => {
      const res = await asUser('GET', '/entitlement?limit=10&offset=0&sandbox=0', 'player');
      expect(res.statusCode).toBe(200);
      expect(rec.check('get-user-games', res)).toMatchObject({ total_items_count: 1 });
      rec.check('get-user-games', await asUser('GET', '/entitlement?sandbox=1', 'player'));
      const anonymous = await app.inject({
        method: 'GET',
        url: `/api/v2/project/${t.projectId}/entitlement`,
      });
      expect(anonymous.statusCode).toBe(401);
      rec.check('get-user-games', anonymous);
    });

    it('grant-entitlement-admin (200 without body, 404, 422) and revoke-entitlement-admin (204, 422)', async () => {
      const body = {
        user_external_id: 'vip',
        game: { sku: 'game_2' },
        drm: { sku: 'drmfree' },
        mode: 'default',
      };
      const granted = await admin('POST', '/admin/entitlement/grant', {
        ...body,
        code: 'FREE-2',
        user_country: 'US',
      });
      expect(granted.statusCode, granted.body).toBe(200);
      checkRaw('grant-entitlement-admin', granted);
      rec.check('grant-entitlement-admin', await admin('POST', '/admin/entitlement/grant', body));
      rec.check(
        'grant-entitlement-admin',
        await admin('POST', '/admin/entitlement/grant', { ...body, game: { sku: 'nope' } }),
      );
      rec.check(
        'grant-entitlement-admin',
        await admin('POST', '/admin/entitlement/grant', { ...body, drm: { sku: 'steam' } }),
      );
      const wrong = await unauthorized('POST', '/admin/entitlement/grant', body);
      expect(wrong.statusCode).toBe(401);
      rec.check('grant-entitlement-admin', wrong, { undocumented: true });

      const revoked = await admin('POST', '/admin/entitlement/revoke', body);
      expect(revoked.statusCode).toBe(204);
      rec.check('revoke-entitlement-admin', revoked);
      rec.check(
        'revoke-entitlement-admin',
        await admin('POST', '/admin/entitlement/revoke', { ...body, drm: { sku: 'steam' } }),
      );
      rec.check('revoke-entitlement-admin', await unauthorized('POST', '/admin/entitlement/revoke', body), {
        undocumented: true,
      });
    });
  });

  describe('admin: deletes (last)', () => {
    it('admin-delete-codes-by-sku / by-id (200 text/plain, 404, 401)', async () => {
      const q = 'user_email=admin@example.com&reason=cleanup';
      checkRaw(
        'admin-delete-codes-by-sku',
        await admin('DELETE', `/admin/items/game/key/delete/sku/game_1_steam?${q}`),
      );
      checkRaw(
        'admin-delete-codes-by-id',
        await admin('DELETE', `/admin/items/game/key/delete/id/${steamKeyId}?${q}`),
      );
      rec.check(
        'admin-delete-codes-by-sku',
        await admin('DELETE', `/admin/items/game/key/delete/sku/nope?${q}`),
      );
      rec.check('admin-delete-codes-by-id', await admin('DELETE', `/admin/items/game/key/delete/id/1?${q}`));
      rec.check(
        'admin-delete-codes-by-sku',
        await unauthorized('DELETE', `/admin/items/game/key/delete/sku/game_1_steam?${q}`),
      );
      rec.check(
        'admin-delete-codes-by-id',
        await unauthorized('DELETE', `/admin/items/game/key/delete/id/${steamKeyId}?${q}`),
      );
    });

    it('admin-delete-game-by-sku / by-id (204, 401; 404 undocumented)', async () => {
      rec.check('admin-delete-game-by-sku', await unauthorized('DELETE', '/admin/items/game/sku/game_2'));
      rec.check('admin-delete-game-by-id', await unauthorized('DELETE', `/admin/items/game/id/${gameId}`));
      const bySku = await admin('DELETE', '/admin/items/game/sku/game_2');
      expect(bySku.statusCode).toBe(204);
      rec.check('admin-delete-game-by-sku', bySku);
      const byId = await admin('DELETE', `/admin/items/game/id/${gameId}`);
      expect(byId.statusCode).toBe(204);
      rec.check('admin-delete-game-by-id', byId);
      rec.check('admin-delete-game-by-sku', await admin('DELETE', '/admin/items/game/sku/game_2'), {
        undocumented: true,
      });
      rec.check('admin-delete-game-by-id', await admin('DELETE', `/admin/items/game/id/${gameId}`), {
        undocumented: true,
      });
    });
  });

  it('validated every operation of its groups against the spec', () => {
    const expected = docSlugsOf(GROUPS);
    expect(expected).toHaveLength(25);
    expect(
      expected.filter((s) => !rec.covered.has(s)),
      'success responses never validated',
    ).toEqual([]);
    const untested = expected.flatMap((slug) =>
      documentedStatuses(slug)
        .map((status) => `${slug} ${status}`)
        .filter((pair) => !rec.pairs.has(pair) && !(pair in UNREACHABLE)),
    );
    expect(untested, 'documented statuses never triggered and validated').toEqual([]);
    for (const pair of Object.keys(UNREACHABLE)) {
      const [slug, status] = pair.split(' ');
      expect(documentedStatuses(slug), `${pair} is no longer documented: drop it`).toContain(Number(status));
    }
  });
});
