/**
 * `npm run bench`: the whole measurement in one run (issue 7). For each engine (PGlite, PostgreSQL) and catalog
 * size N: a fresh database with the deterministic fixture, then
 *   1. Itemshop: start (ready time = spawn → first catalog page), record the answers of every read URL (the
 *      ceiling replays them), R1–R5 (warm-up, then BENCH_RUNS measured runs, median by throughput), RSS;
 *   2. the plain baseline P on the same database: ready time, R1–R5, RSS;
 *   3. the ceiling C with the recorded bytes: R1–R5, RSS;
 *   4. at the largest N: Itemshop again for the writes W1–W5 (a scenario whose operation does not exist yet is
 *      reported "not available"), with the exactness checks of W4 and W5.
 * The server is pinned to core 0 and the load generator (bench/load.ts, its own process) to core 1 when
 * `taskset` exists. Results go to bench/results/results.json and the report to docs/performance.md
 * (`tsx bench/run.ts --report-only` renders the report again from the last results). Settings: bench/config.ts.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import { createDb, type Database } from '../src/db/index.js';
import { benchConfig, type BenchConfig } from './config.js';
import type { Recorded } from './ceiling/server.js';
import { generateFixture, type Fixture } from './fixture.js';
import { runLoad, type LoadJob, type LoadResult, type PreparedRequest } from './load.js';
import { currentCommit, renderReport } from './report.js';
import {
  r1Paths,
  r3Paths,
  r4Paths,
  r5Paths,
  SCENARIOS,
  type Scenario,
  type ScenarioId,
} from './scenarios.js';
import { pinned, startServer, type RunningServer, type ServerKind } from './servers.js';

export type Engine = 'pglite' | 'postgres';

/** The median run of a scenario on one server, plus what the runs add up to. */
export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** Socket errors + answers with an unexpected status, over warm-up and measured runs. */
  errors: number;
  /** Unexpected statuses seen (status → count). */
  unexpected: Record<string, number>;
  /** Server CPU time per answered request over the measured runs, in µs (robust to other load on the machine). */
  cpuUsPerRequest: number | null;
  runs: LoadResult[];
}

export interface ScenarioResult {
  id: ScenarioId;
  title: string;
  /** null: not measured on that server (writes on the baselines), or the operation does not exist yet. */
  ours: Measured | null;
  plain: Measured | null;
  ceiling: Measured | null;
  /** Why the scenario did not run, when it did not. */
  note?: string;
  /** Result of the scenario's exactness check (W4, W5). */
  check?: { ok: boolean; text: string };
}

export interface ServerStats {
  /** Spawn → first catalog page answered (listening, migrated, snapshot loaded). */
  readyMs: number | null;
  /** Spawn → /health/live answered (listening). */
  listenMs?: number | null;
  rssMb: number | null;
  peakMb: number | null;
}

export interface SizeResult {
  engine: Engine;
  n: number;
  fixtureSeconds: number;
  servers: Partial<Record<ServerKind, ServerStats>>;
  scenarios: ScenarioResult[];
  /** URLs (of the first 200 recorded) where P's answer differs from Itemshop's as JSON: P is not a fair yardstick. */
  plainMismatches: string[];
  /** ms from an admin write's answer on one Itemshop process to the change being served by another (per round). */
  sync?: number[];
}

export interface BenchResults {
  config: BenchConfig;
  startedAt: string;
  /** Commit measured (short hash, "(with uncommitted changes)" when the tree was dirty), taken when the run began. */
  commit?: string;
  pinned: boolean;
  results: SizeResult[];
  /** Engines that could not be measured, with the reason. */
  skipped: { engine: Engine; reason: string }[];
}

const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

/** Runs one load job in a pinned child process (or here, with BENCH_LOAD_IN_PROCESS). */
async function load(job: LoadJob, c: BenchConfig): Promise<LoadResult> {
  if (c.loadInProcess) return runLoad(job);
  const file = join(c.workDir, 'job.json');
  writeFileSync(file, JSON.stringify(job));
  const [cmd, args] = pinned(1, process.execPath, ['--import', 'tsx', 'bench/load.ts', file]);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop();
      if (code === 0 && line) resolvePromise(JSON.parse(line) as LoadResult);
      else reject(new Error(`load generator failed (${code}): ${err}`));
    });
  });
}

