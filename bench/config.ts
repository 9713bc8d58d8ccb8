/**
 * Bench settings, from the environment (all optional):
 *
 *   BENCH_ENGINES      pglite,postgres            engines to measure (postgres is skipped when unreachable)
 *   BENCH_SIZES        1000,10000,100000          catalog sizes N (writes run at the largest only)
 *   BENCH_SCENARIOS    R1,R2,R3,R4,R5,W1,…,W5     scenarios to run
 *   BENCH_DURATION     5                          seconds per measured run
 *   BENCH_WARMUP       2                          seconds of warm-up before the measured runs
 *   BENCH_RUNS         3                          measured runs (the median is reported)
 *   BENCH_CONNECTIONS  100                        concurrent connections of the load generator
 *   BENCH_USERS        10000                      users with a pre-minted JWT
 *   BENCH_KEY_POOL     100000                     codes in the game-key pool (W5)
 *   BENCH_FLASH_STOCK  500                        stock of the flash-sale item (W4)
 *   BENCH_PG_URL       postgres://postgres@127.0.0.1:5432   server of the PostgreSQL mode
 *   BENCH_PG_DB        itemshop_bench             database the PostgreSQL mode drops and re-creates
 *   BENCH_OURS         dist                       `dist`: compiled once into bench/results/dist; `tsx`: the sources
 *   BENCH_OUT          docs/performance.md        report path ('' = no report, results JSON only)
 *   BENCH_PORT         18081                      first of the three ports (Itemshop, P, C)
 *   BENCH_NO_PIN       (unset)                    set to disable taskset pinning
 *   BENCH_LOAD_IN_PROCESS (unset)                 set to run autocannon in the runner's process (CI smoke: faster,
 *                                                 less exact — no separate process, no pinning)
 */
import type { ScenarioId } from './scenarios.js';

const list = (v: string | undefined, d: string) =>
  (v || d)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);

export interface BenchConfig {
  engines: ('pglite' | 'postgres')[];
  sizes: number[];
  scenarios: ScenarioId[];
  duration: number;
  warmup: number;
  runs: number;
  connections: number;
  users: number;
  keyPool: number;
  flashStock: number;
  pgUrl: string;
  pgDb: string;
  ours: 'dist' | 'tsx';
  out: string;
  seed: number;
  /** Run the load generator in this process instead of a pinned child process. */
  loadInProcess: boolean;
  /** Port of Itemshop; P and C take the next two. */
  port: number;
  /** Folder of work files (ignored by git). */
  workDir: string;
}

export function benchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  return {
    engines: list(env.BENCH_ENGINES, 'pglite,postgres') as BenchConfig['engines'],
    sizes: list(env.BENCH_SIZES, '1000,10000,100000').map(Number),
    scenarios: list(env.BENCH_SCENARIOS, 'R1,R2,R3,R4,R5,W1,W2,W3,W4,W5') as ScenarioId[],
    duration: num(env.BENCH_DURATION, 5),
    warmup: num(env.BENCH_WARMUP, 2),
    runs: num(env.BENCH_RUNS, 3),
    connections: num(env.BENCH_CONNECTIONS, 100),
    users: num(env.BENCH_USERS, 10_000),
    keyPool: num(env.BENCH_KEY_POOL, 100_000),
    flashStock: num(env.BENCH_FLASH_STOCK, 500),
    pgUrl: (env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432').replace(/\/+$/, ''),
    pgDb: env.BENCH_PG_DB || 'itemshop_bench',
    ours: env.BENCH_OURS === 'tsx' ? 'tsx' : 'dist',
    out: env.BENCH_OUT ?? 'docs/performance.md',
    seed: num(env.BENCH_SEED, 7),
    port: num(env.BENCH_PORT, 18081),
    loadInProcess: !!env.BENCH_LOAD_IN_PROCESS,
    workDir: env.BENCH_WORK_DIR || 'bench/results',
  };
}
