/**
 * `itemshop serve --workers N` (issue 7 item 5, ADR 0012): N server processes sharing one port through
 * node:cluster, all on one PostgreSQL. Their catalog snapshots stay consistent through the broadcast of
 * catalog_version bumps (catalog/sync.ts). PostgreSQL only: a PGlite data directory belongs to one process.
 *
 * The primary opens the database once (migrations run there, before any worker starts), seeds the demo store when
 * asked, forks the workers and prints one listening line (and the demo credentials) once every worker listens.
 * A worker that dies is replaced (at most 10 times a minute); if no worker ever manages to listen, the primary
 * stops with exit code 1. SIGINT/SIGTERM stop every worker gracefully (each finishes its requests in flight).
 * `GET /metrics` on the shared port answers the metrics of every worker, aggregated by the primary (ADR 0050).
 */
import cluster, { type Worker } from 'node:cluster';
import { performance } from 'node:perf_hooks';
import type { Config } from './config.js';
import { createDb } from './db/index.js';
import { formatDemoBanner, issueDemoCredentials } from './demo/credentials.js';
import { seedDemo } from './demo/seed.js';
import { CLUSTER_METRICS_ENV, serveAggregatedMetrics } from './ops/cluster-metrics.js';
import { baseUrl } from './server.js';
import { createServices } from './services.js';

export interface ClusterOptions {
  /** Receives the human-readable startup text. Default: stdout. */
  print?: (text: string) => void;
  /** Longest graceful shutdown before the workers are killed, in ms. Default 15 000. */
  shutdownTimeoutMs?: number;
}

/** True in a process forked by runCluster. */
export const isClusterWorker = () => cluster.isWorker;

/**
 * Runs the primary: prepares the database, forks `workers` processes that re-run this command as servers, and
 * supervises them. Resolves true once every worker listens, false when they could not start (exit code 1).
 * @throws Error when the configuration has no DATABASE_URL.
 */
export async function runCluster(
  config: Config,
  workers: number,
  options: ClusterOptions = {},
): Promise<boolean> {
  const print = options.print ?? ((text: string) => process.stdout.write(`${text}\n`));
  if (!config.databaseUrl)
    throw new Error(
      '--workers needs DATABASE_URL (PostgreSQL): a PGlite data directory belongs to one process',
    );

  // Migrate (and seed) once, before any worker opens the database.
  const database = await createDb(config);
  let banner: string | undefined;
  try {
    if (config.demo) {
      const services = createServices(config, database);
      const seeded = await seedDemo(services, undefined, undefined, {
        baseUrl: baseUrl(config, config.port),
      });
      const credentials = await issueDemoCredentials(services.tenancy, seeded.projectId);
      const note = seeded.created
        ? `created with ${seeded.skus.length} items`
        : 'already present, its items left as they are';
      banner = formatDemoBanner(credentials, baseUrl(config, config.port), note);
    }
  } finally {
    await database.close();
  }

  // The primary seeded the demo; `/metrics` of any worker answers the aggregate of all (ops/cluster-metrics.ts).
  const env = { ITEMSHOP_DEMO: 'false', [CLUSTER_METRICS_ENV]: '1' };
  serveAggregatedMetrics();
  const listening = new Set<number>();
  const restarts: number[] = [];
  let shuttingDown = false;
  let everyoneUp: (ok: boolean) => void = () => {};
  const started = new Promise<boolean>((resolve) => (everyoneUp = resolve));

  const fork = () => cluster.fork(env);
  cluster.on('listening', (worker: Worker) => {
    listening.add(worker.id);
    if (listening.size === workers) everyoneUp(true);
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    const wasListening = listening.delete(worker.id);
    if (shuttingDown) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    if (!wasListening && listening.size === 0) {
      process.stderr.write(
        `itemshop: worker ${worker.process.pid} could not start (exit ${code ?? signal})\n`,
      );
      everyoneUp(false);
      shutdown(1);
      return;
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length && restarts[0] < now - 60_000) restarts.shift();
    if (restarts.length > 10) {
      process.stderr.write('itemshop: workers keep dying (more than 10 restarts in a minute): stopping\n');
      shutdown(1);
      return;
    }
    process.stderr.write(
      `itemshop: worker ${worker.process.pid} exited (${code ?? signal}); starting another\n`,
    );
    fork();
  });

  const shutdown = (exitCode = 0) => {
    if (shuttingDown) return;
    shuttingDown = true;
    const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    if (alive.length === 0) process.exit(exitCode);
    for (const w of alive) w.process.kill('SIGTERM');
    setTimeout(() => {
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, options.shutdownTimeoutMs ?? 15_000).unref();
    if (exitCode !== 0) process.exitCode = exitCode;
  };
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  for (let i = 0; i < workers; i++) fork();
  const ok = await started;
  if (ok) {
    const seconds = (performance.now() / 1000).toFixed(1);
    print(
      `Itemshop listening on ${baseUrl(config, config.port)} — PostgreSQL (DATABASE_URL), ${workers} worker processes; ` +
        `started in ${seconds} s. Stop with Ctrl+C.`,
    );
    if (banner) print(banner);
  }
  return ok;
}
