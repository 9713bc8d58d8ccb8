/**
 * Delta reload of the catalog snapshot (ADR 0019, issue 7 item 5): after a write that names the items it changed,
 * a process brings its snapshot up to the new version by reloading only those items — and the result is exactly
 * what a full load of that version gives. A write of unknown extent (a group) makes the next load a full one.
 * "Another process" is a second CatalogStore on the same database, told of the new version as sync.ts would.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogStore } from '../../src/catalog/store.js';
import { createCatalogSource } from '../../src/modules/catalog/source.js';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
let t: Tenant;

beforeAll(async () => {
  app = await testApp();
  t = await createTenant(app);
});
afterAll(async () => app.close());

const item = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: { en: `Item ${sku}` },
  prices: [{ amount: 1.5, currency: 'USD', is_default: true }],
  ...extra,
});

async function admin(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown) {
  const res = await t.adminCall(method, path, body);
  expect(res.statusCode, res.body).toBeLessThan(300);
}

const version = async () =>
  Number(
    (
      await app.services.database.db
        .selectFrom('projects')
        .select('catalog_version')
        .where('project_id', '=', t.projectId)
        .executeTakeFirstOrThrow()
    ).catalog_version,
  );

/** What a snapshot holds, comparable across loads. */
async function contents(store: CatalogStore) {
  const s = (await store.snapshot(t.projectId))!;
  return {
    version: s.version,
    items: JSON.parse(JSON.stringify(s.ordered)) as unknown[],
    skus: s.ordered.map((i) => i.sku),
    keys: [...s.availableKeys].sort(),
  };
}

describe('delta reload', () => {
  it('reloads only the changed items, and ends where a full load of the same version ends', async () => {
    for (const sku of ['a', 'b', 'c']) await admin('POST', '/admin/items/virtual_items', item(sku));
    const other = new CatalogStore(createCatalogSource(app.services.database.db));
    expect((await contents(other)).skus).toEqual(['c', 'b', 'a']);
    expect(other.loads).toEqual({ full: 1, delta: 0 });

    // replace one, add one placed first by `order`, delete one: three writes, three versions
    await admin('PUT', '/admin/items/virtual_items/sku/b', item('b', { name: { en: 'Renamed' }, order: 5 }));
    await admin('POST', '/admin/items/virtual_items', item('d', { order: -1 }));
    await admin('DELETE', '/admin/items/virtual_items/sku/a');
    other.invalidate(t.projectId, await version());
    const after = await contents(other);
    expect(other.loads).toEqual({ full: 1, delta: 1 });
    expect(after.skus).toEqual(['d', 'c', 'b']);
    const fresh = new CatalogStore(createCatalogSource(app.services.database.db));
    expect(after).toEqual(await contents(fresh));
    expect(fresh.loads).toEqual({ full: 1, delta: 0 });
  });

  it('the writing process itself reads its write at once, through a delta', async () => {
    const get = (sku: string) =>
      app.inject({ url: `/api/v2/project/${t.projectId}/items/virtual_items/sku/${sku}` });
    expect((await get('c')).statusCode).toBe(200); // the snapshot is loaded
    const before = { ...app.services.catalog.loads };
    await admin('POST', '/admin/items/virtual_items', item('e'));
    const res = await get('e');
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('Item e');
    expect(app.services.catalog.loads.delta).toBe(before.delta + 1);
    expect(app.services.catalog.loads.full).toBe(before.full);
  });

  it('a write of unknown extent in the range makes the next load a full one', async () => {
    const other = new CatalogStore(createCatalogSource(app.services.database.db));
    await contents(other);
    await admin('POST', '/admin/items/virtual_items', item('f'));
    await admin('POST', '/admin/items/groups', { external_id: 'g1', name: { en: 'G1' } });
    other.invalidate(t.projectId, await version());
    const after = await contents(other);
    expect(other.loads).toEqual({ full: 2, delta: 0 });
    expect(after).toEqual(await contents(new CatalogStore(createCatalogSource(app.services.database.db))));
  });
});
