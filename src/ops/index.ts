/**
 * What an operator and a newcomer get besides the API (issue 15; ADRs 0050–0053), installed on the app by one
 * call of buildApp before any route is added:
 *
 * - every route is labelled with its operation id: `docSlug` = the operation's `doc_slug` (its OpenAPI
 *   operationId), or a name derived from the path for routes outside the operations table (`health-ready`,
 *   `docs-static`, `home`…). Every log line of a request carries it (a per-route child logger), as do the request
 *   metrics;
 * - the request metrics (ops/metrics.ts; the request log line is written by ops/logging.ts RequestLogController);
 * - `GET /metrics` (Prometheus text; `Authorization: Bearer <METRICS_TOKEN>` when that is set; with
 *   `--workers N` the aggregate of every worker, ops/cluster-metrics.ts);
 * - `GET /health/live`, `GET /health/ready` (ops/health.ts) and `GET /` (ops/home.ts).
 *
 * `app.ops` holds what the server learns after the app is built (the demo credentials, ops/state.ts).
 */
import { NOT_SHED } from '../http/server-limits.js';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';
import type { Services } from '../services.js';
import { aggregatedFromPrimary, metricsFromPrimary, reportToPrimary } from './cluster-metrics.js';
import { registerHealth } from './health.js';
import { registerHome } from './home.js';
import { AppMetrics } from './metrics.js';
import type { OpsState } from './state.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Operator state of this app (demo credentials once seeded). */
    ops: OpsState;
    /** The app's metrics (ops/metrics.ts). */
    metrics: AppMetrics;
  }
  interface FastifyContextConfig {
    /** Operation id of the route: its doc_slug, or a name derived from its path. */
    docSlug?: string;
  }
}

/** The label of requests that matched no route. */
export const NOT_FOUND_OPERATION = 'not-found';

/** Operation name of a route outside the operations table: its path as a slug (`/health/ready` → `health-ready`). */
export function routeName(url: string): string {
  const slug = url
    .replace(/:([A-Za-z0-9_]+)/g, '$1')
    .replace(/\*/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
  return slug || 'home';
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Installs the operator features on `app` (see the module comment). Call before routes are added. */
export function installOps(app: FastifyInstance, services: Services, config: Config, version: string): void {
  const state: OpsState = {};
  const metrics = new AppMetrics(services, version);
  app.decorate('ops', state);
  app.decorate('metrics', metrics);
  app.addHook('onClose', async () => metrics.close());
  const fromPrimary = metricsFromPrimary();
  if (fromPrimary) reportToPrimary(metrics.registries());

  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as { operationId?: string } | undefined;
    const docSlug = schema?.operationId ?? routeName(route.url ?? '/');
    route.config = { ...(route.config as object), docSlug };
    route.childLoggerFactory ??= (logger, bindings, opts) => logger.child({ ...bindings, docSlug }, opts);
  });

  app.addHook('onResponse', async (request, reply) => {
    const docSlug = request.routeOptions.config?.docSlug ?? NOT_FOUND_OPERATION;
    metrics.observeRequest(docSlug, request.method, reply.statusCode, reply.elapsedTime / 1000);
  });

  // never shed: an overloaded process is exactly what the metrics must show (ADR 0046)
  app.get('/metrics', { schema: { hide: true }, config: NOT_SHED }, async (request, reply) => {
    if (config.metricsToken) {
      const header = String(request.headers.authorization ?? '');
      const token = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim() ?? '';
      if (!sameSecret(token, config.metricsToken)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new AppError('AUTH_FAILED', 'A valid bearer token (METRICS_TOKEN) is required for /metrics');
      }
    }
    let text: string;
    try {
      text = fromPrimary ? await aggregatedFromPrimary() : await metrics.text();
    } catch (e) {
      request.log.error({ err: e }, 'metrics: collecting failed');
      throw new AppError('SERVICE_UNAVAILABLE', 'Metrics could not be collected; try again');
    }
    return reply.header('cache-control', 'no-store').type(metrics.contentType).send(text);
  });

  registerHealth(app, services);
  registerHome(app, {
    state,
    version,
    engine: services.database.engine,
    metricsToken: config.metricsToken !== undefined,
  });
}
