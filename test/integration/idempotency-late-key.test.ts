import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { writeOptions } from '../../src/http/write.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from '../../src/db/types.js';
import { testEngine } from '../helpers/db.js';

// On PostgreSQL the key is recorded by another connection (its own pool: the app's pool refuses a connection
// from inside a unit of work); on PGlite (one connection) by the request's own transaction.
const other = process.env.TEST_DATABASE_URL
  ? new Kysely<DB>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1 }),
      }),
    })
  : undefined;

// The Idempotency-Key of the unit of work (src/db/unit-of-work.ts, src/http/write.ts) when the key's row appears after its first statement read
// "no such key" and took the lock: what a first request with the same key committing in between looks like.
// On PostgreSQL the row is committed from a second connection (as that first request would); PGlite has one
// connection, so the row is written in the request's own transaction, which conflicts the same way.
let app: FastifyInstance;
let t: Tenant;
let runs = 0;
const run = Math.random().toString(36).slice(2, 10); // probe rows of this run only (shared PostgreSQL)
const url = () => `/test/project/${t.projectId}/late-key`;
const stored = { status: 201, body: { sku: 'first', run: 0 } };

beforeAll(async () => {
  app = await testApp();
  app.post<{ Params: { project_id: string }; Body: { sku: string } }>(
    '/test/project/:project_id/late-key',
    async (req, reply) => {
      req.auth = { projectId: Number(req.params.project_id) };
      const result = await req.server.services.unitOfWork.run(writeOptions(req, reply), async ({ trx }) => {
        runs += 1;
        await trx
          .insertInto('merchants')
          .values({ name: `late-${run}-${req.body.sku}-${runs}` })
          .execute();
        const row = {
          scope: `${t.projectId}:admin`,
          key: String(req.headers['idempotency-key']),
          request_hash: createHash('sha256')
            .update(`POST ${url()}\n${JSON.stringify(req.body)}`)
            .digest('hex'),
          status_code: stored.status,
          response_body: JSON.stringify(stored.body),
        };
        await (other ?? trx).insertInto('idempotency_keys').values(row).execute();
        return { sku: req.body.sku, run: runs };
      });
      return reply.code(201).send(result);
    },
  );
  t = await createTenant(app);
});
afterAll(async () => {
  await app.close();
  await other?.destroy();
});

const probeRows = async (sku: string) =>
  (
    await app.services.database.db
      .selectFrom('merchants')
      .select('name')
      .where('name', 'like', `late-${run}-${sku}-%`)
      .execute()
  ).length;

describe('Idempotency-Key recorded by another transaction while the request runs', () => {
  it('answers 409, rolls the work back, and a retry replays the recorded answer', async () => {
    const key = `late-${t.projectId}`;
    const send = () =>
      app.inject({ method: 'POST', url: url(), headers: { 'idempotency-key': key }, payload: { sku: 'x' } });
    const res = await send();
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ statusCode: 409, errorCode: 0 });
    expect(await probeRows('x')).toBe(0);
    expect(runs).toBe(1);
    if (testEngine !== 'postgres') return; // the row was rolled back with the request on PGlite
    const retry = await send();
    expect(retry.statusCode).toBe(stored.status);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json()).toEqual(stored.body);
    expect(runs).toBe(1);
    expect(await probeRows('x')).toBe(0);
  });
});
