import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { writeOptions } from '../../src/http/write.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

// The Idempotency-Key of the unit of work (src/db/unit-of-work.ts, src/http/write.ts) on a probe route that writes one row per real run.
let app: FastifyInstance;
let t: Tenant;
let runs = 0;
const run = Math.random().toString(36).slice(2, 10); // probe rows of this run only (shared PostgreSQL)

beforeAll(async () => {
  app = await testApp();
  app.post<{ Params: { project_id: string }; Body: { sku: string; fail?: boolean } }>(
    '/test/project/:project_id/probe',
    async (req, reply) => {
      req.auth = { projectId: Number(req.params.project_id) };
      const result = await req.server.services.unitOfWork.run(writeOptions(req, reply), async ({ trx }) => {
        runs += 1;
        await trx
          .insertInto('merchants')
          .values({ name: `probe-${run}-${req.body.sku}-${runs}` })
          .execute();
        if (req.body.fail) throw new Error('boom after the write');
        return { sku: req.body.sku, run: runs };
      });
      return reply.code(201).send(result);
    },
  );
  t = await createTenant(app);
});
afterAll(async () => app.close());

const probe = (body: object, key?: string) =>
  app.inject({
    method: 'POST',
    url: `/test/project/${t.projectId}/probe`,
    headers: key ? { 'idempotency-key': key } : {},
    payload: body,
  });

const probeRows = async (sku: string) =>
  (
    await app.services.database.db
      .selectFrom('merchants')
      .select('name')
      .where('name', 'like', `probe-${run}-${sku}-%`)
      .execute()
  ).length;

describe('Idempotency-Key', () => {
  it('replays the first answer and writes once', async () => {
    const key = `k-${t.projectId}-a`;
    const first = await probe({ sku: 'a' }, key);
    const second = await probe({ sku: 'a' }, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(await probeRows('a')).toBe(1);
  });

  it('answers 422/1102 when the key is reused with another body, and writes nothing', async () => {
    const key = `k-${t.projectId}-b`;
    await probe({ sku: 'b' }, key);
    const other = await probe({ sku: 'b2' }, key);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ statusCode: 422, errorCode: 1102 });
    expect(await probeRows('b2')).toBe(0);
  });

  it('runs every request without a key', async () => {
    await probe({ sku: 'c' });
    await probe({ sku: 'c' });
    expect(await probeRows('c')).toBe(2);
  });

  it('keeps nothing of a failed request: its write is rolled back and the key can be retried', async () => {
    const key = `k-${t.projectId}-d`;
    const failed = await probe({ sku: 'd', fail: true }, key);
    expect(failed.statusCode).toBe(500);
    expect(await probeRows('d')).toBe(0);
    const retried = await probe({ sku: 'd', fail: true }, key);
    expect(retried.statusCode).toBe(500);
    expect(await probeRows('d')).toBe(0);
  });

  it('rejects a malformed key with 422', async () => {
    const res = await probe({ sku: 'e' }, 'x'.repeat(300));
    expect(res.statusCode).toBe(422);
    expect(await probeRows('e')).toBe(0);
  });
});

describe('Idempotency-Key on admin catalog writes (they run as the same unit of work)', () => {
  const item = (sku: string, name = 'Sword') => ({
    sku,
    name: { en: name },
    prices: [{ currency: 'USD', amount: 5, is_default: true }],
  });
  const create = (body: object, key: string) =>
    app.inject({
      method: 'POST',
      url: `/api/v2/project/${t.projectId}/admin/items/virtual_items`,
      headers: { ...t.admin, 'idempotency-key': key },
      payload: body,
    });

  it('creates once and replays the first answer for a retry with the same key', async () => {
    const first = await create(item('idem-sword'), 'create-sword');
    const retry = await create(item('idem-sword'), 'create-sword');
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    const list = await t.adminCall('GET', '/admin/items/virtual_items');
    const skus = (list.json() as { items: { sku: string }[] }).items.map((i) => i.sku);
    expect(skus.filter((s) => s === 'idem-sword')).toHaveLength(1);
  });

  it('refuses the key with another body (422/1102) and changes nothing', async () => {
    expect((await create(item('idem-axe'), 'create-axe')).statusCode).toBe(201);
    const other = await create(item('idem-axe', 'Another name'), 'create-axe');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ errorCode: 1102 });
    const axe = await t.adminCall('GET', '/admin/items/virtual_items/sku/idem-axe');
    expect((axe.json() as { name: Record<string, string> }).name.en).toBe('Sword');
  });
});
