/**
 * Several real server processes on one PostgreSQL stay consistent (issue 7 item 5, ADR 0012): an admin write on
 * one process is visible in the catalog of every other, through LISTEN/NOTIFY (and Redis pub/sub when REDIS_URL is
 * set). Each process has read the catalog before the write, so it holds a snapshot that only the broadcast can
 * invalidate: the periodic version recheck is turned off (CATALOG_SYNC_RECHECK_SECONDS=0) so the test sees the
 * broadcast alone. The propagation time is printed, not asserted (speed is measured in bench/).
 *
 * `serve --workers 2` also answers `/metrics` with the aggregate of both workers (ADR 0050).
 *
 * Needs TEST_DATABASE_URL (skipped without it); the Redis variant also needs Redis on 127.0.0.1:6379.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TenancyService } from '../../src/modules/tenancy/service.js';
import { basic } from '../helpers/app.js';
import { sample } from '../helpers/prometheus.js';
import { testDatabase } from '../helpers/db.js';
import { PG_URL, REDIS_URL, redisUp, serve, stop, type Proc } from '../helpers/serve.js';

if (!PG_URL) console.warn('multiprocess: TEST_DATABASE_URL is not set — the multi-process tests are skipped');
const withRedis = PG_URL ? await redisUp() : false;

/** GET on a new connection each time (so a cluster spreads them over its workers). */
function getFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Project {
  projectId: number;
  auth: string;
}

async function newProject(): Promise<Project> {
  const tenancy = new TenancyService((await testDatabase()).db);
  const tag = randomBytes(4).toString('hex');
  const merchantId = await tenancy.createMerchant(`mp-merchant-${tag}`);
  const projectId = await tenancy.createProject(merchantId, `mp-project-${tag}`);
  const key = await tenancy.createApiKey(merchantId, projectId, 'mp');
  return { projectId, auth: basic(projectId, key) };
}

const itemBody = (sku: string, amount: number) => ({
  sku,
  name: { en: `Item ${sku}` },
  prices: [{ amount, currency: 'USD', is_default: true, is_enabled: true }],
});