function unexpectedOf(r: LoadResult, expected: number[]) {
  const bad: Record<string, number> = {};
  for (const [code, n] of Object.entries(r.statuses)) if (!expected.includes(Number(code))) bad[code] = n;
  return bad;
}

/** Warm-up (not reported) then `runs` measured runs; the median by throughput is reported. */
async function measure(
  server: RunningServer,
  scenario: Scenario,
  requests: PreparedRequest[],
  c: BenchConfig,
  f: Fixture,
): Promise<Measured> {
  const job = (duration: number): LoadJob => ({
    url: server.url,
    connections: c.connections,
    duration,
    order: scenario.order,
    requests,
    ...(scenario.amount ? { amount: scenario.amount(f) } : {}),
  });
  const all: LoadResult[] = [];
  const single = scenario.amount !== undefined; // a fixed amount consumes state: one run
  if (!single && c.warmup > 0) all.push(await load(job(c.warmup), c));
  const runs: LoadResult[] = [];
  const cpuBefore = server.cpuMs();
  for (let i = 0; i < (single ? 1 : c.runs); i++) runs.push(await load(job(c.duration), c));
  const cpuAfter = server.cpuMs();
  const answered = runs.reduce((a, r) => a + r.total, 0);
  const cpuUsPerRequest =
    cpuBefore !== null && cpuAfter !== null && answered > 0
      ? ((cpuAfter - cpuBefore) * 1000) / answered
      : null;
  all.push(...runs);
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor(sorted.length / 2)];
  const unexpected: Record<string, number> = {};
  let errors = 0;
  for (const r of all) {
    errors += r.errors;
    for (const [code, n] of Object.entries(unexpectedOf(r, scenario.expected))) {
      unexpected[code] = (unexpected[code] ?? 0) + n;
      errors += n;
    }
  }
  return { rps: median.rps, p50: median.p50, p99: median.p99, errors, unexpected, cpuUsPerRequest, runs };
}

/** GETs every URL once and keeps the answers (the ceiling replays them; R5 takes the ETags). */
async function record(server: RunningServer, paths: string[]): Promise<Recorded[]> {
  const out: Recorded[] = [];
  for (const url of [...new Set(paths)]) {
    const res = await fetch(server.url + url);
    out.push({ url, status: res.status, etag: res.headers.get('etag'), body: await res.text() });
  }
  return out;
}

/** URLs whose answer from `server` differs (as parsed JSON) from the recorded one. */
async function compareWithRecording(server: RunningServer, recorded: Recorded[]): Promise<string[]> {
  const differing: string[] = [];
  for (const r of recorded) {
    const res = await fetch(server.url + r.url);
    const text = await res.text();
    if (res.status !== r.status || !isDeepStrictEqual(JSON.parse(text), JSON.parse(r.body)))
      differing.push(r.url);
  }
  return differing;
}

/** R5's requests for `server`: each page with the ETag that server gave for it. */
async function r5Requests(server: RunningServer, f: Fixture): Promise<PreparedRequest[]> {
  const rec = await record(server, r5Paths(f));
  return rec.map((r) => ({ method: 'GET', path: r.url, headers: { 'if-none-match': r.etag ?? '"none"' } }));
}

async function runReads(
  server: RunningServer,
  f: Fixture,
  c: BenchConfig,
  into: Map<ScenarioId, ScenarioResult>,
) {
  for (const s of SCENARIOS.filter((x) => x.kind === 'read' && c.scenarios.includes(x.id))) {
    const requests = s.id === 'R5' ? await r5Requests(server, f) : s.requests(f);
    log(`${server.kind} ${s.id} …`);
    const m = await measure(server, s, requests, c, f);
    log(
      `${server.kind} ${s.id}: ${Math.round(m.rps)} req/s p50 ${m.p50} ms p99 ${m.p99} ms ` +
        `cpu ${m.cpuUsPerRequest?.toFixed(0) ?? '?'} µs/req errors ${m.errors}`,
    );
    into.get(s.id)![server.kind] = m;
  }
}

