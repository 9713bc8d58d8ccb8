/**
 * Export → import reproduces a catalog: the demo project (59080) exported by `itemshop export` and imported into a
 * new empty project — through the API (file served over HTTP) and through `itemshop import` — gives the same admin
 * view of every item (virtual currencies, virtual items, packages, bundles, games; ids and game-code counters
 * aside), the same groups, attributes and regions; exporting the copy gives the same file again.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, DEMO_PROJECT_ID } from '../../src/demo/seed.js';
import { exportCommand, importCommand, type ProgressSink } from '../../src/modules/connector/cli.js';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';
import {
  ADMIN_PATH,
  adminStructure,
  adminViews,
  fileServer,
  postImport,
  waitForImport,
  type FileServer,
} from './import-helpers.js';

/** A progress sink that records what it was told. */
function recorder() {
  const calls: { total?: number; updates: number[]; stopped: boolean } = { updates: [], stopped: false };
  const sink: ProgressSink = {
    start: (total) => (calls.total = total),
    update: (done) => calls.updates.push(done),
    stop: () => (calls.stopped = true),
  };
  return { calls, sink };
}

describe('export → import of the demo project', () => {
  let app: FastifyInstance;
  let files: FileServer;
  let dir: string;
  let demo: Pick<Tenant, 'projectId' | 'admin' | 'adminCall'>;
  let exported: string;
  let doc: Record<string, unknown>;
  let source: Map<string, unknown>;

  beforeAll(async () => {
    app = await testApp();
    files = await fileServer();
    dir = await mkdtemp(join(tmpdir(), 'itemshop-export-'));
    const seeded = await seedDemo(app.services);
    const key = await app.services.tenancy.createApiKey(seeded.merchantId, DEMO_PROJECT_ID, 'import-test');
    const admin = { authorization: basic(DEMO_PROJECT_ID, key) };
    demo = {
      projectId: DEMO_PROJECT_ID,
      admin,
      adminCall: (method, path, payload) =>
        app.inject({
          method,
          url: path.startsWith('/api/') ? path : `/api/v2/project/${DEMO_PROJECT_ID}${path}`,
          headers: admin,
          ...(payload === undefined ? {} : { payload: payload as object }),
        }),
    };

    const out: string[] = [];
    const bar = recorder();
    const file = join(dir, 'demo.json');
    const code = await exportCommand(app.services, {
      projectId: DEMO_PROJECT_ID,
      outFile: file,
      out: (l) => out.push(l),
      progress: bar.sink,
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toContain(`Exported project ${DEMO_PROJECT_ID} to ${file}`);
    expect(bar.calls.stopped).toBe(true);
    expect(bar.calls.updates.at(-1)).toBe(bar.calls.total);
    exported = await readFile(file, 'utf8');
    doc = JSON.parse(exported) as Record<string, unknown>;
    source = await adminViews(app, DEMO_PROJECT_ID, admin, doc);
  });
  afterAll(async () => {
    await files?.close();
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('exports every item type of the demo in the import file format, without game codes', () => {
    const skus = (section: string) => (doc[section] as { sku: string }[]).map((e) => e.sku);
    expect(skus('virtual_currency')).toEqual(expect.arrayContaining(['gold', 'silver', 'bronze']));
    expect(skus('virtual_currency_package')).toEqual(expect.arrayContaining(['gold_chest', 'silver_chest']));
    expect(skus('virtual_items').length).toBeGreaterThanOrEqual(7);
    expect(skus('bundle')).toEqual(expect.arrayContaining(['armor_chest', 'treasure_chest']));
    expect(skus('game')).toEqual(['xsollus_basic_edition']);
    expect((doc.groups as { external_id: string }[]).map((g) => g.external_id)).toEqual(
      expect.arrayContaining(['swords', 'bows', 'armour']),
    );
    // entries carry their admin type, as the Xsolla template does
    expect((doc.virtual_currency as { type: string }[])[0].type).toBe('virtual_currency');
    expect(exported).not.toContain('XSOLLUS-STEAM-0001');
    expect(source.size).toBe(Object.keys(ADMIN_PATH).reduce((n, s) => n + (doc[s] as unknown[]).length, 0));
  });

  it('imports through the API into an empty project: the same admin view of every item', async () => {
    const t = await createTenant(app);
    const url = files.serve('/demo.json', exported);
    const res = await postImport(t, url);
    expect(res.statusCode, res.body).toBe(201);
    const { import_id } = res.json() as { import_id: string };
    expect(import_id).toMatch(/^[0-9a-f]{32}$/);

    const status = await waitForImport(t, import_id);
    expect(status.result.errors_by_sku).toEqual([]);
    expect(status).toMatchObject({ status: 'done', progress: 100, error: null, error_code: null });
    expect(status.result.processed_entities_count).toBe(status.result.total_entities_count);
    expect(status.date_completed).not.toBe('');

    const copy = await adminViews(app, t.projectId, t.admin, doc);
    expect(copy).toEqual(source);
    expect(await adminStructure(t)).toEqual(await adminStructure(demo));
  });

  it('imports with `itemshop import` (a local file): the same result, with a progress bar', async () => {
    const t = await createTenant(app);
    const out: string[] = [];
    const bar = recorder();
    const code = await importCommand(app.services, {
      source: join(dir, 'demo.json'),
      projectId: t.projectId,
      out: (l) => out.push(l),
      progress: bar.sink,
    });
    expect(code, out.join('\n')).toBe(0);
    expect(out[0]).toMatch(new RegExp(`^Import [0-9a-f]{32} into project ${t.projectId}: done — `));
    const entries = ['virtual_currency', 'virtual_items', 'virtual_currency_package', 'bundle', 'game']
      .concat(['groups', 'attributes', 'regions'])
      .reduce((n, s) => n + (doc[s] as unknown[]).length, 0);
    expect(bar.calls.total).toBe(entries);
    expect(bar.calls.updates.at(-1)).toBe(bar.calls.total);
    expect(bar.calls.updates).toEqual([...bar.calls.updates].sort((a, b) => a - b));
    expect(bar.calls.stopped).toBe(true);

    expect(await adminViews(app, t.projectId, t.admin, doc)).toEqual(source);
    expect(await adminStructure(t)).toEqual(await adminStructure(demo));

    // the command-line import is the project's latest import for get-items-import-status too
    const status = (
      await t.adminCall('GET', `/api/v1/admin/projects/${t.projectId}/connectors/import_items/import/status`)
    ).json();
    expect(status).toMatchObject({ status: 'done', progress: 100 });

    // and exporting the copy gives the same file (metadata aside)
    const again: string[] = [];
    await exportCommand(app.services, { projectId: t.projectId, out: (l) => again.push(l) });
    const copy = JSON.parse(again.join('\n')) as Record<string, unknown>;
    const { itemshop: _a, ...first } = doc;
    const { itemshop: _b, ...second } = copy;
    expect(second).toEqual(first);
    expect((copy.itemshop as { item_order: string[] }).item_order).toEqual(
      (doc.itemshop as { item_order: string[] }).item_order,
    );
  });

  it('imports the same file again (create_and_update) without changing anything', async () => {
    const t = await createTenant(app);
    const url = files.serve('/demo-twice.json', exported);
    for (let i = 0; i < 2; i++) {
      const res = await postImport(t, url);
      expect(res.statusCode, res.body).toBe(201);
      const status = await waitForImport(t, (res.json() as { import_id: string }).import_id);
      expect(status.status, JSON.stringify(status.result.errors_by_sku)).toBe('done');
    }
    expect(await adminViews(app, t.projectId, t.admin, doc)).toEqual(source);
    expect(await adminStructure(t)).toEqual(await adminStructure(demo));
  });
});
