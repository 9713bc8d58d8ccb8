/**
 * Import of item files (connector-admin): per-entry errors (a broken row is reported and skipped, never half
 * applied), the modes (create, create_and_update, sync), the file checks answered at once with 422 and the
 * connector's `[0410-…]` prefix, file:// URLs only inside IMPORT_FILE_DIR, and the status read.
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, testApp, type Tenant } from '../helpers/app.js';
import {
  fileServer,
  postImport,
  statusUrl,
  waitForImport,
  type FileServer,
  type StatusBody,
} from './import-helpers.js';

const usd = (amount: number) => [{ amount, currency: 'USD', is_default: true, is_enabled: true }];

describe('import: entries, modes and status', () => {
  let app: FastifyInstance;
  let files: FileServer;
  let n = 0;

  beforeAll(async () => {
    app = await testApp();
    files = await fileServer();
  });
  afterAll(async () => {
    await files?.close();
    await app?.close();
  });

  /** Serves `doc`, imports it into `t` (mode), waits for the end; returns the final status. */
  async function importDoc(t: Tenant, doc: unknown, mode?: string): Promise<StatusBody> {
    const url = files.serve(`/file-${++n}.json`, JSON.stringify(doc));
    const res = await postImport(t, url, mode);
    expect(res.statusCode, res.body).toBe(201);
    return waitForImport(t, (res.json() as { import_id: string }).import_id);
  }
  const get = (t: Tenant, path: string) => t.adminCall('GET', path);

  it('reports a broken row, skips it and imports the rest', async () => {
    const t = await createTenant(app);
    const status = await importDoc(t, {
      virtual_currency: [{ sku: 'gold', name: { en: 'Gold' }, prices: usd(1) }],
      virtual_items: [
        { sku: 'sword', name: { en: 'Sword' }, prices: usd(9.99), vc_prices: [{ sku: 'gold', amount: 10 }] },
        { sku: 'broken', name: { en: 'Broken' }, prices: [{ amount: -1, currency: 'USD' }] },
        { sku: 'shield', name: { en: 'Shield' }, prices: usd(4.99) },
      ],
      bundle: [
        {
          sku: 'kit',
          name: { en: 'Kit' },
          description: { en: 'Sword and shield' },
          content: [{ sku: 'sword' }, { sku: 'shield' }],
          prices: usd(12),
        },
      ],
    });
    expect(status).toMatchObject({ status: 'error', progress: 100, error: null });
    expect(status.result).toMatchObject({
      errors_count: 1,
      total_entities_count: 5,
      processed_entities_count: 5,
    });
    expect(status.result.errors_by_sku).toEqual([
      {
        sku: 'broken',
        type: 'virtual_good',
        error_code: 1102,
        error_message: expect.stringMatching(/^\[0401-1102\]: Unprocessable Entity\. /),
      },
    ]);
    expect((await get(t, '/admin/items/virtual_items/sku/broken')).statusCode).toBe(404);
    for (const path of [
      '/admin/items/virtual_currency/sku/gold',
      '/admin/items/virtual_items/sku/sword',
      '/admin/items/virtual_items/sku/shield',
      '/admin/items/bundle/sku/kit',
    ])
      expect((await get(t, path)).statusCode, path).toBe(200);
    const kit = (await get(t, '/admin/items/bundle/sku/kit')).json() as { content: { sku: string }[] };
    expect(kit.content.map((c) => c.sku)).toEqual(['sword', 'shield']);
  });

  it('never half-applies an entry: one refused late leaves nothing behind', async () => {
    const t = await createTenant(app);
    // the attribute would be created on the way (item attributes create missing ones), then the region is unknown
    const status = await importDoc(t, {
      virtual_items: [
        {
          sku: 'cape',
          name: { en: 'Cape' },
          attributes: [{ external_id: 'material', values: [{ external_id: 'silk', value: { en: 'Silk' } }] }],
          regions: [{ id: 2_000_000_000 }],
        },
      ],
    });
    expect(status.result.errors_by_sku).toEqual([
      expect.objectContaining({ sku: 'cape', type: 'virtual_good', error_code: 1102 }),
    ]);
    expect((await get(t, '/admin/items/virtual_items/sku/cape')).statusCode).toBe(404);
    expect((await get(t, '/admin/attribute/material')).statusCode).toBe(404);
  });

  it('reports entries without sku (1817), of another type, not objects, and missing references', async () => {
    const t = await createTenant(app);
    const status = await importDoc(t, {
      virtual_items: [{ name: { en: 'No sku' } }, 'not an object', { sku: 'coin', type: 'virtual_currency' }],
      virtual_currency_package: [
        { sku: 'pack', name: { en: 'Pack' }, description: null, content: [{ sku: 'nope', quantity: 1 }] },
      ],
      bundle: [{ sku: 'box', name: { en: 'Box' }, description: null, content: [{ sku: 'ghost' }] }],
    });
    const bySku = Object.fromEntries(status.result.errors_by_sku.map((e) => [e.sku, e]));
    expect(status.result.errors_count).toBe(5);
    expect(status.result.errors_by_sku.filter((e) => e.error_code === 1817)).toEqual([
      { sku: '', type: 'virtual_good', error_code: 1817, error_message: "[0410-1817]: SKU can't be empty" },
    ]);
    const connector = status.result.errors_by_sku.filter((e) => e.error_message.startsWith('[0410-1102]'));
    expect(connector.map((e) => e.sku).sort()).toEqual(['', 'coin']);
    expect(connector.find((e) => e.sku === '')?.error_message).toContain('is not an object');
    expect(bySku.coin.error_message).toContain("type 'virtual_currency'");
    expect(bySku.pack).toMatchObject({ type: 'virtual_currency_packages', error_code: 1102 });
    expect(bySku.pack.error_message).toContain("Item with sku = 'nope' not found");
    expect(bySku.box).toMatchObject({ type: 'bundle', error_code: 1102 });
  });

  it('mode create adds new items and reports existing skus (4002) untouched', async () => {
    const t = await createTenant(app);
    await importDoc(t, { virtual_items: [{ sku: 'old', name: { en: 'Old' } }] });
    const status = await importDoc(
      t,
      {
        virtual_items: [
          { sku: 'old', name: { en: 'Renamed' } },
          { sku: 'new', name: { en: 'New' } },
        ],
      },
      'create',
    );
    expect(status.result.errors_by_sku).toEqual([
      {
        sku: 'old',
        type: 'virtual_good',
        error_code: 4002,
        error_message: `[0401-4002]: Item with sku = 'old' already exist in project ${t.projectId}.`,
      },
    ]);
    expect((await get(t, '/admin/items/virtual_items/sku/old')).json()).toMatchObject({
      name: { en: 'Old' },
    });
    expect((await get(t, '/admin/items/virtual_items/sku/new')).statusCode).toBe(200);
  });

  it('mode create_and_update (the default) replaces existing items as admin PUT does', async () => {
    const t = await createTenant(app);
    await importDoc(t, {
      virtual_items: [{ sku: 'old', name: { en: 'Old' }, prices: usd(1), limits: { per_user: 5 } }],
    });
    const status = await importDoc(t, { virtual_items: [{ sku: 'old', name: { en: 'Renamed' } }] });
    expect(status.status).toBe('done');
    const old = (await get(t, '/admin/items/virtual_items/sku/old')).json() as Record<string, unknown>;
    expect(old).toMatchObject({ name: { en: 'Renamed' }, prices: [], limits: { per_user: null } });
  });

  it('an existing sku of another item type is refused (4002), not converted', async () => {
    const t = await createTenant(app);
    await importDoc(t, { virtual_currency: [{ sku: 'gem', name: { en: 'Gem' } }] });
    const status = await importDoc(t, { virtual_items: [{ sku: 'gem', name: { en: 'Gem item' } }] });
    expect(status.result.errors_by_sku).toEqual([expect.objectContaining({ sku: 'gem', error_code: 4002 })]);
    expect((await get(t, '/admin/items/virtual_currency/sku/gem')).statusCode).toBe(200);
  });

  it('mode sync also hides from the store the items missing from the file', async () => {
    const t = await createTenant(app);
    await importDoc(t, {
      virtual_items: [
        { sku: 'kept', name: { en: 'Kept' } },
        { sku: 'dropped', name: { en: 'Dropped' } },
      ],
    });
    const status = await importDoc(t, { virtual_items: [{ sku: 'kept', name: { en: 'Kept' } }] }, 'sync');
    expect(status.status).toBe('done');
    expect((await get(t, '/admin/items/virtual_items/sku/kept')).json()).toMatchObject({
      is_show_in_store: true,
      is_enabled: true,
    });
    expect((await get(t, '/admin/items/virtual_items/sku/dropped')).json()).toMatchObject({
      is_show_in_store: false,
      is_enabled: true,
    });
  });

  it('imports groups, attributes and regions first and maps region ids to the new project', async () => {
    const t = await createTenant(app);
    const status = await importDoc(t, {
      // listed after the items that use them: applied first all the same
      virtual_items: [
        {
          sku: 'bow',
          name: { en: 'Bow' },
          groups: ['ranged'],
          regions: [{ id: 7 }],
          attributes: [{ external_id: 'rarity', values: [{ external_id: 'rare', value: { en: 'Rare' } }] }],
        },
      ],
      groups: [
        { external_id: 'ranged', name: { en: 'Ranged' }, parent_external_id: 'weapons' },
        { external_id: 'weapons', name: { en: 'Weapons' } },
      ],
      attributes: [
        {
          external_id: 'rarity',
          name: { en: 'Rarity' },
          values: ['common', 'rare', 'epic', 'legend', 'mythic', 'unique', 'cursed', 'blessed'].map((v) => ({
            external_id: v,
            value: { en: v },
          })),
        },
      ],
      regions: [{ id: 7, name: { 'en-US': 'Europe' }, countries: ['DE', 'FR'] }],
    });
    expect(status.result.errors_by_sku).toEqual([]);
    expect(status.result.total_entities_count).toBe(5);
    const regions = (await get(t, '/admin/region')).json() as {
      regions: { id: number; countries: string[] }[];
    };
    expect(regions.regions).toHaveLength(1);
    const bow = (await get(t, '/admin/items/virtual_items/sku/bow')).json() as Record<string, unknown>;
    expect(bow).toMatchObject({
      regions: [{ id: regions.regions[0].id }],
      groups: [{ external_id: 'ranged' }],
      attributes: [{ external_id: 'rarity', name: { en: 'Rarity' } }],
    });
    const rarity = (await get(t, '/admin/attribute/rarity')).json() as { values: unknown[] };
    expect(rarity.values).toHaveLength(8);
    const groups = (await get(t, '/admin/items/groups')).json() as {
      groups: { external_id: string; parent_external_id: string | null }[];
    };
    expect(groups.groups.find((g) => g.external_id === 'ranged')?.parent_external_id).toBe('weapons');
  });

  describe('the file is checked in the request (422, prefix 0410)', () => {
    let t: Tenant;
    beforeAll(async () => {
      t = await createTenant(app);
    });
    const expect422 = async (fileUrl: string, code: number, text: RegExp) => {
      const res = await postImport(t, fileUrl);
      expect(res.statusCode, res.body).toBe(422);
      const body = res.json() as { statusCode: number; errorCode: number; errorMessage: string };
      expect(body).toMatchObject({ statusCode: 422, errorCode: code });
      expect(body.errorMessage).toMatch(new RegExp(`^\\[0410-${code}\\]: `));
      expect(body.errorMessage).toMatch(text);
    };

    it('refuses a file not served as application/json (1803)', async () => {
      const url = files.serve('/plain.json', '{"virtual_items": []}', 'text/plain');
      await expect422(url, 1803, /current content type: text\/plain$/);
    });

    it('refuses unreachable files, bad JSON, non-objects, files without item sections', async () => {
      await expect422(files.serve('/gone.json', 'nope', 'application/json', 404), 1102, /answered 404/);
      await expect422(files.serve('/bad.json', '{"virtual_items": ['), 1102, /not valid JSON/);
      await expect422(files.serve('/array.json', '[]'), 1102, /JSON object/);
      await expect422(files.serve('/empty.json', '{"promotions": []}'), 1102, /no item section/);
      await expect422(files.serve('/section.json', '{"virtual_items": {}}'), 1102, /must be an array/);
      await expect422('ftp://127.0.0.1/file.json', 1102, /Only http and https/);
      await expect422('not a url', 1102, /not a valid URL/);
      await expect422('file:///etc/hostname', 1102, /IMPORT_FILE_DIR is not set/);
    });

    it('validates the body (connector prefix too) and stores nothing when refused', async () => {
      const res = await t.adminCall('POST', `/api/v1/projects/${t.projectId}/import/from_external_file`, {
        connector_external_id: 'something_else',
        file_url: 'http://127.0.0.1/x.json',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errorMessage).toMatch(/^\[0410-1102\]: /);
      expect((await t.adminCall('GET', statusUrl(t.projectId))).statusCode).toBe(404);
    });
  });

  it('status: 404 before the first import, then the latest import of the project only', async () => {
    const t = await createTenant(app);
    const other = await createTenant(app);
    const none = await t.adminCall('GET', statusUrl(t.projectId));
    expect(none.statusCode).toBe(404);
    expect(none.json()).toMatchObject({ statusCode: 404, errorCode: 1102 });
    expect(none.json().errorMessage).toMatch(/^\[0410-1102\]: /);

    const first = await importDoc(t, { virtual_items: [{ sku: 'a', name: { en: 'A' } }] });
    const second = await importDoc(t, { virtual_items: [{ sku: 'b', name: { en: 'B' } }, { sku: 'c' }] });
    expect(second.import_id).not.toBe(first.import_id);
    const latest = (await t.adminCall('GET', statusUrl(t.projectId))).json() as StatusBody;
    expect(latest).toMatchObject({ import_id: second.import_id, status: 'error' });
    expect(latest.result).toMatchObject({ total_entities_count: 2, errors_count: 1 });
    expect(latest.date_completed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+03:00$/);
    expect((await other.adminCall('GET', statusUrl(other.projectId))).statusCode).toBe(404);
  });
});

