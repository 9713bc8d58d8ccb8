/**
 * Guessing keys is rate limited (issue 13 §4, ADR 0047): failed authentications — wrong admin keys, wrong
 * merchant keys, invalid user tokens — count against RATE_LIMIT_AUTH_FAILURES_MAX per window, per client address
 * and project (or merchant) named. Past it: 429 in the envelope with `Retry-After`, and a key is not even looked
 * up any more. Successful authentications do not count; a valid user token is never refused for its address's
 * failures; another address, or another project, is unaffected. The counters live in the process, or in Redis
 * (shared by every process) when REDIS_URL is set — the Redis part runs against 127.0.0.1:6379 (or
 * REDIS_TEST_URL) and skips when no Redis answers.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';

const MAX = 5;
const WINDOW = 60;
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

/** A client address no other test uses. */
const address = () => `10.${randomBytes(3).join('.')}`;

function expectTooMany(res: LightMyRequestResponse) {
  expect(res.statusCode, res.body).toBe(429);
  const body = res.json();
  expect(body).toMatchObject({ statusCode: 429, errorCode: 0 });
  expect(body.errorMessage).toMatch(/^Too many failed authentication attempts, retry in \d+ seconds?$/);
  expect(body.transactionId).toMatch(/^[0-9a-f]{32}$/);
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW);
}

const adminGet = (app: FastifyInstance, t: Tenant, authorization: string, remoteAddress: string) =>
  app.inject({
    method: 'GET',
    url: `/api/v2/project/${t.projectId}/admin/items/virtual_items`,
    headers: { authorization },
    remoteAddress,
  });

describe('failed authentications (in process)', () => {
  let app: FastifyInstance;
  let t: Tenant;
  beforeAll(async () => {
    app = await testApp({ rateLimitAuthFailuresMax: MAX, rateLimitWindowSeconds: WINDOW });
    t = await createTenant(app);
  });
  afterAll(async () => app.close());

  it(`wrong admin keys: ${MAX} × 401, then 429 without a key lookup, even for the right key from that address`, async () => {
    const from = address();
    const lookups = vi.spyOn(app.services.directory, 'verifyProjectKey');
    try {
      for (let i = 0; i < MAX; i++) {
        const res = await adminGet(app, t, basic(t.projectId, `wrong-${i}`), from);
        expect(res.statusCode, res.body).toBe(401);
      }
      expect(lookups).toHaveBeenCalledTimes(MAX);
      for (let i = 0; i < 20; i++)
        expectTooMany(await adminGet(app, t, basic(t.projectId, `wrong-x${i}`), from));
      expectTooMany(await adminGet(app, t, t.admin.authorization, from));
      expect(lookups).toHaveBeenCalledTimes(MAX + 1); // only the failure that crossed the limit was looked up
    } finally {
      lookups.mockRestore();
    }
    // the project's admin at another address is unaffected, and so is this address on another project
    expect((await adminGet(app, t, t.admin.authorization, address())).statusCode).toBe(200);
    const other = await createTenant(app);
    expect((await adminGet(app, other, basic(other.projectId, 'wrong'), from)).statusCode).toBe(401);
    expect((await adminGet(app, other, other.admin.authorization, from)).statusCode).toBe(200);
  });

  it('successful authentications do not count', async () => {
    const from = address();
    for (let i = 0; i < 3 * MAX; i++)
      expect((await adminGet(app, t, t.admin.authorization, from)).statusCode).toBe(200);
    for (let i = 0; i < MAX; i++)
      expect((await adminGet(app, t, basic(t.projectId, 'wrong'), from)).statusCode).toBe(401);
    expectTooMany(await adminGet(app, t, basic(t.projectId, 'wrong'), from));
  });

  it('wrong merchant keys: counted per address and merchant', async () => {
    const from = address();
    const call = (key: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v2/merchant/${t.merchantId}/projects`,
        headers: { authorization: basic(t.merchantId, key) },
        remoteAddress: from,
      });
    for (let i = 0; i < MAX; i++) expect((await call('wrong')).statusCode).toBe(401);
    expectTooMany(await call('wrong'));
    expectTooMany(await call(t.merchantKey));
  });

  it('invalid user tokens: 429 past the limit; a valid token from the same address still passes', async () => {
    const from = address();
    const call = (authorization: string) =>
      app.inject({
        method: 'GET',
        url: `/api/v2/project/${t.projectId}/user/inventory/items`,
        headers: { authorization },
        remoteAddress: from,
      });
    for (let i = 0; i < MAX; i++) expect((await call(`Bearer forged.${i}.token`)).statusCode).toBe(401);
    expectTooMany(await call('Bearer forged.x.token'));
    expectTooMany(await call('Bearer forged.y.token'));
    expect((await call(`Bearer ${await t.userToken('real-user')}`)).statusCode).toBe(200);
  });

  it('requests without credentials are 401, never counted', async () => {
    const from = address();
    for (let i = 0; i < 3 * MAX; i++) {
      const res = await app.inject({
        method: 'GET',
        url: `/api/v2/project/${t.projectId}/admin/items/virtual_items`,
        remoteAddress: from,
      });
      expect(res.statusCode).toBe(401);
    }
    expect((await adminGet(app, t, t.admin.authorization, from)).statusCode).toBe(200);
  });

  it('0 turns the limit off', async () => {
    const open = await testApp({ rateLimitAuthFailuresMax: 0 });
    try {
      const from = address();
      for (let i = 0; i < 3 * MAX; i++)
        expect((await adminGet(open, t, basic(t.projectId, 'wrong'), from)).statusCode).toBe(401);
    } finally {
      await open.close();
    }
  });
});

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
if (!up) console.warn(`auth-failures: no Redis at ${REDIS_URL} — the shared-counter test is skipped`);

describe.skipIf(!up)('failed authentications shared through Redis', () => {
  let one: FastifyInstance;
  let two: FastifyInstance;
  let t: Tenant;
  beforeAll(async () => {
    const settings = { redisUrl: REDIS_URL, rateLimitAuthFailuresMax: MAX, rateLimitWindowSeconds: WINDOW };
    one = await testApp(settings);
    two = await testApp(settings);
    await Promise.all([one.ready(), two.ready()]);
    t = await createTenant(one);
  });
  afterAll(async () => Promise.all([one.close(), two.close()]));

  it('failures on two processes add up to one limit', async () => {
    const from = address();
    for (let i = 0; i < MAX; i++) {
      const app = i % 2 === 0 ? one : two;
      expect((await adminGet(app, t, basic(t.projectId, 'wrong'), from)).statusCode).toBe(401);
    }
    expectTooMany(await adminGet(one, t, basic(t.projectId, 'wrong'), from));
    expectTooMany(await adminGet(two, t, t.admin.authorization, from));
    expect((await adminGet(two, t, t.admin.authorization, address())).statusCode).toBe(200);
  });
});
