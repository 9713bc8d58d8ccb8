/**
 * Contract of the import connector (endpoints.tsv group connector-admin, 2 operations): every response of
 * import-items-from-external-file and get-items-import-status — success, per-item errors, file refusals, wrong
 * credentials — is validated against the official spec's schema for its status.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTenant, testApp, type Tenant } from '../helpers/app.js';
import {
  fileServer,
  importUrl,
  postImport,
  statusUrl,
  waitForImport,
  type FileServer,
} from '../integration/import-helpers.js';
import { ContractRecorder } from './contract.js';
import { SKIP_NOTE, specAvailable } from './spec.js';

if (!specAvailable) console.warn(SKIP_NOTE);

const GROUPS_COVERED = ['connector-admin'] as const;

describe.skipIf(!specAvailable)('contract: import connector', () => {
  let app: FastifyInstance;
  let files: FileServer;
  let t: Tenant;
  const rec = new ContractRecorder();
  const wrongKey = () => ({ authorization: basic(t.projectId, 'not-the-key') });

  beforeAll(async () => {
    app = await testApp();
    files = await fileServer();
    t = await createTenant(app);
  });
  afterAll(async () => {
    await files?.close();
    await app?.close();
  });

  it('import: 201 with the import id; status: 200 while and after it runs, with per-item errors', async () => {
    const url = files.serve(
      '/items.json',
      JSON.stringify({
        virtual_currency: [{ sku: 'gold', name: { en: 'Gold' }, type: 'virtual_currency' }],
        virtual_items: [
          { sku: 'sword', name: { en: 'Sword' }, vc_prices: [{ sku: 'gold', amount: 5 }] },
          { sku: 'bad', name: { en: 'Bad' }, vc_prices: [{ sku: 'nope', amount: 5 }] },
          { name: { en: 'No sku' } },
        ],
        virtual_currency_package: [
          {
            sku: 'gold_pack',
            name: { en: 'Pack' },
            description: null,
            content: [{ sku: 'nope', quantity: 1 }],
          },
        ],
        bundle: [{ sku: 'kit', name: { en: 'Kit' }, description: null, content: [{ sku: 'ghost' }] }],
      }),
    );
    const res = await postImport(t, url, 'create_and_update');
    expect(res.statusCode, res.body).toBe(201);
    const { import_id } = rec.check('import-items-from-external-file', res) as { import_id: string };

    // right after the call (initialized or process), then finished (error: some entries were refused)
    rec.check('get-items-import-status', await t.adminCall('GET', statusUrl(t.projectId)));
    const done = await waitForImport(t, import_id);
    expect(done.status).toBe('error');
    expect(done.result.errors_by_sku.map((e) => e.type).sort()).toEqual([
      'bundle',
      'virtual_currency_packages',
      'virtual_good',
      'virtual_good',
    ]);
    rec.check('get-items-import-status', await t.adminCall('GET', statusUrl(t.projectId)));
  });

  it('status of an import without errors (done)', async () => {
    const u = await createTenant(app);
    const url = files.serve('/ok.json', JSON.stringify({ virtual_items: [{ sku: 'a', name: { en: 'A' } }] }));
    const res = await postImport(u, url);
    rec.check('import-items-from-external-file', res);
    await waitForImport(u, (res.json() as { import_id: string }).import_id);
    const status = await u.adminCall('GET', statusUrl(u.projectId));
    expect(status.json()).toMatchObject({ status: 'done', progress: 100 });
    rec.check('get-items-import-status', status);
  });

  it('import: 422 for a file not served as JSON, an unreadable file, an invalid body', async () => {
    const plain = await postImport(t, files.serve('/plain.json', '{}', 'text/plain'));
    expect(plain.statusCode).toBe(422);
    expect(rec.check('import-items-from-external-file', plain)).toMatchObject({ errorCode: 1803 });
    const missing = await postImport(t, files.serve('/missing.json', 'gone', 'application/json', 404));
    expect(missing.statusCode).toBe(422);
    rec.check('import-items-from-external-file', missing);
    const invalid = await t.adminCall('POST', importUrl(t.projectId), {
      file_url: 'http://127.0.0.1/x.json',
    });
    expect(invalid.statusCode).toBe(422);
    rec.check('import-items-from-external-file', invalid);
  });

  it('both: 401 for a wrong key', async () => {
    const body = { connector_external_id: 'import_items', file_url: 'http://127.0.0.1/x.json' };
    const post = await app.inject({
      method: 'POST',
      url: importUrl(t.projectId),
      headers: wrongKey(),
      payload: body,
    });
    expect(post.statusCode).toBe(401);
    rec.check('import-items-from-external-file', post);
    const get = await app.inject({ method: 'GET', url: statusUrl(t.projectId), headers: wrongKey() });
    expect(get.statusCode).toBe(401);
    rec.check('get-items-import-status', get);
  });

  it('status: 404 for a project without imports (not among the documented statuses: envelope only)', async () => {
    const u = await createTenant(app);
    const res = await u.adminCall('GET', statusUrl(u.projectId));
    expect(res.statusCode).toBe(404);
    rec.check('get-items-import-status', res, { undocumented: true });
  });

  it('validated every operation of its group against the spec', () => {
    rec.expectCovered(GROUPS_COVERED);
  });
});