async function admin(p: Proc, project: Project, method: string, path: string, body?: unknown) {
  const res = await fetch(`${p.base}/api/v2/project/${project.projectId}${path}`, {
    method,
    headers: {
      authorization: project.auth,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  expect(res.status, text).toBeLessThan(300);
}

type Items = { items: { sku: string; price: { amount: string } | null }[] };
const catalogOf = async (p: Proc, project: Project) =>
  JSON.parse(
    (await getFresh(`${p.base}/api/v2/project/${project.projectId}/items/virtual_items`)).body,
  ) as Items;

/** Polls `p`'s catalog until `accept` holds; returns the ms it took (fails after 10 s). */
async function until(p: Proc, project: Project, accept: (c: Items) => boolean): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 10_000) {
    if (accept(await catalogOf(p, project))) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('the change never became visible on the other process');
}

const has = (sku: string, amount?: string) => (c: Items) =>
  c.items.some((i) => i.sku === sku && (amount === undefined || i.price?.amount === amount));

/** Two servers: write on one, see it on the other; then the other way round; then a delete. */
async function twoServerRoundTrip(a: Proc, b: Proc, label: string) {
  const project = await newProject();
  // Both hold a snapshot (empty catalog) before the writes.
  expect((await catalogOf(a, project)).items).toEqual([]);
  expect((await catalogOf(b, project)).items).toEqual([]);

  await admin(a, project, 'POST', '/admin/items/virtual_items', itemBody('mp_sword', 1.5));
  const created = await until(b, project, has('mp_sword', '1.50'));

  await admin(b, project, 'PUT', '/admin/items/virtual_items/sku/mp_sword', itemBody('mp_sword', 2.25));
  const updated = await until(a, project, has('mp_sword', '2.25'));

  await admin(a, project, 'DELETE', '/admin/items/virtual_items/sku/mp_sword');
  const deleted = await until(b, project, (c) => !has('mp_sword')(c));
  console.info(
    `multiprocess (${label}): visible on the other process after ${created.toFixed(1)} ms (create), ` +
      `${updated.toFixed(1)} ms (update), ${deleted.toFixed(1)} ms (delete), measured from the admin answer`,
  );
}

describe.skipIf(!PG_URL)('two server processes on one PostgreSQL (LISTEN/NOTIFY)', () => {
  let a: Proc | undefined;
  let b: Proc | undefined;
  beforeAll(async () => {
    [a, b] = await Promise.all([serve({}), serve({})]);
  });
  afterAll(async () => Promise.all([stop(a), stop(b)]));

  it('shows an admin write of one process in the catalog of the other', async () => {
    await twoServerRoundTrip(a!, b!, 'NOTIFY');
  });
});

describe.skipIf(!PG_URL)('serve --workers 2', () => {
  let c: Proc | undefined;
  beforeAll(async () => {
    c = await serve({}, ['--workers', '2']);
  });
  afterAll(async () => stop(c));

  it('runs two worker processes that all serve the latest catalog', async () => {
    const project = await newProject();
    // Many fresh connections reach both workers (round robin): each loads its snapshot.
    for (let i = 0; i < 10; i++) expect((await catalogOf(c!, project)).items).toEqual([]);
    await admin(c!, project, 'POST', '/admin/items/virtual_items', itemBody('mp_shield', 3));
    await until(c!, project, has('mp_shield', '3.00'));
    // Once one answer shows it, every later answer does, whichever worker gives it.
    for (let i = 0; i < 20; i++) expect(has('mp_shield', '3.00')(await catalogOf(c!, project))).toBe(true);
    await admin(c!, project, 'PUT', '/admin/items/virtual_items/sku/mp_shield', itemBody('mp_shield', 4));
    await until(c!, project, has('mp_shield', '4.00'));
    for (let i = 0; i < 20; i++) expect(has('mp_shield', '4.00')(await catalogOf(c!, project))).toBe(true);
  });

  it('answers /metrics on the shared port with the sum of every worker (aggregated by the primary)', async () => {
    const project = await newProject();
    const count = (text: string) =>
      sample(text, 'itemshop_http_requests_total', {
        operation: 'get-virtual-items',
        method: 'GET',
        status: '200',
      }) ?? 0;
    const before = count((await getFresh(`${c!.base}/metrics`)).body);
    for (let i = 0; i < 20; i++) expect((await catalogOf(c!, project)).items).toEqual([]);
    // Whichever worker answers the scrape (fresh connections), the answer counts the requests of both.
    for (let i = 0; i < 4; i++) {
      const scrape = await getFresh(`${c!.base}/metrics`);
      expect(scrape.status).toBe(200);
      expect(count(scrape.body) - before).toBe(20);
      // Both workers reported: their pools (10 connections each by default) add up; the version is not summed.
      expect(sample(scrape.body, 'itemshop_db_pool_connections_max')).toBe(20);
      expect(sample(scrape.body, 'itemshop_info', { engine: 'postgres' })).toBe(1);
      expect(sample(scrape.body, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses --workers without DATABASE_URL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'serve', '--workers', '2'], {
      env: { ...process.env, DATABASE_URL: '', DATA_DIR: 'memory://' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(err).toMatch(/--workers needs DATABASE_URL/);
  });
});

describe.skipIf(!withRedis)('two server processes with REDIS_URL (pub/sub)', () => {
  let a: Proc | undefined;
  let b: Proc | undefined;
  beforeAll(async () => {
    [a, b] = await Promise.all([serve({ REDIS_URL }), serve({ REDIS_URL })]);
  });
  afterAll(async () => Promise.all([stop(a), stop(b)]));

  it('shows an admin write of one process in the catalog of the other', async () => {
    await twoServerRoundTrip(a!, b!, 'Redis');
  });
});
