/**
 * The player inventory endpoints (Xsolla Player Inventory API shapes, docs/decisions/0010-player-inventory.md):
 * the user's items, balances and time-limited items, consuming, and the server-side reward and revoke.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { DEFAULT_VIRTUAL_ITEM_IMAGE } from '../../src/catalog/render.js';
import {
  buildInventoryCatalog,
  deliver,
  holdings,
  paidOrder,
  userCall,
  type Catalog,
} from './inventory-helpers.js';

let app: FastifyInstance;
let t: Tenant;
let catalog: Catalog;
let n = 0;
const newUser = () => `player-${++n}`;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
  catalog = await buildInventoryCatalog(app, t, 2);
});
afterAll(async () => app.close());

const reward = (ops: unknown, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: `/api/v2/project/${t.projectId}/inventory/reward`,
    headers: { ...t.admin, ...headers },
    payload: ops as object,
  });
const revoke = (ops: unknown) => t.adminCall('POST', '/inventory/revoke', ops);
const consume = (user: string, body: unknown, headers: Record<string, string> = {}) =>
  userCall(app, t, user, 'POST', '/user/inventory/item/consume', body, headers);

async function give(user: string, items: { sku: string; quantity: number }[]) {
  const res = await reward([{ user: { id: user }, items }]);
  expect(res.statusCode, res.body).toBe(200);
}

function expectError(res: { statusCode: number; json(): unknown }, status: number, errorCode: number) {
  expect(res.statusCode).toBe(status);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: status, errorCode });
  expect(body.errorMessage).toMatch(new RegExp(`^\\[0401-${errorCode}\\]: `));
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
}

describe('get-user-inventory', () => {
  it("lists the user's goods, then currencies, with Xsolla's fields", async () => {
    const user = newUser();
    await deliver(
      app,
      await paidOrder(app, t, catalog, user, [
        { sku: 'potion', quantity: 3 },
        { sku: 'sword', quantity: 1 },
        { sku: 'vip', quantity: 1 },
        { sku: 'gold', quantity: 12 },
      ]),
    );
    const res = await userCall(app, t, user, 'GET', '/user/inventory/items');
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(Object.keys(res.json())).toEqual(['items']);
    expect(items.map((i: { sku: string }) => i.sku)).toEqual(['potion', 'sword', 'vip', 'gold']);
    expect(items[0]).toEqual({
      sku: 'potion',
      type: 'virtual_good',
      name: 'Potion',
      description: 'Heals',
      image_url: 'https://static.xsolla.com/misc/publisher_account/virtual_item_default_image.png',
      attributes: [
        { external_id: 'rarity', name: 'Rarity', values: [{ external_id: 'common', value: 'Common' }] },
      ],
      groups: [],
      instance_id: null,
      quantity: 3,
      remaining_uses: 3,
      virtual_item_type: 'consumable',
    });
    expect(items[1]).toMatchObject({
      sku: 'sword',
      quantity: 1,
      remaining_uses: 1,
      virtual_item_type: 'non_consumable',
    });
    expect(items[2]).toMatchObject({
      sku: 'vip',
      quantity: 1,
      virtual_item_type: 'non_renewing_subscription',
    });
    expect(items[3]).toEqual({
      sku: 'gold',
      type: 'virtual_currency',
      name: 'Gold',
      description: 'Shiny coins',
      image_url: DEFAULT_VIRTUAL_ITEM_IMAGE, // a currency without image: the default, as for goods
      attributes: [],
      groups: [],
      instance_id: null,
      quantity: 12,
      remaining_uses: null,
      virtual_item_type: null,
    });
  });

  it('pages with limit/offset (at most 50) and speaks the requested locale', async () => {
    const user = newUser();
    await give(user, [
      { sku: 'potion', quantity: 1 },
      { sku: 'sword', quantity: 1 },
      { sku: 'gold', quantity: 1 },
    ]);
    const page = async (q: string) =>
      (await userCall(app, t, user, 'GET', `/user/inventory/items?${q}`))
        .json()
        .items.map((i: { sku: string }) => i.sku);
    expect(await page('limit=2')).toEqual(['potion', 'sword']);
    expect(await page('limit=2&offset=2')).toEqual(['gold']);
    expect(await page('limit=500')).toHaveLength(3);
    const de = await userCall(app, t, user, 'GET', '/user/inventory/items?locale=de-DE&platform=xsolla');
    expect(de.json().items[0].name).toBe('Trank');
    expectError(await userCall(app, t, user, 'GET', '/user/inventory/items?limit=0'), 422, 1102);
  });

  it("shows only the caller's own inventory", async () => {
    const a = newUser();
    await give(a, [{ sku: 'potion', quantity: 2 }]);
    expect(await holdings(app, t, newUser())).toEqual({});
    const other = await createTenant(app);
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/user/inventory/items`,
      headers: { authorization: `Bearer ${await other.userToken(a)}` },
    });
    expectError(foreign, 401, 1501);
  });
});

describe('get-user-virtual-balance', () => {
  it('lists every enabled currency with the balance (0 when never credited)', async () => {
    const user = newUser();
    const empty = await userCall(app, t, user, 'GET', '/user/virtual_currency_balance');
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toEqual({
      items: [
        {
          sku: 'gold',
          type: 'virtual_currency',
          name: 'Gold',
          description: 'Shiny coins',
          image_url: DEFAULT_VIRTUAL_ITEM_IMAGE,
          amount: 0,
        },
      ],
    });
    await give(user, [
      { sku: 'gold', quantity: 70 },
      { sku: 'gems', quantity: 3 },
    ]);
    const res = await userCall(app, t, user, 'GET', '/user/virtual_currency_balance');
    const amounts = Object.fromEntries(
      res.json().items.map((i: { sku: string; amount: number }) => [i.sku, i.amount]),
    );
    expect(amounts).toEqual({ gold: 70, gems: 3 }); // a disabled currency shows while the user holds some
  });
});

describe('consume-item', () => {
  it('consumes units of a consumable (200, no body) and never below zero', async () => {
    const user = newUser();
    await give(user, [{ sku: 'potion', quantity: 3 }]);
    const res = await consume(user, { sku: 'potion', quantity: 2, instance_id: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toBe('');
    expect((await holdings(app, t, user)).potion).toBe(1);
    expectError(await consume(user, { sku: 'potion', quantity: 2 }), 404, 4001);
    expect((await holdings(app, t, user)).potion).toBe(1);
    expect((await consume(user, { sku: 'potion', quantity: 1 })).statusCode).toBe(200);
    expect(await holdings(app, t, user)).toEqual({});
    const gone = await consume(user, { sku: 'potion', quantity: 1 });
    expectError(gone, 404, 4001);
    expect(gone.json().errorMessage).toBe(
      `[0401-4001]: Item with Project Id = ${t.projectId} and Sku = potion not found`,
    );
  });

  it('spends virtual currency', async () => {
    const user = newUser();
    await give(user, [{ sku: 'gold', quantity: 10 }]);
    expect((await consume(user, { sku: 'gold', quantity: 4 })).statusCode).toBe(200);
    expect((await holdings(app, t, user)).gold).toBe(6);
    expectError(await consume(user, { sku: 'gold', quantity: 7 }), 404, 4001);
  });

  it('answers the documented errors for bad requests', async () => {
    const user = newUser();
    await give(user, [
      { sku: 'sword', quantity: 1 },
      { sku: 'potion', quantity: 1 },
    ]);
    expectError(await consume(user, { sku: 'potion' }), 422, 5002);
    expectError(await consume(user, { quantity: 1 }), 422, 5002);
    expectError(await consume(user, { sku: 'potion', quantity: null, instance_id: null }), 422, 5002);
    expectError(await consume(user, { sku: 'potion', quantity: 1, instance_id: 'abc' }), 422, 1102);
    expectError(
      await consume(user, { sku: 'potion', quantity: null, instance_id: 'a'.repeat(32) }),
      404,
      4001,
    );
    expectError(await consume(user, { sku: 'potion', quantity: 0 }), 422, 1102);
    expectError(await consume(user, { sku: 'no_such_item', quantity: 1 }), 404, 4001);
    expectError(await consume(user, { sku: 'sword', quantity: 1 }), 422, 1102);
    expectError(await consume(user, { sku: 'starter', quantity: 1 }), 404, 4001);
    expect(await holdings(app, t, user)).toEqual({ sword: 1, potion: 1 });
  });

  it('replays the first answer for a repeated Idempotency-Key (consumes once)', async () => {
    const user = newUser();
    await give(user, [{ sku: 'potion', quantity: 5 }]);
    const key = { 'idempotency-key': `consume-${user}` };
    const first = await consume(user, { sku: 'potion', quantity: 1 }, key);
    const again = await consume(user, { sku: 'potion', quantity: 1 }, key);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await holdings(app, t, user)).potion).toBe(4);
    expectError(await consume(user, { sku: 'potion', quantity: 2 }, key), 422, 1102);
  });
});

describe('add-item-to-inventory (reward)', () => {
  it('grants goods and currencies to several users and answers the balances', async () => {
    const [a, b] = [newUser(), newUser()];
    await give(a, [{ sku: 'gold', quantity: 5 }]);
    const res = await reward([
      {
        user: { id: a },
        comment: 'Monthly challenge rewards',
        platform: 'xsolla',
        items: [
          { sku: 'gold', quantity: 20 },
          { sku: 'potion', quantity: 2 },
          { sku: 'sword', quantity: 3 },
        ],
      },
      { user: { id: b }, items: [{ sku: 'vip', quantity: 1 }] },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      count: 2,
      operations: [
        {
          user_id: a,
          platform: 'xsolla',
          comment: 'Monthly challenge rewards',
          items: [
            { sku: 'gold', quantity: 20, balance: 25 },
            { sku: 'potion', quantity: 2, balance: 2 },
            { sku: 'sword', quantity: 3, balance: 1 },
          ],
        },
        { user_id: b, platform: null, comment: null, items: [{ sku: 'vip', quantity: 1, balance: 1 }] },
      ],
    });
    expect(await holdings(app, t, a)).toEqual({ potion: 2, sword: 1, gold: 25 });
    const grants = await app.services.database.db
      .selectFrom('inventory_grants')
      .select(['source', 'comment', 'sku'])
      .where('project_id', '=', t.projectId)
      .where('user_id', '=', a)
      .where('comment', '=', 'Monthly challenge rewards')
      .execute();
    expect(grants.map((g) => g.sku).sort()).toEqual(['gold', 'potion', 'sword']);
    expect(grants.every((g) => g.source === 'admin')).toBe(true);
  });

  it('is all or nothing: an unknown sku or a bundle is 404/4001 and grants nothing', async () => {
    const user = newUser();
    for (const bad of ['no_such_item', 'starter', 'quest_steam']) {
      const res = await reward([
        { user: { id: user }, items: [{ sku: 'gold', quantity: 5 }] },
        { user: { id: user }, items: [{ sku: bad, quantity: 1 }] },
      ]);
      expectError(res, 404, 4001);
    }
    expect(await holdings(app, t, user)).toEqual({});
  });

  it('validates the body (422/1102) and processes only the first 50 operations', async () => {
    expectError(await reward([]), 422, 1102);
    expectError(await reward([{ user: { id: 'x' }, items: [] }]), 422, 1102);
    expectError(await reward({ user: { id: 'x' }, items: [{ sku: 'gold', quantity: 1 }] }), 422, 1102);
    expectError(await reward([{ user: { id: 'x' }, items: [{ sku: 'gold', quantity: -1 }] }]), 422, 1102);
    const users = Array.from({ length: 55 }, () => newUser());
    const res = await reward(users.map((id) => ({ user: { id }, items: [{ sku: 'gold', quantity: 1 }] })));
    expect(res.statusCode).toBe(200);
    expect(res.json().count).toBe(50);
    expect((await holdings(app, t, users[49])).gold).toBe(1);
    expect(await holdings(app, t, users[50])).toEqual({});
  });

  it('replays a repeated Idempotency-Key instead of granting twice', async () => {
    const user = newUser();
    const ops = [{ user: { id: user }, items: [{ sku: 'gold', quantity: 9 }] }];
    const key = { 'idempotency-key': `reward-${user}` };
    const first = await reward(ops, key);
    const again = await reward(ops, key);
    expect(again.json()).toEqual(first.json());
    expect((await holdings(app, t, user)).gold).toBe(9);
  });
});

describe('revoke-item', () => {
  it('takes items back and answers what is left', async () => {
    const user = newUser();
    await give(user, [
      { sku: 'gold', quantity: 30 },
      { sku: 'potion', quantity: 4 },
      { sku: 'vip', quantity: 1 },
    ]);
    const res = await revoke([
      {
        user: { id: user },
        comment: 'Cheater',
        items: [
          { sku: 'gold', quantity: 10 },
          { sku: 'potion', quantity: 4 },
          { sku: 'vip', quantity: 1 },
        ],
      },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().operations[0].items).toEqual([
      { sku: 'gold', quantity: 10, balance: 20 },
      { sku: 'potion', quantity: 4, balance: 0 },
      { sku: 'vip', quantity: 1, balance: 0 },
    ]);
    expect(await holdings(app, t, user)).toEqual({ gold: 20 });
    const tl = await userCall(app, t, user, 'GET', '/user/time_limited_items');
    expect(tl.json().items[0].status).toBe('expired');
  });

  it('revokes nothing when a user holds fewer than asked (404/4001)', async () => {
    const user = newUser();
    await give(user, [
      { sku: 'gold', quantity: 3 },
      { sku: 'potion', quantity: 1 },
    ]);
    const res = await revoke([
      { user: { id: user }, items: [{ sku: 'gold', quantity: 3 }] },
      { user: { id: user }, items: [{ sku: 'potion', quantity: 2 }] },
    ]);
    expectError(res, 404, 4001);
    expect(await holdings(app, t, user)).toEqual({ potion: 1, gold: 3 });
    expectError(
      await revoke([{ user: { id: newUser() }, items: [{ sku: 'sword', quantity: 1 }] }]),
      404,
      4001,
    );
  });
});
