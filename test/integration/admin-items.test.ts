import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
});
afterAll(async () => app.close());

const sword = {
  sku: 'sword',
  name: { en: 'Sword', 'de-DE': 'Schwert' },
  description: { en: 'Sharp' },
  prices: [
    { amount: 9.99, currency: 'USD', is_default: true },
    { amount: 200, currency: 'CZK', country_iso: 'CZ' },
  ],
};

describe('virtual item lifecycle', () => {
  it('creates an item that appears in the catalog on the next request', async () => {
    const created = await t.adminCall('POST', '/admin/items/virtual_items', sword);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({ sku: 'sword' });

    const list = await catalogGet(app, t.projectId, '/items/virtual_items');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    expect(body.has_more).toBe(false);
    expect(body.items.map((i: { sku: string }) => i.sku)).toEqual(['sword']);
    expect(body.items[0].price).toEqual({ amount: '9.99', amount_without_discount: '9.99', currency: 'USD' });
  });

  it('picks the country price when the country has one', async () => {
    const res = await catalogGet(app, t.projectId, '/items/virtual_items/sku/sword?country=CZ&locale=de');
    expect(res.json().price).toEqual({
      amount: '200.00',
      amount_without_discount: '200.00',
      currency: 'CZK',
    });
    expect(res.json().name).toBe('Schwert');
  });

  it('rejects a second item with the same sku with 422/4002', async () => {
    const again = await t.adminCall('POST', '/admin/items/virtual_items', sword);
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ statusCode: 422, errorCode: 4002 });
  });

  it('answers 404/4001 after delete, in admin and catalog', async () => {
    expect((await t.adminCall('DELETE', '/admin/items/virtual_items/sku/sword')).statusCode).toBe(204);
    const admin = await t.adminCall('GET', '/admin/items/virtual_items/sku/sword');
    expect(admin.statusCode).toBe(404);
    expect(admin.json()).toMatchObject({
      errorCode: 4001,
      errorMessage: "[0401-4001]: Item with sku = 'sword' not found",
    });
    const catalog = await catalogGet(app, t.projectId, '/items/virtual_items/sku/sword');
    expect(catalog.statusCode).toBe(404);
    expect(catalog.json().errorCode).toBe(4001);
  });
});
