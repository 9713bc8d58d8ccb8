/**
 * Contract of the player inventory (docs/decisions/0010-player-inventory.md). Its six operations belong to
 * Xsolla's Player Inventory API, not to the Catalog API spec: this file checks that none of them is in the
 * official spec (so `extension: true` is right and no spec validation is skipped by mistake), that every error
 * they answer carries the Xsolla envelope, that the sub-shapes they share with the catalog (`groups`,
 * `attributes`) validate against the spec's catalog item schema, and that the balance error the purchase flow
 * raises (5006) is the one the spec documents for create-order-with-item-for-virtual-currency.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { operations } from '../../src/http/operations.js';
import { AppError } from '../../src/errors/app-error.js';
import { ERROR_CODES } from '../../src/errors/codes.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { envelopeProblems } from './contract.js';
import { compileValidator, loadSpec, responseContract, SKIP_NOTE, specAvailable, withDefs } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const INVENTORY_OPERATIONS = [
  'get-user-inventory',
  'get-user-virtual-balance',
  'get-user-time-limited-items',
  'consume-item',
  'add-item-to-inventory',
  'revoke-item',
];

describe.skipIf(!specAvailable)('contract: player inventory', () => {
  let app: FastifyInstance;
  let t: Tenant;
  const user = 'contract-player';

  beforeAll(async () => {
    app = await testApp();
    app.get('/test/not-enough-virtual-currency', async () => {
      throw new AppError('NOT_ENOUGH_VIRTUAL_CURRENCY');
    });
    t = await createTenant(app);
    await t.adminCall('POST', '/admin/attribute', { external_id: 'rarity', name: { en: 'Rarity' } });
    await t.adminCall('POST', '/admin/items/groups', { external_id: 'potions', name: { en: 'Potions' } });
    for (const [path, body] of [
      ['/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } }],
      [
        '/admin/items/virtual_items',
        {
          sku: 'potion',
          name: { en: 'Potion' },
          groups: ['potions'],
          attributes: [{ external_id: 'rarity', values: [{ external_id: 'rare', value: { en: 'Rare' } }] }],
          inventory_options: { consumable: { usages_count: 1 } },
        },
      ],
    ] as const) {
      const res = await t.adminCall('POST', path, body);
      expect(res.statusCode, res.body).toBe(201);
    }
  });
  afterAll(async () => app?.close());

  const asUser = async (method: 'GET' | 'POST', path: string, payload?: unknown, token?: string) =>
    app.inject({
      method,
      url: `/api/v2/project/${t.projectId}${path}`,
      headers: { authorization: `Bearer ${token ?? (await t.userToken(user))}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });

  it('serves the six operations as extensions: none of them is in the official spec', () => {
    const ours = operations.filter((o) => INVENTORY_OPERATIONS.includes(o.docSlug));
    expect(ours.map((o) => o.docSlug).sort()).toEqual([...INVENTORY_OPERATIONS].sort());
    expect(ours.every((o) => o.extension === true)).toBe(true);
    const spec = loadSpec();
    const specIds = new Set(
      Object.values(spec.paths).flatMap((item) => Object.values(item).map((op) => op?.operationId)),
    );
    for (const op of ours) {
      expect(specIds.has(op.docSlug), `${op.docSlug} is an operationId of the spec`).toBe(false);
      const methods = spec.paths[op.path] ?? {};
      expect(methods[op.method.toLowerCase()], `${op.method} ${op.path} is in the spec`).toBeUndefined();
    }
  });

  it('renders groups and attributes of inventory items as the catalog items of the spec (with its errata)', async () => {
    const give = await t.adminCall('POST', '/inventory/reward', [
      { user: { id: user }, items: [{ sku: 'potion', quantity: 2 }] },
    ]);
    expect(give.statusCode, give.body).toBe(200);
    const res = await asUser('GET', '/user/inventory/items');
    expect(res.statusCode).toBe(200);
    const [potion] = res.json().items;
    expect(potion.groups).toEqual([{ external_id: 'potions', name: 'Potions' }]);
    expect(potion.attributes).toHaveLength(1);
    // the catalog item schema with the documented errata applied (client `groups[].name` etc. are strings)
    const { schema } = responseContract('get-virtual-items', 200);
    const item = (schema as { properties: { items: { items: Record<string, unknown> } } }).properties.items
      .items;
    const props = item.properties as Record<string, Record<string, unknown>>;
    const defs = ((schema as Record<string, unknown>).$defs ?? {}) as Record<string, unknown>;
    for (const field of ['groups', 'attributes'] as const) {
      const validate = compileValidator(withDefs(props[field], defs));
      expect(validate(potion[field]), field).toEqual([]);
    }
  });

  it('answers every error with the Xsolla envelope', async () => {
    const other = await createTenant(app);
    const responses = [
      await asUser('GET', '/user/inventory/items', undefined, 'not-a-jwt'),
      await asUser('GET', '/user/virtual_currency_balance', undefined, await other.userToken(user)),
      await asUser('GET', '/user/time_limited_items?locale=' + 'x'.repeat(40)),
      await asUser('GET', '/user/inventory/items?offset=-1'),
      await asUser('POST', '/user/inventory/item/consume', { sku: 'potion' }),
      await asUser('POST', '/user/inventory/item/consume', { sku: 'potion', quantity: 99 }),
      await asUser('POST', '/user/inventory/item/consume', { sku: 'nothing', quantity: 1 }),
      await t.adminCall('POST', '/inventory/reward', [
        { user: { id: user }, items: [{ sku: 'nothing', quantity: 1 }] },
      ]),
      await t.adminCall('POST', '/inventory/revoke', [
        { user: { id: user }, items: [{ sku: 'gold', quantity: 1 }] },
      ]),
      await t.adminCall('POST', '/inventory/revoke', { not: 'an array' }),
      await other.adminCall('POST', `/api/v2/project/${t.projectId}/inventory/reward`, []),
    ];
    expect(responses.map((r) => r.statusCode)).toEqual([
      401, 401, 422, 422, 422, 404, 404, 404, 404, 422, 401,
    ]);
    for (const r of responses) expect(envelopeProblems(r.statusCode, r.json()), r.body).toEqual([]);
  });

  it('raises 5006 exactly as the spec documents it for create-order-with-item-for-virtual-currency', async () => {
    expect(ERROR_CODES.NOT_ENOUGH_VIRTUAL_CURRENCY).toMatchObject({ code: 5006, status: 422 });
    const res = await app.inject({ method: 'GET', url: '/test/not-enough-virtual-currency' });
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body).toMatchObject({
      statusCode: 422,
      errorCode: 5006,
      errorMessage: '[0401-5006]: Not enough virtual currency',
    });
    const contract = responseContract('create-order-with-item-for-virtual-currency', 422);
    expect(contract.documented).toBe(true);
    expect(contract.validate(body)).toEqual([]);
  });
});
