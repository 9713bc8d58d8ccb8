/**
 * Imports survive restarts (docs/decisions/0012-catalog-import-export.md): a worker that stops gracefully gives
 * its import back after the entry in progress and any worker resumes it; a worker that dies keeps its lease until
 * it ends, then another resumes at the first unrecorded entry — without reporting that entry's own write — and an
 * import that keeps dying is ended as failed. The status shows the progress of an unfinished import.
 */
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS } from '../../src/modules/connector/service.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import { statusUrl, waitForImport, type StatusBody } from './import-helpers.js';

/** A currency and `n` virtual items priced in it (entries: the currency first, then item_0 … item_n-1). */
const fileOf = (n: number) =>
  JSON.stringify({
    virtual_items: Array.from({ length: n }, (_, i) => ({
      sku: `item_${i}`,
      name: { en: `Item ${i}` },
      vc_prices: [{ sku: 'gold', amount: i + 1, is_default: true }],
    })),
    virtual_currency: [{ sku: 'gold', name: { en: 'Gold' } }],
  });

describe('import: restarts', () => {
  let app: FastifyInstance;
  const db = () => app.services.database.db;
  const imports = () => app.services.imports;
  const job = (id: string) =>
    db()
      .selectFrom('import_jobs')
      .select(['status', 'processed', 'total', 'locked_by', 'attempts'])
      .where('import_id', '=', id)
      .executeTakeFirstOrThrow();
  const endLease = (id: string) =>
    db()
      .updateTable('import_jobs')
      .set({ locked_until: sql<Date>`clock_timestamp() - interval '1 second'` })
      .where('import_id', '=', id)
      .execute();
  const itemCount = async (t: Tenant) =>
    ((await t.adminCall('GET', '/admin/items/virtual_items?limit=50')).json() as { items: unknown[] }).items
      .length;

  beforeAll(async () => {
    app = await testApp();
    await app.ready(); // starts this app's import worker
  });
  afterAll(async () => app?.close());

  it('a worker stopped gracefully gives the import back; it is resumed to the end, each entry once', async () => {
    const t = await createTenant(app);
    const id = await imports().create(t.projectId, 'test', fileOf(8), 'create', 'runner-a');
    const stop = new AbortController();
    const seen: number[] = [];
    const finished = await imports().run(id, 'runner-a', {
      signal: stop.signal,
      onProgress: (done) => {
        seen.push(done);
        if (done === 3) stop.abort();
      },
    });
    expect(finished).toBe(false);
    expect(seen).toEqual([0, 1, 2, 3]);

    const status = await waitForImport(t, id); // resumed by a worker
    expect(status.result.errors_by_sku).toEqual([]);
    expect(status).toMatchObject({ status: 'done', progress: 100 });
    expect(status.result).toMatchObject({ total_entities_count: 9, processed_entities_count: 9 });
    expect(await itemCount(t)).toBe(8);
  });

  it('a dead worker keeps its import until its lease ends; then it is resumed at its cursor', async () => {
    const t = await createTenant(app);
    const id = await imports().create(t.projectId, 'test', fileOf(5), 'create', 'dead-worker');
    await expect(
      imports().run(id, 'dead-worker', {
        onProgress: (done) => {
          if (done === 2) throw new Error('killed'); // dies after recording gold and item_0
        },
      }),
    ).rejects.toThrow('killed');
    // …having already written the next entry (item_1) without recording it
    const write = await t.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'item_1',
      name: { en: 'Item 1' },
      vc_prices: [{ sku: 'gold', amount: 2, is_default: true }],
    });
    expect(write.statusCode, write.body).toBe(201);

    // while the lease runs nobody takes it, and the status shows where it stands
    expect(await job(id)).toMatchObject({
      status: 'process',
      processed: 2,
      total: 6,
      locked_by: 'dead-worker',
    });
    const running = (await t.adminCall('GET', statusUrl(t.projectId))).json() as StatusBody;
    expect(running).toMatchObject({ import_id: id, status: 'process', progress: 33, date_completed: '' });
    expect(running.result).toMatchObject({ processed_entities_count: 2, total_entities_count: 6 });

    await endLease(id);
    const status = await waitForImport(t, id);
    // mode create, yet item_1 is not reported as existing: it is the interrupted entry's own write
    expect(status.result.errors_by_sku).toEqual([]);
    expect(status).toMatchObject({ status: 'done' });
    expect(status.result.processed_entities_count).toBe(6);
    expect(await itemCount(t)).toBe(5);
  });

  it('an item that existed before the interrupted entry started is still reported (mode create)', async () => {
    const t = await createTenant(app);
    await t.adminCall('POST', '/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } });
    await t.adminCall('POST', '/admin/items/virtual_items', { sku: 'item_1', name: { en: 'Older' } });
    const id = await imports().create(t.projectId, 'test', fileOf(3), 'create', 'dead-worker');
    await expect(
      imports().run(id, 'dead-worker', {
        onProgress: (done) => {
          if (done === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    await endLease(id);
    const status = await waitForImport(t, id);
    expect(status.result.errors_by_sku.map((e) => [e.sku, e.error_code])).toEqual([
      ['gold', 4002],
      ['item_1', 4002],
    ]);
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/item_1')).json()).toMatchObject({
      name: { en: 'Older' },
    });
  });

  it(`an import interrupted ${MAX_ATTEMPTS} times is ended as failed`, async () => {
    const t = await createTenant(app);
    const id = await imports().create(t.projectId, 'test', fileOf(2), 'create_and_update', 'dead-worker');
    await db()
      .updateTable('import_jobs')
      .set({ attempts: MAX_ATTEMPTS, status: 'process' })
      .where('import_id', '=', id)
      .execute();
    await endLease(id);
    const status = await waitForImport(t, id);
    expect(status).toMatchObject({
      status: 'error',
      progress: 100,
      error: 'The import was interrupted too many times and was stopped',
      error_code: '0',
    });
    expect(status.result.processed_entities_count).toBe(0);
    expect(await itemCount(t)).toBe(0);
  });
});
