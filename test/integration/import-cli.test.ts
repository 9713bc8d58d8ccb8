/**
 * `itemshop import` and `itemshop export` as the command line runs them (src/cli.ts → modules/connector/cli.ts):
 * arguments, exit codes, the summary and refused entries, unknown projects, files that are not import files.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliDeps } from '../../src/cli.js';
import { createTenant, testApp } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

describe('itemshop import / export', () => {
  let app: FastifyInstance;
  let dir: string;
  let out: string[];
  let err: string[];
  const deps: CliDeps = {
    env: {},
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    openDatabase: async () => ({ ...(await testDatabase()), close: async () => {} }),
  };
  const run = (...args: string[]) => {
    out = [];
    err = [];
    return main(['node', 'itemshop', ...args], deps);
  };

  beforeAll(async () => {
    app = await testApp();
    dir = await mkdtemp(join(tmpdir(), 'itemshop-cli-'));
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('exports a project to a file and imports it into another (exit 0)', async () => {
    const a = await createTenant(app);
    const b = await createTenant(app);
    await a.adminCall('POST', '/admin/items/virtual_currency', { sku: 'gold', name: { en: 'Gold' } });
    await a.adminCall('POST', '/admin/items/virtual_items', {
      sku: 'axe',
      name: { en: 'Axe' },
      vc_prices: [{ sku: 'gold', amount: 3, is_default: true }],
    });
    const file = join(dir, 'a.json');
    expect(await run('export', '--project', String(a.projectId), '--out', file)).toBe(0);
    expect(out).toEqual([`Exported project ${a.projectId} to ${file} (2 entries)`]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({
      virtual_currency: [{ sku: 'gold' }],
      virtual_items: [{ sku: 'axe', vc_prices: [{ sku: 'gold', amount: 3 }] }],
    });

    expect(await run('import', file, '--project', String(b.projectId), '--mode', 'create')).toBe(0);
    expect(out[0]).toMatch(/: done — 2 of 2 entries handled, 0 error\(s\)$/);
    const axe = await b.adminCall('GET', '/admin/items/virtual_items/sku/axe');
    expect(axe.json()).toMatchObject({ vc_prices: [{ sku: 'gold', amount: 3 }] });
  });

  it('export without --out prints the file on stdout', async () => {
    const a = await createTenant(app);
    await a.adminCall('POST', '/admin/items/virtual_currency', { sku: 'ruby', name: { en: 'Ruby' } });
    expect(await run('export', '--project', String(a.projectId))).toBe(0);
    expect(JSON.parse(out.join('\n'))).toMatchObject({ virtual_currency: [{ sku: 'ruby' }] });
  });

  it('lists refused entries and exits 1; the others are imported', async () => {
    const b = await createTenant(app);
    const file = join(dir, 'broken.json');
    await writeFile(
      file,
      JSON.stringify({
        virtual_items: [
          { sku: 'ok', name: { en: 'Ok' } },
          { sku: 'bad', name: { en: 'Bad' }, groups: ['no-such-group'] },
        ],
      }),
    );
    expect(await run('import', file, '--project', String(b.projectId))).toBe(1);
    expect(out[0]).toMatch(/: error — 2 of 2 entries handled, 1 error\(s\)$/);
    expect(out[1]).toBe('  virtual_good bad: [0401-4403]: Item group not found');
    expect((await b.adminCall('GET', '/admin/items/virtual_items/sku/ok')).statusCode).toBe(200);
    expect((await b.adminCall('GET', '/admin/items/virtual_items/sku/bad')).statusCode).toBe(404);
  });

  it('fails with one line for an unknown project, a missing file, a file that is no import file', async () => {
    const b = await createTenant(app);
    const file = join(dir, 'ok.json');
    await writeFile(file, '{"virtual_items": []}');
    expect(await run('import', file, '--project', '2000000000')).toBe(1);
    expect(err).toEqual(['itemshop: Project 2000000000 not found']);
    expect(await run('import', join(dir, 'missing.json'), '--project', String(b.projectId))).toBe(1);
    expect(err[0]).toMatch(/^itemshop: cannot read .*missing\.json/);
    await writeFile(join(dir, 'other.json'), '{"promotions": []}');
    expect(await run('import', join(dir, 'other.json'), '--project', String(b.projectId))).toBe(1);
    expect(err[0]).toMatch(/^itemshop: The file has no item section/);
    expect(await run('export', '--project', '2000000000')).toBe(1);
    expect(err).toEqual(['itemshop: Project 2000000000 not found']);
    expect(await run('import', file, '--project', String(b.projectId), '--mode', 'merge')).not.toBe(0);
  });
});
