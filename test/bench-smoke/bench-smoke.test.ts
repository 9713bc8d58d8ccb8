/**
 * CI smoke of the bench (issue 7 item 7): the whole `npm run bench` pipeline on a tiny catalog for about a second
 * per scenario — fixture, Itemshop, the plain baseline P, the ceiling C, every scenario, the report. It fails only
 * on errors (a wrong status, a socket error, P answering other content than Itemshop, a flash sale or key-pool
 * drain that is not exact), never on speed. The engine is the suite's: PostgreSQL with TEST_DATABASE_URL (in a
 * scratch database created and dropped next to it), else PGlite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { benchConfig } from '../../bench/config.js';
import { renderReport } from '../../bench/report.js';
import { runBench } from '../../bench/run.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'itemshop-bench-smoke-'));
const pgServer = PG_URL ? PG_URL.replace(/\/[^/]*$/, '') : '';
const pgDb = `itemshop_bench_smoke_${process.pid}`;

afterAll(async () => {
  rmSync(work, { recursive: true, force: true });
  if (!PG_URL) return;
  const admin = new pg.Client({ connectionString: `${pgServer}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${pgDb} WITH (FORCE)`);
  await admin.end();
});

/** True when `port` on 127.0.0.1 can be listened on now. */
const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A base port whose three ports (Itemshop, P, C) are free, below Linux's ephemeral range (32768+), where outgoing
 * connections of the other tests take their ports (a random base there collided once).
 */
async function freeBasePort(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 12_000);
    if ((await isFree(base)) && (await isFree(base + 1)) && (await isFree(base + 2))) return base;
  }
}

describe('bench smoke', () => {
  it('runs every scenario on Itemshop, P and C without an error', { timeout: 600_000 }, async () => {
    const config = benchConfig({
      BENCH_ENGINES: PG_URL ? 'postgres' : 'pglite',
      BENCH_SIZES: '300',
      BENCH_DURATION: '1',
      BENCH_WARMUP: '0',
      BENCH_RUNS: '1',
      BENCH_CONNECTIONS: '8',
      BENCH_USERS: '200',
      BENCH_KEY_POOL: '200',
      BENCH_FLASH_STOCK: '20',
      BENCH_PG_URL: pgServer,
      BENCH_PG_DB: pgDb,
      BENCH_OURS: 'tsx',
      BENCH_OUT: '',
      BENCH_NO_PIN: '1',
      BENCH_LOAD_IN_PROCESS: '1',
      BENCH_PORT: String(await freeBasePort()),
      BENCH_WORK_DIR: work,
    });
    const results = await runBench(config);
    expect(results.skipped).toEqual([]);
    expect(results.results).toHaveLength(1);
    const [size] = results.results;
    expect(size.plainMismatches).toEqual([]);

    for (const s of size.scenarios) {
      if (s.id.startsWith('R')) {
        for (const server of ['ours', 'plain', 'ceiling'] as const) {
          const m = s[server];
          expect(m, `${s.id} on ${server}`).not.toBeNull();
          expect({ scenario: s.id, server, errors: m!.errors, unexpected: m!.unexpected }).toEqual({
            scenario: s.id,
            server,
            errors: 0,
            unexpected: {},
          });
          expect(m!.runs[0].total).toBeGreaterThan(0);
        }
        continue;
      }
      // Writes run on Itemshop only; one whose operation does not exist yet is reported, not failed.
      if (s.note) {
        expect(s.note).toMatch(/^not available: /);
        continue;
      }
      expect({ scenario: s.id, errors: s.ours!.errors, unexpected: s.ours!.unexpected }).toEqual({
        scenario: s.id,
        errors: 0,
        unexpected: {},
      });
      if (s.check) expect(s.check, s.id).toMatchObject({ ok: true });
    }
    expect(size.scenarios.find((s) => s.id === 'W5')?.check).toMatchObject({ ok: true });

    const report = renderReport(results);
    for (const id of ['R1', 'R2', 'R3', 'R4', 'R5', 'W1', 'W2', 'W3', 'W4', 'W5'])
      expect(report).toContain(`| ${id} `);
    expect(size.servers.ours?.readyMs).toBeGreaterThan(0);
  });
});
