/**
 * Service tier (issue 14 §6): OrdersService's rules over the real test database and the real catalog and unit of
 * work (from the service container), with fakes for delivery, webhooks, limits and carts — no app, no HTTP.
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { AppError } from '../../src/errors/app-error.js';
import { VIRTUAL_GOOD } from '../../src/modules/items/service.js';
import type { OrderPorts, OrderStatusChange } from '../../src/modules/orders/model.js';
import { OrdersService, type Buyer } from '../../src/modules/orders/service.js';
import { createServices, type Services } from '../../src/services.js';
import { testDatabase } from '../helpers/db.js';

const config = loadConfig({}, { dataDir: 'memory://', logLevel: 'silent' });

/** Fakes of what orders need from other areas; they record what they were asked. */
function fakePorts() {
  const calls = { delivered: [] as number[], events: [] as string[], reserved: [] as number[] };
  let failDelivery = false;
  const ports: OrderPorts = {
    carts: {
      takeForOrder: () => Promise.reject(new Error('no carts in this test')),
    },
    delivery: {
      reserveCodes: async (_ctx, order) => void calls.reserved.push(order.orderId),
      releaseCodes: async () => {},
      deliverOrder: async (_ctx, orderId) => {
        if (failDelivery) throw new AppError('INVALID_ITEM', 'delivery refused (fake)');
        calls.delivered.push(orderId);
        return [];
      },
      revokeOrder: async () => {},
      chargeVirtualCurrency: async () => 0,
    },
    webhooks: {
      enqueueOrderEvent: async (_ctx, type, orderId) => void calls.events.push(`${type}:${orderId}`),
    },
    limits: { reserve: async () => [], commit: async () => [], release: async () => {} },
  };
  return { ports, calls, failNextDeliveries: (on: boolean) => (failDelivery = on) };
}

let services: Services;
let projectId: number;
const buyer: Buyer = { user: { userId: 'buyer-1', email: 'buyer@example.com', claims: {} }, country: 'US' };

beforeAll(async () => {
  services = createServices(config, await testDatabase());
  const tag = randomBytes(4).toString('hex');
  const merchantId = await services.tenancy.createMerchant(`svc-${tag}`);
  projectId = await services.tenancy.createProject(merchantId, `svc-${tag}`);
  await services.items.create(projectId, VIRTUAL_GOOD, {
    sku: 'sword',
    name: { en: 'Sword' },
    prices: [{ currency: 'USD', amount: '4.99', is_default: true }],
  });
});

function ordersWith(f: ReturnType<typeof fakePorts>) {
  const orders = new OrdersService(
    services.database.db,
    services.unitOfWork,
    services.catalog,
    config,
    () => f.ports,
  );
  const changes: string[] = [];
  orders.onStatusChange((c: OrderStatusChange) => changes.push(`${c.order.order_id}:${c.order.status}`));
  return { orders, changes };
}

describe('OrdersService (service tier)', () => {
  it('creates a new order at the catalog price and reserves what it will deliver', async () => {
    const f = fakePorts();
    const { orders, changes } = ordersWith(f);
    const created = await orders.createFromItem(projectId, buyer, 'sword', { quantity: 2 });
    const { order } = await orders.details(projectId, created.order_id);
    expect(order.status).toBe('new');
    expect(Number(order.amount)).toBe(9.98);
    expect(order.currency).toBe('USD');
    expect(f.calls.reserved).toEqual([created.order_id]);
    expect(changes).toEqual([`${created.order_id}:new`]);
  });

  it('pays once: delivered, order_paid queued, done; paying again changes nothing', async () => {
    const f = fakePorts();
    const { orders, changes } = ordersWith(f);
    const { order_id } = await orders.createFromItem(projectId, buyer, 'sword', {});
    await services.unitOfWork.run({}, (ctx) => orders.pay(ctx, projectId, order_id, 'admin'));
    const again = await services.unitOfWork.run({}, (ctx) => orders.pay(ctx, projectId, order_id, 'admin'));
    expect(again.changed).toBe(false);
    expect((await orders.details(projectId, order_id)).order.status).toBe('done');
    expect(f.calls.delivered).toEqual([order_id]);
    expect(f.calls.events).toEqual([`order_paid:${order_id}`]);
    expect(changes).toEqual([`${order_id}:new`, `${order_id}:paid`, `${order_id}:done`]);
  });

  it('rolls a payment back whole when delivery refuses: still new, no event, no status announced', async () => {
    const f = fakePorts();
    const { orders, changes } = ordersWith(f);
    const { order_id } = await orders.createFromItem(projectId, buyer, 'sword', {});
    f.failNextDeliveries(true);
    await expect(orders.markPaid(projectId, order_id, undefined)).rejects.toMatchObject({ errorCode: 1411 });
    expect((await orders.details(projectId, order_id)).order.status).toBe('new');
    expect(f.calls.events).toEqual([]);
    expect(changes).toEqual([`${order_id}:new`]);
  });

  it('creates one order for two calls with the same Idempotency-Key', async () => {
    const f = fakePorts();
    const { orders } = ordersWith(f);
    const write = { scope: `${projectId}:buyer-1`, idempotencyKey: 'buy-sword-1', requestHash: 'same' };
    const first = await orders.createFromItem(projectId, buyer, 'sword', {}, write);
    const second = await orders.createFromItem(projectId, buyer, 'sword', {}, write);
    expect(second).toEqual(first);
    expect(f.calls.reserved).toEqual([first.order_id]);
  });

  it('refuses an unknown sku with 404/4001 and writes nothing', async () => {
    const f = fakePorts();
    const { orders } = ordersWith(f);
    await expect(orders.createFromItem(projectId, buyer, 'no-such-sku', {})).rejects.toMatchObject({
      statusCode: 404,
      errorCode: 4001,
    });
    expect(f.calls.reserved).toEqual([]);
  });
});
