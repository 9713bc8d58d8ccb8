/**
 * Game-key codes (spec group game-keys-admin): uploads (multipart `file`, one code per line) by sku and id with
 * their sessions, handing codes out (admin-get-codes-*), deleting the unused ones, the pool counters, the catalog's
 * `has_keys`, and one upload of 100,000 codes with repeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { gameBody, keyCounters, lines, multipart, uploadCodes } from './games-helpers.js';

let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

async function tenantWithGame(sku = 'g') {
  const t = await createTenant(app);
  const res = await t.adminCall('POST', '/admin/items/game', gameBody(sku));
  expect(res.statusCode, res.body).toBe(201);
  const view = (await t.adminCall('GET', `/admin/items/game/sku/${sku}`)).json();
  return { t, steamId: view.unit_items[0].item_id as number, freeId: view.unit_items[1].item_id as number };
}

const hasKeys = async (t: Tenant, sku: string) =>
  (await catalogGet(app, t.projectId, `/items/game/key/sku/${sku}`)).json().has_keys;

describe('admin-upload-codes-by-sku / by-id and admin-get-codes-session', () => {
  it('stores the codes of a file, skipping repeats and codes already there, and reports the session', async () => {
    const { t, steamId } = await tenantWithGame();
    const first = await uploadCodes(app, t, 'sku/g_steam', 'AAA-1\r\nAAA-2\n\n  AAA-3  \nAAA-1\n');
    expect(first.statusCode, first.body).toBe(200);
    const session = first.json();
    expect(session).toEqual({
      session_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      count_uploaded: 3,
      count_total: 4,
      count_skipped: 1,
      status: 'finished',
    });
    const again = await uploadCodes(app, t, `id/${steamId}`, ['AAA-3', 'AAA-4', 'x'.repeat(1025)]);
    expect(again.json()).toMatchObject({ count_uploaded: 1, count_total: 3, count_skipped: 2 });

    const read = await t.adminCall('GET', `/admin/items/game/key/upload/session/${session.session_id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(session);
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ total: 4, available: 4, used: 0 });
  });

  it('replays an upload with the same Idempotency-Key and refuses the key with another file', async () => {
    const { t } = await tenantWithGame();
    const send = (file: string) => {
      const { payload, contentType } = multipart(file);
      return app.inject({
        method: 'POST',
        url: `/api/v2/project/${t.projectId}/admin/items/game/key/upload/sku/g_steam`,
        headers: { ...t.admin, 'content-type': contentType, 'idempotency-key': 'upload-1' },
        payload,
      });
    };
    const first = await send('K-1\nK-2\n');
    const retry = await send('K-1\nK-2\n'); // another multipart boundary, the same file
    expect(first.statusCode, first.body).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const other = await send('K-3\n');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ errorCode: 1102 });
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ total: 2 });
  });

  it('answers 404 for unknown keys, a game sku, unknown regions and sessions of other projects', async () => {
    const { t } = await tenantWithGame();
    const other = await createTenant(app);
    for (const ref of ['sku/nope', 'sku/g', 'id/abc', 'id/1']) {
      const res = await uploadCodes(app, t, ref, ['C1']);
      expect(res.statusCode, ref).toBe(404);
      expect(res.json().errorCode, ref).toBe(4001);
    }
    const region = await uploadCodes(app, t, 'sku/g_steam', ['C1'], { region_id: '77777' });
    expect(region.statusCode).toBe(404);
    expect(region.json().errorMessage).toMatch(/Region with id = 77777 not found/);

    const { session_id } = (await uploadCodes(app, t, 'sku/g_steam', ['C1'])).json();
    expect(
      (await other.adminCall('GET', `/admin/items/game/key/upload/session/${session_id}`)).statusCode,
    ).toBe(404);
    const missing = await t.adminCall(
      'GET',
      '/admin/items/game/key/upload/session/ffffffffffffffffffffffffffffffff',
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ statusCode: 404, errorMessage: expect.stringMatching(/session/) });
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ total: 1 });
  });

  it('keeps the region of codes and validates the multipart body', async () => {
    const { t } = await tenantWithGame();
    const { region_id } = await app.services.database.db
      .insertInto('regions')
      .values({ project_id: t.projectId, name: JSON.stringify({ en: 'EU' }), countries: ['DE'] })
      .returning('region_id')
      .executeTakeFirstOrThrow();
    const ok = await uploadCodes(app, t, 'sku/g_steam', ['R1', 'R2'], { region_id: String(region_id) });
    expect(ok.json()).toMatchObject({ count_uploaded: 2 });

    const url = `/api/v2/project/${t.projectId}/admin/items/game/key/upload/sku/g_steam`;
    const json = await app.inject({ method: 'POST', url, headers: t.admin, payload: { file: 'R3' } });
    expect(json.statusCode).toBe(415);
    const noFile = multipart(null, { region_id: String(region_id) });
    const res = await app.inject({
      method: 'POST',
      url,
      headers: { ...t.admin, 'content-type': noFile.contentType },
      payload: noFile.payload,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errorMessage).toMatch(/`file` is required/);
    const badRegion = await uploadCodes(app, t, 'sku/g_steam', ['R3'], { region_id: 'eu' });
    expect(badRegion.statusCode).toBe(422);
    const broken = await app.inject({
      method: 'POST',
      url,
      headers: { ...t.admin, 'content-type': 'multipart/form-data; boundary=zzz' },
      payload: '--zzz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\nR4',
    });
    expect(broken.statusCode).toBeGreaterThanOrEqual(400);
    expect(broken.statusCode).toBeLessThan(500);
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ total: 2 });
  });

  it('takes 100,000 codes with repeats in one request and counts them exactly', async () => {
    const { t } = await tenantWithGame();
    await uploadCodes(app, t, 'sku/g_steam', ['KEY-000000000', 'KEY-000000001']); // already in the pool
    const codes: string[] = [];
    for (let i = 0; i < 99_000; i++) codes.push(`KEY-${String(i).padStart(9, '0')}`);
    for (let i = 0; i < 1_000; i++) codes.push(`KEY-${String(i * 7).padStart(9, '0')}`); // repeats in the file
    const res = await uploadCodes(app, t, 'sku/g_steam', codes);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      count_total: 100_000,
      count_uploaded: 98_998,
      count_skipped: 1_002,
      status: 'finished',
    });
    expect(await keyCounters(t, 'g', 'g_steam')).toMatchObject({ total: 99_000, available: 99_000 });
  });
});

describe('admin-get-codes-by-sku / by-id', () => {
  it('hands codes out once each, in upload order, as text/plain; fewer when the pool runs out', async () => {
    const { t, steamId } = await tenantWithGame();
    await uploadCodes(app, t, 'sku/g_steam', ['K1', 'K2', 'K3', 'K4', 'K5']);
    const first = await t.adminCall(
      'GET',
      '/admin/items/game/key/request/sku/g_steam?user_email=partner@example.com&quantity=2&reason=giveaway',
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/plain/);
    expect(lines(first)).toEqual(['K1', 'K2']);
    const rest = await t.adminCall(
      'GET',
      `/admin/items/game/key/request/id/${steamId}?user_email=b@example.com&quantity=10&reason=press`,
    );
    expect(lines(rest)).toEqual(['K3', 'K4', 'K5']);
    const none = await t.adminCall(
      'GET',
      '/admin/items/game/key/request/sku/g_steam?user_email=c@example.com&quantity=1&reason=x',
    );
    expect(none.statusCode).toBe(200);
    expect(lines(none)).toEqual([]);
    expect(await keyCounters(t, 'g', 'g_steam')).toEqual({ total: 5, available: 0, used: 5, sales: true });
    const row = await app.services.database.db
      .selectFrom('game_codes')
      .select(['claimed_by', 'claim_reason'])
      .where('item_id', '=', steamId)
      .where('code', '=', 'K1')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ claimed_by: 'partner@example.com', claim_reason: 'giveaway' });
  });

  it('validates the query (422) and the key (404)', async () => {
    const { t } = await tenantWithGame();
    for (const q of [
      '',
      '?quantity=1&reason=x',
      '?user_email=a&reason=x',
      '?user_email=a&quantity=0&reason=x',
    ]) {
      const res = await t.adminCall('GET', `/admin/items/game/key/request/sku/g_steam${q}`);
      expect(res.statusCode, q).toBe(422);
    }
    const res = await t.adminCall(
      'GET',
      '/admin/items/game/key/request/sku/g?user_email=a&quantity=1&reason=x',
    );
    expect(res.statusCode).toBe(404);
  });

  it('only gives codes of the requested region or of no region', async () => {
    const { t } = await tenantWithGame();
    const db = app.services.database.db;
    const ids: number[] = [];
    for (const name of ['EU', 'US']) {
      const r = await db
        .insertInto('regions')
        .values({ project_id: t.projectId, name: JSON.stringify({ en: name }), countries: [] })
        .returning('region_id')
        .executeTakeFirstOrThrow();
      ids.push(r.region_id);
    }
    await uploadCodes(app, t, 'sku/g_steam', ['EU-1'], { region_id: String(ids[0]) });
    await uploadCodes(app, t, 'sku/g_steam', ['US-1'], { region_id: String(ids[1]) });
    await uploadCodes(app, t, 'sku/g_steam', ['ANY-1']);
    const res = await t.adminCall(
      'GET',
      `/admin/items/game/key/request/sku/g_steam?user_email=a&quantity=5&reason=x&region_id=${ids[1]}`,
    );
    expect(lines(res).sort()).toEqual(['ANY-1', 'US-1']);
  });
});

describe('admin-delete-codes-by-sku / by-id', () => {
  it('deletes the unused codes and returns them; used codes stay', async () => {
    const { t, freeId } = await tenantWithGame();
    await uploadCodes(app, t, 'sku/g_free', ['D1', 'D2', 'D3']);
    await t.adminCall('GET', '/admin/items/game/key/request/sku/g_free?user_email=a&quantity=1&reason=x');
    const res = await t.adminCall(
      'DELETE',
      `/admin/items/game/key/delete/id/${freeId}?user_email=a&reason=cleanup`,
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(lines(res).sort()).toEqual(['D2', 'D3']);
    expect(await keyCounters(t, 'g', 'g_free')).toMatchObject({ total: 1, available: 0, used: 1 });
    const again = await t.adminCall(
      'DELETE',
      '/admin/items/game/key/delete/sku/g_free?user_email=a&reason=x',
    );
    expect(lines(again)).toEqual([]);
    expect((await t.adminCall('DELETE', '/admin/items/game/key/delete/sku/g_free')).statusCode).toBe(422);
    expect(
      (await t.adminCall('DELETE', '/admin/items/game/key/delete/sku/nope?user_email=a&reason=x')).statusCode,
    ).toBe(404);
  });
});

describe('has_keys follows the pool', () => {
  it('turns true on upload, false when the last code is handed out or deleted', async () => {
    const { t } = await tenantWithGame();
    expect(await hasKeys(t, 'g_steam')).toBe(false);
    expect((await catalogGet(app, t.projectId, '/items/game/key/sku/g_steam')).json().can_be_bought).toBe(
      false,
    );
    await uploadCodes(app, t, 'sku/g_steam', ['H1', 'H2']);
    expect(await hasKeys(t, 'g_steam')).toBe(true);
    expect((await catalogGet(app, t.projectId, '/items/game/key/sku/g_steam')).json().can_be_bought).toBe(
      true,
    );
    await t.adminCall('GET', '/admin/items/game/key/request/sku/g_steam?user_email=a&quantity=1&reason=x');
    expect(await hasKeys(t, 'g_steam')).toBe(true);
    await t.adminCall('GET', '/admin/items/game/key/request/sku/g_steam?user_email=a&quantity=1&reason=x');
    expect(await hasKeys(t, 'g_steam')).toBe(false);
    await uploadCodes(app, t, 'sku/g_steam', ['H3']);
    expect(await hasKeys(t, 'g_steam')).toBe(true);
    const game = (await catalogGet(app, t.projectId, '/items/game/sku/g')).json();
    expect(game.unit_items.map((u: { has_keys: boolean }) => u.has_keys)).toEqual([true, false]);
    await t.adminCall('DELETE', '/admin/items/game/key/delete/sku/g_steam?user_email=a&reason=x');
    expect(await hasKeys(t, 'g_steam')).toBe(false);
  });
});
