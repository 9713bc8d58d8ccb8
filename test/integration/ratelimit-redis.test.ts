/**
 * Rate limits shared through Redis (REDIS_URL; ADR 0011): two app instances — two processes in production — use one
 * counter per project and per client address, so the limit holds across them. Runs against the real Redis on
 * 127.0.0.1:6379 (or REDIS_TEST_URL) and skips cleanly when it is not reachable. A Redis that goes away lets
 * requests through instead of failing them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RATE_LIMIT_NAMESPACE } from '../../src/http/rate-limit.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function redisUp(): Promise<boolean> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const up = await redisUp();
if (!up) console.warn(`ratelimit-redis: no Redis at ${REDIS_URL} — the shared-counter tests are skipped`);

describe.skipIf(!up)('rate limits shared through Redis', () => {
  let one: FastifyInstance;
  let two: FastifyInstance;
  let t: Tenant;
  let redis: Redis;
  const client = `10.${randomBytes(3).join('.')}`;

  beforeAll(async () => {
    const settings = { redisUrl: REDIS_URL, rateLimitAdminMax: 4, rateLimitClientMax: 4 };
    one = await testApp(settings);
    two = await testApp(settings);
    await Promise.all([one.ready(), two.ready()]);
    t = await createTenant(one);
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await redis.del(`${RATE_LIMIT_NAMESPACE}a:p:${t.projectId}`, `${RATE_LIMIT_NAMESPACE}c:${client}`);
    redis.disconnect();
    await Promise.all([one.close(), two.close()]);
  });

  const admin = (app: FastifyInstance) =>
    app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/admin/items/virtual_items`,
      headers: t.admin,
    });
  const read = (app: FastifyInstance) =>
    app.inject({
      method: 'GET',
      url: `/api/v2/project/${t.projectId}/items/virtual_items`,
      remoteAddress: client,
    });

  it('counts admin calls of a project across instances', async () => {
    expect((await admin(one)).statusCode).toBe(200);
    expect((await admin(two)).statusCode).toBe(200);
    expect((await admin(one)).statusCode).toBe(200);
    expect((await admin(two)).statusCode).toBe(200);
    const refused = await admin(one);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ statusCode: 429, errorCode: 0 });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await admin(two)).statusCode).toBe(429);
    expect(Number(await redis.get(`${RATE_LIMIT_NAMESPACE}a:p:${t.projectId}`))).toBeGreaterThanOrEqual(5);
  });

  it('counts client calls of an address across instances', async () => {
    for (const app of [one, two, two, one]) expect((await read(app)).statusCode).toBe(200);
    expect((await read(two)).statusCode).toBe(429);
    expect((await read(one)).statusCode).toBe(429);
  });
});

describe('rate limits when Redis is unreachable', () => {
  it('lets requests through', async () => {
    const app = await testApp({ redisUrl: 'redis://127.0.0.1:1', rateLimitClientMax: 1 });
    try {
      const t = await createTenant(app);
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({
          method: 'GET',
          url: `/api/v2/project/${t.projectId}/items/virtual_items`,
        });
        expect(res.statusCode).toBe(200);
      }
    } finally {
      await app.close();
    }
  });
});