/** True when the operation of `probe` exists on the server (anything but our "Route … not found" 404). */
async function operationExists(server: RunningServer, probe: { method: string; path: string }) {
  const res = await fetch(server.url + probe.path, {
    method: probe.method,
    headers: { 'content-type': 'application/json' },
    body: probe.method === 'GET' ? undefined : '{}',
  });
  const text = await res.text();
  return !(res.status === 404 && /Route \w+ .* not found/.test(text));
}

async function prepareDatabase(engine: Engine, n: number, c: BenchConfig) {
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: `${c.pgUrl}/postgres` });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${c.pgDb} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${c.pgDb}`);
    } finally {
      await admin.end();
    }
    const url = `${c.pgUrl}/${c.pgDb}`;
    return {
      env: { DATABASE_URL: url },
      open: () => createDb({ databaseUrl: url, dataDir: '', dbPoolSize: 4 }),
    };
  }
  const dir = resolve(c.workDir, `pglite-${n}`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}.lock`, { force: true });
  return { env: { DATA_DIR: dir }, open: () => createDb({ dataDir: dir, dbPoolSize: 1 }) };
}

async function withDb<T>(open: () => Promise<Database>, fn: (d: Database) => Promise<T>): Promise<T> {
  const d = await open();
  try {
    return await fn(d);
  } finally {
    await d.close();
  }
}

/** Environment of the Itemshop server under test: quiet logs, rate limits far above the offered load. */
const OURS_ENV = {
  LOG_LEVEL: 'warn',
  RATE_LIMIT_ADMIN_MAX: '100000000',
  RATE_LIMIT_CLIENT_MAX: '100000000',
};

