/**
 * Rate limits with in-process counters (ADR 0011): admin calls are counted per project, client calls per client
 * address; over the limit the answer is 429 in the Xsolla envelope with `Retry-After`. Requests refused at
 * authentication do not use the project's quota; routes outside the API are not limited; 0 turns a limit off.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';

const WINDOW = 60;

function expectTooMany(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(res.statusCode).toBe(429);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({ statusCode: 429, errorCode: 0 });
  expect(body.errorMessage).toMatch(/^Rate limit exceeded, retry in /);
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
}

describe('rate limits (in process)', () => {
  let app: FastifyInstance;
  let a: Tenant;
  let b: Tenant;
  beforeAll(async () => {
    app = await testApp({ rateLimitAdminMax: 3, rateLimitClientMax: 5, rateLimitWindowSeconds: WINDOW });
    a = await createTenant(app);
    b = await createTenant(app);
  });
  afterAll(async () => app.close());

  it('limits admin calls per project, not across projects', async () => {
    for (let i = 0; i < 3; i++)
      expect((await a.adminCall('GET', '/admin/items/virtual_items')).statusCode).toBe(200);
    expectTooMany(await a.adminCall('GET', '/admin/items/virtual_items'));
    // Every admin operation of the project shares the quota.
    expectTooMany(await a.adminCall('GET', '/admin/items/virtual_currency'));
    // Another project has its own.
    expect((await b.adminCall('GET', '/admin/items/virtual_items')).statusCode).toBe(200);
  });

  it('does not count requests refused at authentication', async () => {
    const c = await createTenant(app);
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v2/project/${c.projectId}/admin/items/virtual_items`,
        headers: { authorization: basic(c.projectId, 'wrong-key') },
      });
      expect(res.statusCode).toBe(401);
    }
    for (let i = 0; i < 3; i++)
      expect((await c.adminCall('GET', '/admin/items/virtual_items')).statusCode).toBe(200);
    expectTooMany(await c.adminCall('GET', '/admin/items/virtual_items'));
  });

  it('limits client calls per client address', async () => {
    const get = (remoteAddress: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v2/project/${b.projectId}/items/virtual_items`,
        remoteAddress,
      });
    for (let i = 0; i < 5; i++) expect((await get('10.1.0.1')).statusCode).toBe(200);
    expectTooMany(await get('10.1.0.1'));
    // Another address is counted apart, and so is the project's admin quota.
    expect((await get('10.1.0.2')).statusCode).toBe(200);
    expect((await b.adminCall('GET', '/admin/items/virtual_items')).statusCode).toBe(200);
  });

  it('leaves health and documentation routes alone', async () => {
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({ method: 'GET', url: '/health/live', remoteAddress: '10.1.0.3' });
      expect(res.statusCode).toBe(200);
    }
  });
});

describe('rate limit settings', () => {
  it('0 turns a limit off', async () => {
    const app = await testApp({ rateLimitAdminMax: 0, rateLimitClientMax: 2 });
    try {
      const t = await createTenant(app);
      for (let i = 0; i < 8; i++)
        expect((await t.adminCall('GET', '/admin/items/virtual_items')).statusCode).toBe(200);
      const get = () =>
        app.inject({
          method: 'GET',
          url: `/api/v2/project/${t.projectId}/items/virtual_items`,
          remoteAddress: '10.2.0.1',
        });
      expect((await get()).statusCode).toBe(200);
      expect((await get()).statusCode).toBe(200);
      expectTooMany(await get());
    } finally {
      await app.close();
    }
  });

  it('counts the forwarded client address behind a trusted proxy', async () => {
    const app = await testApp({ rateLimitClientMax: 1, trustProxy: true });
    try {
      const t = await createTenant(app);
      const get = (client: string) =>
        app.inject({
          method: 'GET',
          url: `/api/v2/project/${t.projectId}/items/virtual_items`,
          remoteAddress: '10.3.0.1',
          headers: { 'x-forwarded-for': client },
        });
      expect((await get('198.51.100.1')).statusCode).toBe(200);
      expectTooMany(await get('198.51.100.1'));
      expect((await get('198.51.100.2')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
