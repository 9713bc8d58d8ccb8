/**
 * Health endpoints for load balancers and orchestrators (issue 15 item 4, README "Health checks"):
 *
 * - `GET /health/live` — 200 `{"status":"ok"}` while the process runs its event loop. A failing liveness probe
 *   means "restart me"; it checks nothing else, so a database outage never gets healthy processes killed.
 * - `GET /health/ready` — 200 when this process can serve the store: the database answers (`SELECT 1`), every
 *   migration this version knows is applied, and the catalog loads (the snapshot of the first project is loaded,
 *   or already held — the first probe warms the cache). 503 otherwise; once a graceful shutdown starts, Fastify
 *   answers 503 to every new request (this one included), so a load balancer stops sending traffic before the
 *   process goes away. The body names each check:
 *   `{"status":"ok"|"unavailable","engine":"pglite"|"postgres","checks":{"database":"ok","migrations":"ok",
 *   "catalog":"ok"}}`; a failing check holds a short reason instead of `ok`. Each check gives up after 2 s.
 */
import { NOT_SHED } from '../http/server-limits.js';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { migrations } from '../db/migrations/index.js';
import type { Services } from '../services.js';
import { tenancyRepository } from '../modules/tenancy/repository.js';

/** Longest wait of one readiness check, ms. */
const CHECK_TIMEOUT_MS = 2000;

type Check = () => Promise<void>;

/** `ok`, or why the check failed (one line), within CHECK_TIMEOUT_MS. */
async function run(check: Check): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1000} s`)),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (e) {
    return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200);
  } finally {
    clearTimeout(timer);
  }
}

export interface Readiness {
  ready: boolean;
  body: { status: 'ok' | 'unavailable'; engine: string; checks: Record<string, string> };
}

/** Runs the readiness checks (see the module comment). */
export async function readiness(services: Pick<Services, 'database' | 'catalog'>): Promise<Readiness> {
  const { db, engine } = services.database;
  const checks: Record<string, string> = {};
  checks.database = await run(async () => {
    await sql`SELECT 1`.execute(db);
  });
  checks.migrations =
    checks.database === 'ok'
      ? await run(async () => {
          const { rows } = await sql<{ name: string }>`SELECT name FROM kysely_migration`.execute(db);
          const applied = new Set(rows.map((r) => r.name));
          const missing = Object.keys(migrations).filter((name) => !applied.has(name));
          if (missing.length)
            throw new Error(
              `${missing.length} not applied (${missing.slice(0, 3).join(', ')}): run itemshop migrate`,
            );
        })
      : 'not checked (database)';
  checks.catalog =
    checks.database === 'ok'
      ? await run(async () => {
          const first = await tenancyRepository.firstProjectId(db);
          if (first !== undefined) await services.catalog.snapshot(first);
        })
      : 'not checked (database)';
  const ready = Object.values(checks).every((v) => v === 'ok');
  return { ready, body: { status: ready ? 'ok' : 'unavailable', engine, checks } };
}

/** Registers `/health/live` and `/health/ready` (hidden from the OpenAPI document). */
export function registerHealth(app: FastifyInstance, services: Services): void {
  // never shed: a load balancer must not take a busy process for a dead one (ADR 0046)
  app.get('/health/live', { schema: { hide: true }, config: NOT_SHED }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { hide: true } }, async (_req, reply) => {
    const r = await readiness(services);
    return reply
      .code(r.ready ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(r.body);
  });
}
