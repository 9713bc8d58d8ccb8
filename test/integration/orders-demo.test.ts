/**
 * The demo store's pay station link: `npm start` creates an unpaid Sword order for the demo user and prints a
 * URL that opens the sandbox pay station of that order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { formatDemoBanner, issueDemoCredentials } from '../../src/demo/credentials.js';
import { testApp } from '../helpers/app.js';
import { shopFixture, type ShopFixture } from './orders-fixture.js';

let app: FastifyInstance;
let f: ShopFixture;

beforeAll(async () => {
  app = await testApp();
  f = await shopFixture(app); // a project with a `sword`, like the demo store
});
afterAll(async () => app.close());

describe('demo order', () => {
  it('the banner prints a pay station URL that opens the demo order, payable by the demo user', async () => {
    const { orders, tenancy } = app.services;
    const c = await issueDemoCredentials(tenancy, f.t.projectId, (userId) =>
      orders.createDemoOrder(f.t.projectId, userId, 'sword'),
    );
    expect(c.demoOrder).toBeDefined();
    const banner = formatDemoBanner(c, 'http://localhost:8080');
    const url = `http://localhost:8080/paystation4/?token=${c.demoOrder!.token}`;
    expect(banner).toContain(url);
    const pageRes = await app.inject({ method: 'GET', url: url.replace('http://localhost:8080', '') });
    expect(pageRes.statusCode).toBe(200);
    expect(pageRes.body).toContain('Sword');
    const order = await app.inject({
      method: 'GET',
      url: `/api/v2/project/${f.t.projectId}/order/${c.demoOrder!.order_id}`,
      headers: { authorization: `Bearer ${c.userToken}` },
    });
    expect(order.json()).toMatchObject({
      status: 'new',
      content: { items: [{ sku: 'sword', quantity: 1 }] },
    });
  });

  it('leaves the link out when the demo order cannot be made', async () => {
    const c = await issueDemoCredentials(app.services.tenancy, f.t.projectId, (userId) =>
      app.services.orders.createDemoOrder(f.t.projectId, userId, 'no-such-sku'),
    );
    expect(c.demoOrder).toBeUndefined();
    expect(formatDemoBanner(c, 'http://localhost:8080')).not.toContain('paystation4');
  });
});
