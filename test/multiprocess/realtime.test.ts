/**
 * The realtime order channel across processes (issue 12 item 1, ADR 0030): with `serve --workers 2` on one
 * PostgreSQL, a status change made by the worker that served Pay reaches the sockets held by every worker — through
 * LISTEN/NOTIFY, or Redis pub/sub when REDIS_URL is set. Sockets are opened until both workers hold one (the connect
 * reply names the process: `node`), next to a Centrifuge client in JSON and one in Protobuf; all receive `done`
 * within one second of Pay, and a client of another user receives nothing.
 *
 * Needs TEST_DATABASE_URL (skipped without it); the Redis variant also needs Redis on 127.0.0.1:6379.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { basic } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';
import { centrifugeClient, RawClient, type CentrifugeHandle } from '../helpers/realtime.js';
import { PG_URL, REDIS_URL, redisUp, serve, stop, type Proc } from '../helpers/serve.js';

if (!PG_URL) console.warn('multiprocess realtime: TEST_DATABASE_URL is not set — skipped');
const withRedis = PG_URL ? await redisUp() : false;

/** A request on a new connection (so the cluster spreads them over its workers). */
function call(
  url: string,
  method: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; json: () => Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      url,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...headers,
          ...(payload ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, json: () => JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Shop {
  projectId: number;
  token(userId: string): Promise<string>;
}

/** A fresh project with a sword for 1.99 USD. */
async function newShop(p: Proc): Promise<Shop> {
  const tenancy = new TenancyService((await testDatabase()).db);
  const tag = randomBytes(4).toString('hex');
  const merchantId = await tenancy.createMerchant(`rt-merchant-${tag}`);
  const projectId = await tenancy.createProject(merchantId, `rt-project-${tag}`);
  const key = await tenancy.createApiKey(merchantId, projectId, 'rt');
  const res = await call(
    `${p.base}/api/v2/project/${projectId}/admin/items/virtual_items`,
    'POST',
    { authorization: basic(projectId, key) },
    { sku: 'sword', name: { en: 'Sword' }, prices: [{ amount: 1.99, currency: 'USD', is_default: true }] },
  );
  expect(res.status).toBe(201);
  const project = (await tenancy.getProject(projectId))!;
  return { projectId, token: (userId) => tenancy.mintUserToken(project, userId) };
}

/** Opens raw JSON sockets for `userId` until the workers' `node` ids differ; returns one socket per node. */
async function socketsOnEveryWorker(wsUrl: string, shop: Shop, userId: string, workers: number) {
  const byNode = new Map<string, RawClient>();
  const auth = await shop.token(userId);
  for (let i = 0; i < 30 && byNode.size < workers; i++) {
    const sdk = await RawClient.open(wsUrl);
    sdk.send({ id: 7, connect: { data: { auth, project_id: shop.projectId } } });
    const reply = await sdk.next<{ connect: { node: string } }>((fr) => fr.id === 7);
    if (byNode.has(reply.connect.node)) sdk.close();
    else byNode.set(reply.connect.node, sdk);
  }
  expect(byNode.size, 'sockets reached every worker').toBe(workers);
  return [...byNode.values()];
}

async function doneEverywhere(p: Proc, label: string) {
  const wsUrl = `${p.base.replace('http', 'ws')}/connection/websocket`;
  const shop = await newShop(p);
  const sockets = await socketsOnEveryWorker(wsUrl, shop, 'ann', 2);
  const clients: CentrifugeHandle[] = [];
  try {
    for (const protocol of ['json', 'protobuf'] as const)
      clients.push(
        centrifugeClient(wsUrl, protocol, { auth: await shop.token('ann'), project_id: shop.projectId }),
      );
    const bob = centrifugeClient(wsUrl, 'json', {
      auth: await shop.token('bob'),
      project_id: shop.projectId,
    });
    clients.push(bob);
    await Promise.all(clients.map((c) => c.connected));

    const created = await call(
      `${p.base}/api/v2/project/${shop.projectId}/payment/item/sword`,
      'POST',
      {
        authorization: `Bearer ${await shop.token('ann')}`,
      },
      {},
    );
    expect(created.status).toBe(200);
    const { order_id, token } = created.json() as { order_id: number; token: string };
    expect((await call(`${p.base}/api/paystation/${token}/pay`, 'POST', {}, {})).status).toBe(200);
    const paidAt = performance.now(); // the pay station has answered: every socket gets `done` within 1 s

    const isDone = (d: { order_id?: number; status?: string } | undefined) =>
      d?.order_id === order_id && d?.status === 'done';
    await Promise.all([
      ...sockets.map((s) =>
        s.next(
          (fr) => isDone((fr.push as { pub?: { data?: { order_id?: number; status?: string } } })?.pub?.data),
          1000,
        ),
      ),
      ...clients.slice(0, 2).map((c) => c.next((r) => isDone(r.data), 1000)),
    ]);
    const ms = performance.now() - paidAt;
    console.info(
      `multiprocess realtime (${label}): done on ${sockets.length + 2} sockets ${ms.toFixed(0)} ms after the Pay answer`,
    );
    expect(bob.publications).toEqual([]);
  } finally {
    for (const s of sockets) s.close();
    for (const c of clients) c.close();
  }
}

describe.skipIf(!PG_URL)('serve --workers 2 on PostgreSQL (LISTEN/NOTIFY)', () => {
  let p: Proc | undefined;
  beforeAll(async () => {
    p = await serve({}, ['--workers', '2']);
  });
  afterAll(async () => stop(p));

  it('delivers a status change to the sockets of both workers', async () => {
    await doneEverywhere(p!, 'NOTIFY');
  });
});

describe.skipIf(!withRedis)('serve --workers 2 with REDIS_URL (pub/sub)', () => {
  let p: Proc | undefined;
  beforeAll(async () => {
    p = await serve({ REDIS_URL }, ['--workers', '2']);
  });
  afterAll(async () => stop(p));

  it('delivers a status change to the sockets of both workers', async () => {
    await doneEverywhere(p!, 'Redis');
  });
});
