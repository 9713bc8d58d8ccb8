/**
 * Rate limits (issue 7 item 6, ADR 0011) with @fastify/rate-limit: admin operations (Basic auth: `basic`,
 * `merchant`) are counted per project (or merchant) and every other operation (catalog reads, carts, orders…)
 * per client address, over a fixed window (RATE_LIMIT_WINDOW_SECONDS). Over the limit the answer is 429 in the
 * Xsolla envelope with `Retry-After` (seconds until the window resets). Counters live in the process, or in Redis
 * when REDIS_URL is set (shared by every process; a Redis outage lets requests through rather than failing them).
 *
 * The check runs as a preHandler, after authentication: a request with wrong credentials is refused (401) without
 * using the project's quota. Routes outside the operations table (health, docs, OpenAPI) are not limited.
 *
 * Failed authentications have their own limit (issue 13 §4, ADR 0047): RATE_LIMIT_AUTH_FAILURES_MAX per window,
 * counted per client address and project (or merchant) named in the path, in the same store (process or Redis).
 * The auth hooks (http/auth.ts) use it through `AuthFailureLimit`.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { AppError } from '../errors/app-error.js';
import { fastifyPath, type AuthKind } from './operation.js';
import { operations } from './operations.js';

const ADMIN: ReadonlySet<AuthKind> = new Set(['basic', 'merchant']);

/** Key prefix of the counters in Redis. */
export const RATE_LIMIT_NAMESPACE = 'itemshop:rl:';

/** How a route is counted: per project (`p`), per merchant (`m`), per client address (`c`). */
type Counted = 'p' | 'm' | 'c';

/** `METHOD /api/...` (Fastify route url) → how the operation is counted. */
const countedByRoute = new Map<string, Counted>(
  operations.map((op) => [
    `${op.method} ${fastifyPath(op)}`,
    ADMIN.has(op.auth) ? (op.auth === 'merchant' ? 'm' : 'p') : 'c',
  ]),
);

/** Routes outside the operations table get this key and are let through. */
const UNLIMITED = '-';

/** `a:p:<project>` / `a:m:<merchant>` for admin calls, `c:<address>` for client calls. */
function keyOf(request: FastifyRequest): string {
  const counted = (request.routeOptions.config as { itemshopCounted?: Counted }).itemshopCounted;
  if (counted === undefined) return UNLIMITED;
  if (counted === 'c') return `c:${request.ip}`;
  const params = request.params as Record<string, unknown>;
  return counted === 'm' ? `a:m:${String(params.merchant_id)}` : `a:p:${String(params.project_id)}`;
}

/**
 * The limit of failed authentications (ADR 0047), used by the auth hooks. Both methods answer by throwing the 429
 * envelope (with `Retry-After` set on `reply`); a counter store that is away lets the request through.
 */
export interface AuthFailureLimit {
  /** Before a key is looked up: throws 429 when this client has no failures left for the project named. */
  check(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** After a failed check: counts it, and throws 429 (instead of the caller's 401) once past the limit. */
  fail(request: FastifyRequest, reply: FastifyReply): Promise<void>;
}

/** A path parameter as part of a counter key (bounded: the raw text may be up to 4,096 characters). */
const keyPart = (v: unknown) => String(v).slice(0, 24);

/** `f:<address>|p:<project>`, `f:<address>|m:<merchant>`, or `f:<address>|-` when no tenant is named. */
function failureKeyOf(request: FastifyRequest): string {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const scope =
    params.project_id !== undefined
      ? `p:${keyPart(params.project_id)}`
      : params.merchant_id !== undefined
        ? `m:${keyPart(params.merchant_id)}`
        : '-';
  return `f:${request.ip}|${scope}`;
}

/**
 * Registers the limits on `app` (before the routes: the plugin attaches its hook to routes added later).
 * Returns the limit of failed authentications (undefined when RATE_LIMIT_AUTH_FAILURES_MAX is 0); the Redis
 * connection it opens is closed with the app.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  config: Config,
): Promise<AuthFailureLimit | undefined> {
  const { rateLimitAdminMax: adminMax, rateLimitClientMax: clientMax } = config;
  const failuresMax = config.rateLimitAuthFailuresMax;
  if (adminMax === 0 && clientMax === 0 && failuresMax === 0) return undefined;
  let redis: Redis | undefined;
  if (config.redisUrl) {
    // Fail fast while Redis is away (no offline queue): skipOnError then lets the request through.
    const { Redis } = await import('ioredis'); // loaded only when configured (startup time)
    redis = new Redis(config.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
    });
    redis.on('error', (e: Error) => app.log.warn({ err: e }, 'rate limits: Redis error'));
    // Start with the shared counters when Redis answers within 2 s; otherwise start anyway (requests pass).
    app.addHook('onReady', async () => {
      if (redis!.status === 'ready') return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        redis!.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    });
    app.addHook('onClose', async () => {
      redis!.disconnect();
    });
  }
  // Tag each operation's route once, when it is added (cheaper than a lookup per request).
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const counted = countedByRoute.get(`${methods[0]} ${route.url}`);
    if (counted) route.config = { ...route.config, itemshopCounted: counted } as typeof route.config;
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    timeWindow: config.rateLimitWindowSeconds * 1000,
    keyGenerator: keyOf,
    max: (_req, key) => (key.charCodeAt(0) === 97 /* a */ ? adminMax : clientMax),
    allowList: (_req, key) => key === UNLIMITED || (key.charCodeAt(0) === 97 ? adminMax : clientMax) === 0,
    ...(redis ? { redis, nameSpace: RATE_LIMIT_NAMESPACE, skipOnError: true } : {}),
    addHeadersOnExceeding: {
      'x-ratelimit-limit': false,
      'x-ratelimit-remaining': false,
      'x-ratelimit-reset': false,
    },
    errorResponseBuilder: (_req, ctx) =>
      new AppError('TOO_MANY_REQUESTS', `Rate limit exceeded, retry in ${ctx.after}`),
  });
  if (failuresMax === 0) return undefined;

  // The same store (in process, or Redis) through the plugin's manual limiter; `increment: false` peeks.
  const failures = app.createRateLimit({
    keyGenerator: failureKeyOf,
    max: failuresMax,
    allowList: () => false,
  });
  const refuse = (reply: FastifyReply, ttlSeconds: number): never => {
    const seconds = Math.max(1, ttlSeconds);
    reply.header('retry-after', String(seconds));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many failed authentication attempts, retry in ${seconds} second${seconds === 1 ? '' : 's'}`,
    );
  };
  return {
    async check(request, reply) {
      const state = await failures(request, { increment: false });
      if (!state.isAllowed && state.isExceeded) refuse(reply, state.ttlInSeconds);
    },
    async fail(request, reply) {
      const state = await failures(request);
      if (!state.isAllowed && state.isExceeded) refuse(reply, state.ttlInSeconds);
    },
  };
}