async function benchSize(
  engine: Engine,
  n: number,
  c: BenchConfig,
  withWrites: boolean,
): Promise<SizeResult> {
  log(`=== ${engine}, N = ${n} ===`);
  const db = await prepareDatabase(engine, n, c);
  const f = await withDb(db.open, (d) =>
    generateFixture(d, {
      items: n,
      users: c.users,
      keyPool: withWrites ? c.keyPool : 10,
      flashStock: c.flashStock,
      seed: c.seed,
    }),
  );
  log(`fixture: ${n} items in ${f.seconds.toFixed(1)} s`);
  const scenarios = new Map<ScenarioId, ScenarioResult>(
    SCENARIOS.filter((s) => c.scenarios.includes(s.id)).map((s) => [
      s.id,
      { id: s.id, title: s.title, ours: null, plain: null, ceiling: null },
    ]),
  );
  const servers: SizeResult['servers'] = {};
  const probePath = `${r1Paths(f)[0].split('?')[0]}?limit=50&offset=0`;
  const oursEntry = c.ours === 'dist' ? join(c.workDir, 'dist', 'cli.js') : 'src/cli.ts';
  const start = (kind: ServerKind, env: NodeJS.ProcessEnv, port: number) =>
    startServer(kind, { port, env, probePath, oursEntry });
  const stats = (s: RunningServer): ServerStats => {
    const m = s.memory();
    return { readyMs: s.readyMs, listenMs: s.listenMs, rssMb: m.rss, peakMb: m.peak };
  };
  const hasReads = SCENARIOS.some((s) => s.kind === 'read' && c.scenarios.includes(s.id));

  // 1. Itemshop: reads, and the recording for the ceiling.
  let recording: Recorded[];
  let plainMismatches: string[] = [];
  {
    const ours = await start('ours', { ...db.env, ...OURS_ENV }, c.port);
    try {
      recording = await record(ours, [probePath, ...r1Paths(f), ...r3Paths(f), ...r4Paths(f)]);
      const bad = recording.filter((r) => r.status !== 200);
      if (bad.length) throw new Error(`Itemshop answered ${bad[0].status} to ${bad[0].url}: ${bad[0].body}`);
      await runReads(ours, f, c, scenarios);
      servers.ours = stats(ours);
    } finally {
      await ours.stop();
    }
  }
  // 2. The plain baseline on the same database.
  if (hasReads) {
    const plain = await start('plain', db.env, c.port + 1);
    try {
      plainMismatches = await compareWithRecording(plain, recording.slice(0, 200));
      if (plainMismatches.length)
        log(`P differs from Itemshop on ${plainMismatches.length} URL(s), e.g. ${plainMismatches[0]}`);
      await runReads(plain, f, c, scenarios);
      servers.plain = stats(plain);
    } finally {
      await plain.stop();
    }
    // 3. The ceiling with Itemshop's bytes.
    const file = resolve(c.workDir, 'recording.json');
    writeFileSync(file, JSON.stringify(recording));
    const ceiling = await start('ceiling', { RECORDING: file }, c.port + 2);
    try {
      await runReads(ceiling, f, c, scenarios);
      servers.ceiling = stats(ceiling);
    } finally {
      await ceiling.stop();
    }
  }
  // 4. Writes on Itemshop.
  const writes = SCENARIOS.filter((s) => s.kind === 'write' && c.scenarios.includes(s.id));
  if (withWrites && writes.length) {
    const ours = await start('ours', { ...db.env, ...OURS_ENV }, c.port);
    try {
      for (const s of writes) {
        const r = scenarios.get(s.id)!;
        if (s.probe && !(await operationExists(ours, s.probe))) {
          r.note = `not available: ${s.probe.method} ${s.probe.path.replace('/api/v2/project/1', '…')} does not exist yet`;
          log(`${s.id}: ${r.note}`);
          continue;
        }
        const why = s.setup ? await s.setup(ours.url, f) : null;
        if (why) {
          r.note = why;
          log(`${s.id}: ${why}`);
          continue;
        }
        log(`ours ${s.id} …`);
        r.ours = await measure(ours, s, s.requests(f), c, f);
        log(`ours ${s.id}: ${Math.round(r.ours.rps)} req/s p99 ${r.ours.p99} ms errors ${r.ours.errors}`);
        if (s.id === 'W4') {
          const sold = r.ours.runs.reduce((a, x) => a + (x.statuses['200'] ?? 0), 0);
          const refused = r.ours.runs.reduce((a, x) => a + (x.statuses['422'] ?? 0), 0);
          const text = `${sold} sold of a stock of ${f.spec.flashStock}`;
          if (refused === 0 && sold > f.spec.flashStock) {
            // Nothing was ever refused: order creation does not enforce the stock at all (yet).
            r.note = `not available: order creation does not enforce the item's stock yet (${text}, none refused)`;
            log(`W4: ${r.note}`);
          } else r.check = { ok: sold === f.spec.flashStock, text };
        }
      }
      servers.ours = { ...servers.ours!, ...{ peakMb: ours.memory().peak ?? servers.ours?.peakMb ?? null } };
    } finally {
      await ours.stop();
    }
    const w5 = scenarios.get('W5');
    if (w5?.ours) {
      const claimed = await withDb(db.open, async (d) =>
        Number(
          (
            await d.db
              .selectFrom('game_codes')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .where('project_id', '=', f.projectId)
              .where('claimed_at', 'is not', null)
              .executeTakeFirstOrThrow()
          ).n,
        ),
      );
      const ok201 = w5.ours.runs.reduce((a, x) => a + (x.statuses['201'] ?? 0), 0);
      w5.check = {
        ok: claimed === f.codes.length && ok201 === f.codes.length,
        text: `${claimed} of ${f.codes.length} codes claimed, ${ok201} redemptions answered 201`,
      };
    }
  }
  // 5. Two processes: an admin write on one, visible on the other (PostgreSQL: LISTEN/NOTIFY).
  let sync: number[] | undefined;
  if (engine === 'postgres' && n === Math.max(...c.sizes)) {
    sync = await syncRounds(f, (port) => start('ours', { ...db.env, ...OURS_ENV }, port), c);
    log(`sync: ${sync.join(', ')} ms`);
  }
  return {
    engine,
    n,
    fixtureSeconds: f.seconds,
    servers,
    scenarios: [...scenarios.values()],
    plainMismatches,
    ...(sync ? { sync } : {}),
  };
}

/**
 * Issue 7 item 5 at this N: two Itemshop processes on the database; an item is renamed through process A and
 * process B is polled until it serves the new name. Returns the ms from A's answer to B's first new answer, per
 * round (a round that takes over 10 s counts as 10,000).
 */
