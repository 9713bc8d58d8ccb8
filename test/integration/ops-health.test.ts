/**
 * Health endpoints for load balancers and orchestrators (issue 15 item 4): `/health/live` answers while the
 * process runs; `/health/ready` is 200 only when the database answers, every migration is applied and the catalog
 * loads — 503 with the failing check named otherwise, and from the moment a graceful shutdown starts.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { DB } from '../../src/db/types.js';
import { readiness } from '../../src/ops/health.js';
import { createTenant, testApp } from '../helpers/app.js';
import { testDatabase, testEngine } from '../helpers/db.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

const noCatalog = { snapshot: async () => null } as never;

describe('health endpoints', () => {
  it('/health/live answers 200 ok', async () => {
    const res = await app.inject('/health/live');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('/health/ready answers 200 with each check ok, not cached', async () => {
    const res = await app.inject('/health/ready');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({
      status: 'ok',
      engine: testEngine,
      checks: { database: 'ok', migrations: 'ok', catalog: 'ok' },
    });
  });

  it('is not ready when the database does not answer', async () => {
    const pool = new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    try {
      const r = await readiness({ database: { db, engine: 'postgres' } as never, catalog: noCatalog });
      expect(r.ready).toBe(false);
      expect(r.body.status).toBe('unavailable');
      expect(r.body.checks.database).toMatch(/ECONNREFUSED/);
      expect(r.body.checks.migrations).toBe('not checked (database)');
    } finally {
      await db.destroy();
    }
  });

  it('is not ready when a migration is missing, and names it', async () => {
    const { db } = await testDatabase();
    // In a transaction that is rolled back: the database seen through it lacks one migration.
    const rollback = new Error('rollback');
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`DELETE FROM kysely_migration WHERE name = '0006_webhooks'`.execute(trx);
        const r = await readiness({ database: { db: trx, engine: testEngine } as never, catalog: noCatalog });
        expect(r.ready).toBe(false);
        expect(r.body.checks.migrations).toBe('1 not applied (0006_webhooks): run itemshop migrate');
        expect(r.body.checks.database).toBe('ok');
        throw rollback;
      })
      .catch((e: unknown) => {
        if (e !== rollback) throw e;
      });
  });

  it('is not ready when the catalog cannot be loaded', async () => {
    await createTenant(app); // a project whose catalog the check loads
    const failing = { snapshot: async () => Promise.reject(new Error('cannot read items')) } as never;
    const r = await readiness({ database: app.services.database, catalog: failing });
    expect(r.ready).toBe(false);
    expect(r.body.checks.catalog).toBe('cannot read items');
  });

  it('answers 503 once a graceful shutdown has started', async () => {
    const other = await testApp();
    let during: number | undefined;
    other.addHook('preClose', async () => {
      during = (await fetch(`${url}/health/ready`)).status;
    });
    const url = await other.listen({ port: 0, host: '127.0.0.1' });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    await other.close();
    expect(during).toBe(503);
  });
});