describe('import: file:// URLs only inside IMPORT_FILE_DIR', () => {
  let app: FastifyInstance;
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'itemshop-import-'));
    outside = await mkdtemp(join(tmpdir(), 'itemshop-outside-'));
    app = await testApp({ importFileDir: dir });
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('imports a .json file of the directory', async () => {
    const t = await createTenant(app);
    const file = join(dir, 'items.json');
    await writeFile(file, JSON.stringify({ virtual_items: [{ sku: 'local', name: { en: 'Local' } }] }));
    const res = await postImport(t, pathToFileURL(file).href);
    expect(res.statusCode, res.body).toBe(201);
    const status = await waitForImport(t, (res.json() as { import_id: string }).import_id);
    expect(status.status).toBe('done');
    expect((await t.adminCall('GET', '/admin/items/virtual_items/sku/local')).statusCode).toBe(200);
  });

  it('refuses files outside it, links leading outside, and files not named .json', async () => {
    const t = await createTenant(app);
    const secret = join(outside, 'secret.json');
    await writeFile(secret, '{"virtual_items": []}');
    await symlink(secret, join(dir, 'link.json'));
    await writeFile(join(dir, 'items.txt'), '{"virtual_items": []}');
    for (const [url, text] of [
      [pathToFileURL(secret).href, /only name files inside IMPORT_FILE_DIR/],
      [pathToFileURL(join(dir, 'link.json')).href, /only name files inside IMPORT_FILE_DIR/],
      [pathToFileURL(join(dir, '..', 'x.json')).href, /does not exist|inside IMPORT_FILE_DIR/],
      [pathToFileURL(join(dir, 'items.txt')).href, /content-type/],
    ] as const) {
      const res = await postImport(t, url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(422);
      expect(res.json().errorMessage, url).toMatch(text);
    }
  });
});