async function syncRounds(
  f: Fixture,
  start: (port: number) => Promise<RunningServer>,
  c: BenchConfig,
  rounds = 5,
): Promise<number[]> {
  const a = await start(c.port);
  const b = await start(c.port + 3);
  try {
    const sku = f.skus[Math.floor(f.skus.length / 2)];
    const admin = `/api/v2/project/${f.projectId}/admin/items/virtual_items/sku/${sku}`;
    const auth = { authorization: `Basic ${Buffer.from(`${f.projectId}:${f.apiKey}`).toString('base64')}` };
    const current = (await (await fetch(a.url + admin, { headers: auth })).json()) as Record<string, unknown>;
    const { item_id: _id, type: _type, groups: _groups, attributes: _attributes, ...body } = current;
    const out: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const name = `Renamed ${round}`;
      const res = await fetch(a.url + admin, {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ ...body, name: { ...(body.name as object), en: name } }),
      });
      if (res.status !== 204) throw new Error(`admin write answered ${res.status}: ${await res.text()}`);
      const written = performance.now();
      for (;;) {
        const view = await fetch(`${b.url}/api/v2/project/${f.projectId}/items/virtual_items/sku/${sku}`);
        if (((await view.json()) as { name?: string }).name === name) break;
        if (performance.now() - written > 10_000) break;
      }
      out.push(Math.min(10_000, Math.round(performance.now() - written)));
    }
    return out;
  } finally {
    await Promise.all([a.stop(), b.stop()]);
  }
}

async function postgresReachable(c: BenchConfig): Promise<string | null> {
  const client = new pg.Client({ connectionString: `${c.pgUrl}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Builds Itemshop into `<workDir>/dist` (node, no tsx at run time: the ready time is the product's). Type errors
 * do not stop the bench as long as tsc emitted the JavaScript (they are the type checker's business).
 */
function build(c: BenchConfig) {
  log('building Itemshop (tsc) …');
  const out = join(c.workDir, 'dist');
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', out],
    { encoding: 'utf8' },
  );
  if (!existsSync(join(out, 'cli.js'))) throw new Error(`the build emitted nothing:\n${r.stdout}${r.stderr}`);
  if (r.status !== 0) log(`tsc reported type errors (the emitted JavaScript is used):\n${r.stdout}`);
}

/** The whole bench; returns the results (and writes them when `c.out` is set). */
export async function runBench(c: BenchConfig = benchConfig()): Promise<BenchResults> {
  mkdirSync(c.workDir, { recursive: true });
  if (c.ours === 'dist') build(c);
  const { canPin } = await import('./servers.js');
  const results: BenchResults = {
    config: c,
    startedAt: new Date().toISOString(),
    commit: currentCommit(),
    pinned: canPin,
    results: [],
    skipped: [],
  };
  const largest = Math.max(...c.sizes);
  for (const engine of c.engines) {
    if (engine === 'postgres') {
      const why = await postgresReachable(c);
      if (why) {
        results.skipped.push({ engine, reason: `PostgreSQL at ${c.pgUrl} unreachable: ${why}` });
        log(`skipping postgres: ${why}`);
        continue;
      }
    }
    for (const n of c.sizes) {
      results.results.push(await benchSize(engine, n, c, n === largest));
      writeFileSync(join(c.workDir, 'results.json'), JSON.stringify(results, null, 2)); // partial results
    }
  }
  writeFileSync(join(c.workDir, 'results.json'), JSON.stringify(results, null, 2));
  if (c.out) {
    writeFileSync(c.out, renderReport(results));
    log(`report written to ${c.out}`);
  }
  return results;
}

if (
  process.argv[1] &&
  resolve(process.argv[1]) === resolve('bench/run.ts') &&
  process.argv[2] === '--report-only'
) {
  // Re-renders the report from the last results (e.g. after editing bench/analysis.md).
  const c = benchConfig();
  const results = JSON.parse(readFileSync(join(c.workDir, 'results.json'), 'utf8')) as BenchResults;
  writeFileSync(c.out || 'docs/performance.md', renderReport(results));
  log(`report written to ${c.out || 'docs/performance.md'}`);
} else if (process.argv[1] && resolve(process.argv[1]) === resolve('bench/run.ts')) {
  runBench().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
