/**
 * What one process accepts before it sheds (issue 13 §3, ADR 0046): explicit HTTP server timeouts, a cap on open
 * connections, and load shedding with `@fastify/under-pressure` — 503 in the Xsolla envelope with `Retry-After`
 * while the event loop lags or memory runs out. Every setting is an environment variable (config.ts, README).
 *
 * Timeouts (ms): headers must arrive within HTTP_HEADERS_TIMEOUT_MS and the whole request within
 * HTTP_REQUEST_TIMEOUT_MS, else 408 (errors/handler.ts clientErrorHandler) and the connection is closed — this
 * also closes connections that never send a byte; an idle keep-alive connection is closed after
 * HTTP_KEEP_ALIVE_TIMEOUT_MS; a connection on which nothing moves either way (a client that stops reading its
 * answer) after HTTP_CONNECTION_TIMEOUT_MS. A connection upgraded to a WebSocket leaves the HTTP server's
 * request machinery: none of these timeouts closes it, but it counts against HTTP_MAX_CONNECTIONS.
 */
import type { Server } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import underPressure, { TYPE_EVENT_LOOP_DELAY } from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';

/** Applies the timeouts and the connection cap to the app's HTTP (or HTTPS) server, before it listens. */
export function applyServerLimits(server: Server, config: Config): void {
  server.headersTimeout = config.httpHeadersTimeoutMs;
  server.requestTimeout = config.httpRequestTimeoutMs;
  server.keepAliveTimeout = config.httpKeepAliveTimeoutMs;
  server.setTimeout(config.httpConnectionTimeoutMs);
  // Node checks the header and request timeouts every `connectionsCheckingInterval` (30 s by default): check
  // often enough that a slow client is closed close to its timeout.
  const interval = Math.max(100, Math.min(1000, Math.floor(config.httpHeadersTimeoutMs / 4)));
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = interval;
  if (config.httpMaxConnections > 0) server.maxConnections = config.httpMaxConnections;
}

/**
 * The heap size at which requests are shed: PRESSURE_MAX_HEAP_PERCENT of V8's heap limit, in bytes
 * (0 = not checked).
 */
export function maxHeapUsedBytes(config: Config): number {
  if (config.pressureMaxHeapPercent <= 0) return 0;
  return Math.max(1, Math.floor((getHeapStatistics().heap_size_limit * config.pressureMaxHeapPercent) / 100));
}

/**
 * Registers load shedding (before the routes): while under pressure every request but `/health/live` answers 503
 * in the envelope (AppError SERVICE_UNAVAILABLE) with `Retry-After: PRESSURE_RETRY_AFTER_SECONDS`. Event-loop lag
 * is the mean delay over a 1 s sample: a loop saturated for a second, not one isolated stall.
 * The liveness probe keeps answering: a busy process is alive, and restarting it would lose more.
 */
export async function registerLoadShedding(app: FastifyInstance, config: Config): Promise<void> {
  // The event loop stalls while the app starts (migrations, a PGlite data directory, the demo seed); the first
  // sample after that still holds the stall. Lag counts from two samples after the app is ready.
  let lagCountsFrom = Infinity;
  app.addHook('onReady', async () => {
    lagCountsFrom = Date.now() + 2 * SAMPLE_INTERVAL_MS;
  });
  const retryAfter = String(config.pressureRetryAfterSeconds);
  await app.register(underPressure, {
    sampleInterval: SAMPLE_INTERVAL_MS,
    maxEventLoopDelay: config.pressureMaxLoopDelayMs,
    maxHeapUsedBytes: maxHeapUsedBytes(config),
    maxRssBytes: config.pressureMaxRssMb * 1024 * 1024,
    // a rejection goes to the one error handler: 503/0 in the envelope
    pressureHandler: async (_request, reply, type) => {
      if (type === TYPE_EVENT_LOOP_DELAY && Date.now() < lagCountsFrom) return;
      void reply.header('retry-after', retryAfter);
      throw new AppError('SERVICE_UNAVAILABLE');
    },
  });
}

/** How often event-loop lag and memory are sampled, in ms (the lag is the mean delay over one sample). */
const SAMPLE_INTERVAL_MS = 1000;

/** Route config that exempts a route from load shedding (`/health/live`). */
export const NOT_SHED = { pressureHandler: () => undefined };
