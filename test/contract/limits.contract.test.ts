/**
 * Contract of purchase limits and pre-orders (endpoints.tsv groups user-limits-admin and common-pre-orders,
 * 12 operations): every response is validated against the official spec's schema for its status. The two
 * reset operations answer 200 without a body, as the spec documents (no content): checked by hand.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';
import { ContractRecorder } from './contract.js';
import { responseContract, SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

describe.skipIf(!specAvailable)('contract: user limits and pre-orders', () => {
  let app: FastifyInstance;
  let t: Tenant;
  const rec = new ContractRecorder();
  type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
  const admin = (method: Method, path: string, payload?: unknown) => t.adminCall(method, path, payload);
  const wrongKey = (method: Method, path: string, payload?: unknown) =>
    app.inject({
      method,
      url: `/api/v2/project/${t.projectId}${path}`,
      headers: { authorization: basic(t.projectId, 'not-the-key') },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  /** A 200 the spec documents without content: an empty body. */
  const emptyOk = (slug: string, res: { statusCode: number; body: string }) => {
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');
    expect(responseContract(slug, 200).documented).toBe(true);
    rec.covered.add(slug);
    rec.pairs.add(`${slug} 200`);
  };

  beforeAll(async () => {
    app = await testApp();
    t = await createTenant(app);
    for (const body of [
      {
        sku: 'badge',
        name: { en: 'Badge' },
        prices: [{ amount: 1, currency: 'USD' }],
        limits: { per_user: 3 },
      },
      { sku: 'plain', name: { en: 'Plain' }, prices: [{ amount: 1, currency: 'USD' }] },
    ]) {
      const res = await admin('POST', '/admin/items/virtual_items', body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => app?.close());

  const user = { user_external_id: 'player-1' };
  const L = '/admin/user/limit/item/sku';

  it('get-user-item-limit: 200, 401, 404, 422', async () => {
    rec.check('get-user-item-limit', await admin('GET', `${L}/badge?user_external_id=player-1`));
    rec.check('get-user-item-limit', await wrongKey('GET', `${L}/badge?user_external_id=player-1`));
    rec.check('get-user-item-limit', await admin('GET', `${L}/nope?user_external_id=player-1`));
    const noLimit = await admin('GET', `${L}/plain?user_external_id=player-1`);
    expect(noLimit.json().errorCode).toBe(4508);
    rec.check('get-user-item-limit', noLimit);
  });

  it('add-, set-, remove-user-item-limit: 200, 401, 404, 422', async () => {
    const set = await admin('PUT', `${L}/badge`, { user, available: 1 });
    expect(set.json()).toEqual({ per_user: { total: 3, available: 1 } });
    rec.check('set-user-item-limit', set);
    const add = await admin('POST', `${L}/badge`, { user, available: 2 });
    expect(add.json()).toEqual({ per_user: { total: 3, available: 3 } });
    rec.check('add-user-item-limit', add);
    const remove = await admin('DELETE', `${L}/badge`, { user, available: 1 });
    expect(remove.json()).toEqual({ per_user: { total: 3, available: 2 } });
    rec.check('remove-user-item-limit', remove);
    for (const [slug, method] of [
      ['add-user-item-limit', 'POST'],
      ['set-user-item-limit', 'PUT'],
      ['remove-user-item-limit', 'DELETE'],
    ] as const) {
      rec.check(slug, await wrongKey(method, `${L}/badge`, { user, available: 1 }));
      rec.check(slug, await admin(method, `${L}/nope`, { user, available: 1 }));
      rec.check(slug, await admin(method, `${L}/plain`, { user, available: 1 }));
      rec.check(slug, await admin(method, `${L}/badge`, { user: { user_external_id: '' }, available: 1 }));
    }
    const outOfRange = await admin('POST', `${L}/badge`, { user, available: 5 });
    expect(outOfRange.json().errorCode).toBe(4510);
    rec.check('add-user-item-limit', outOfRange);
  });

  it('reset-user-item-limit and reset-all-user-items-limit: 200 (no content), 401, 404, 422', async () => {
    emptyOk('reset-user-item-limit', await admin('DELETE', `${L}/badge/all`, { user }));
    emptyOk('reset-user-item-limit', await admin('DELETE', `${L}/badge/all`, { user: null }));
    rec.check('reset-user-item-limit', await wrongKey('DELETE', `${L}/badge/all`, { user }));
    rec.check('reset-user-item-limit', await admin('DELETE', `${L}/nope/all`, { user }));
    rec.check('reset-user-item-limit', await admin('DELETE', `${L}/plain/all`, { user }));
    await admin('PUT', `${L}/badge`, { user, available: 2 }); // the project now knows player-1
    emptyOk('reset-all-user-items-limit', await admin('DELETE', '/admin/user/limit/item/all', { user }));
    const stranger = { user: { user_external_id: 'never-seen' } };
    const unknown = await admin('DELETE', '/admin/user/limit/item/all', stranger);
    expect(unknown.json().errorCode).toBe(5008);
    rec.check('reset-all-user-items-limit', unknown);
    rec.check('reset-all-user-items-limit', await wrongKey('DELETE', '/admin/user/limit/item/all', { user }));
    rec.check('reset-all-user-items-limit', await admin('DELETE', '/admin/user/limit/item/all', {}));
  });

  const P = '/admin/items/pre_order/limit/item/sku';

  it('pre-order limits: every operation, 2xx, 401, 404', async () => {
    const calls: [string, Method, string, unknown, number][] = [
      ['add-pre-order-limit', 'POST', '', { quantity: 10 }, 201],
      ['set-pre-order-limit', 'PUT', '', { quantity: 8 }, 204],
      ['remove-pre-order-limit', 'DELETE', '', { quantity: 3 }, 204],
      ['toggle-pre-order-limit', 'PUT', '/toggle', { is_pre_order_limit_enabled: false }, 204],
      ['get-pre-order-limit', 'GET', '', undefined, 200],
      ['remove-all-pre-order-limit', 'DELETE', '/all', undefined, 204],
    ];
    for (const [slug, method, suffix, body, status] of calls) {
      const res = await admin(method, `${P}/plain${suffix}`, body);
      expect(res.statusCode, `${slug}: ${res.body}`).toBe(status);
      if (status === 201) {
        // the spec documents 201 without content
        expect(res.body).toBe('');
        expect(responseContract(slug, 201).documented).toBe(true);
        rec.covered.add(slug);
        rec.pairs.add(`${slug} 201`);
      } else rec.check(slug, res);
      rec.check(slug, await wrongKey(method, `${P}/plain${suffix}`, body));
      rec.check(slug, await admin(method, `${P}/nope${suffix}`, body));
    }
    const got = await admin('GET', `${P}/plain`);
    expect(got.json()).toMatchObject({ sku: 'plain', is_pre_order_limit_enabled: false, available: 0 });
  });

  it('validated every operation of its groups against the spec', () => {
    rec.expectCovered(['user-limits-admin', 'common-pre-orders']);
  });
});
