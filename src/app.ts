/**
 * The whole HTTP application as a Fastify plugin (`itemshop`, issue 14 §6, the shape of fastify/demo's
 * `serviceApp`): plugins (CORS, OpenAPI, docs UI), the error envelope, auth, health, and every operation of the
 * operations table under `/api`. The services (database, tenancy, items, catalog) hang off `app.services`; there
 * are no module singletons.
 *
 * - `buildApp(config, deps)` is the thin wrapper tests and the CLI use: a Fastify server with
 *   `itemshopServerOptions` (TLS, logger, request ids, router options, framework errors) and the plugin
 *   registered with fastify-plugin, so `app.services` is on the root.
 * - A studio mounts Itemshop in its own Fastify server with `server.register(itemshop, { config })`, encapsulated
 *   (its error handler, compilers and `services` stay inside), or wrapped as buildApp does to see `services`.
 *   Settings only a server can have (the query-string parser that splits comma-joined lists, trailing-slash
 *   tolerance, framework errors in the envelope, connection timeouts) come from `itemshopServerOptions(config)`
 *   and `applyServerLimits`: give them to the host's `Fastify(...)` for exactly the behaviour of `itemshop serve`.
 */
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import fastifyStatic from '@fastify/static';
import swaggerUi from '@fastify/swagger-ui';
import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from './config.js';
import { createDb, type Database } from './db/index.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandlers } from './errors/handler.js';
import { authHook } from './http/auth.js';
import { installJsonBodyParser } from './http/json-body.js';
import { fastifyPath } from './http/operation.js';
import { operations } from './http/operations.js';
import { parseQueryString } from './http/query.js';
import { registerRateLimits } from './http/rate-limit.js';
import { nextRequestId } from './lib/request-id.js';
import { ErrorResponse } from './http/schemas.js';
import { staticOptions } from './http/static.js';
import { tlsOptions } from './http/tls.js';
import { applyServerLimits, registerLoadShedding } from './http/server-limits.js';
import { requestValidatorCompiler } from './http/validation.js';
import { paystationPage } from './modules/paystation/page.js';
import { paystationWidget } from './modules/paystation/widget.js';
import { installOps } from './ops/index.js';
import { docsUiOptions } from './ops/docs-ui.js';
import { loggerOptions, RequestLogController } from './ops/logging.js';
import { registerRealtimeSocket } from './modules/realtime/socket.js';
import { createServices, type Services } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

export interface AppDeps {
  /** An open database to use (tests share one); the app then does not close it. Default: createDb(config). */
  database?: Database;
  /** Clock for the catalog (ms since epoch). */
  clock?: () => number;
  /** Where log lines go instead of standard output (tests); the format follows LOG_FORMAT (ops/logging.ts). */
  logDestination?: Writable;
}

/** Request headers browsers and SDKs send (spec/NOTES.md "Headers and transport"). */
export const CORS_ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'X-ENGINE',
  'X-ENGINE-V',
  'X-SDK',
  'X-SDK-V',
  'X-BUILD-PLATFORM',
  'x-unauthorized-id',
  'x-user',
  'x-user-for',
  'x-user-id',
  'X-User-Ip',
  'Idempotency-Key',
  'If-None-Match',
];

/** Version of the package (package.json), shown by `GET /` and the `itemshop_info` metric. */
const APP_VERSION = (() => {
  try {
    return (
      JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    ).version;
  } catch {
    return 'unknown';
  }
})();

const SECURITY: Record<string, Record<string, string[]>[] | undefined> = {
  basic: [{ basicAuth: [] }],
  merchant: [{ basicMerchantAuth: [] }],
  user: [{ XsollaLoginUserJWT: [] }],
  'user-optional': [{}, { XsollaLoginUserJWT: [] }],
  cart: [{ AuthForCart: [] }],
  none: [],
};

/** What the `itemshop` plugin is registered with: the configuration and, optionally, the AppDeps. */
export interface ItemshopOptions extends AppDeps {
  config: Config;
}

/**
 * The Fastify server options Itemshop expects of the server it runs in (TLS when TLS_CERT_FILE / TLS_KEY_FILE are
 * set, logger, request ids, body limit, proxy trust, router options, framework errors in the envelope).
 */
export function itemshopServerOptions(config: Config, deps: AppDeps = {}): FastifyServerOptions {
  const https = tlsOptions(config); // HTTPS when TLS_CERT_FILE / TLS_KEY_FILE are set (http/tls.ts)
  return {
    ...(https ? { https } : {}),
    // Readable or JSON lines, secrets redacted, one line per request with its transactionId (ops/logging.ts).
    logger: loggerOptions(config, { destination: deps.logDestination }),
    logController: new RequestLogController(),
    genReqId: nextRequestId, // 32 hex (lib/request-id.ts)
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy, // the client address of the rate limits (http/rate-limit.ts)
    routerOptions: {
      ignoreTrailingSlash: true,
      maxParamLength: 4096, // a 255-character sku, percent-encoded
      querystringParser: parseQueryString, // comma-joined list parameters split (http/query.ts)
    },
    // Errors raised before a route is found, and by the HTTP parser, leave as the envelope too (ADR 0045).
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    pluginTimeout: 0, // opening the database and migrating it may take longer than the default 10 s
  } as FastifyServerOptions;
}

/** Builds the application (not listening): a server with `itemshopServerOptions` and the `itemshop` plugin. */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify(itemshopServerOptions(config, deps));
  applyServerLimits(app.server, config); // timeouts and the connection cap (ADR 0046)
  // a wrapper in fastify-plugin (fp marks the function it is given, so `itemshop` itself stays encapsulated)
  await app.register(
    fp<ItemshopOptions>((instance, opts) => itemshop(instance, opts), { name: 'itemshop' }),
    { config, ...deps },
  );
  return app;
}

/**
 * The Itemshop application as a plugin: opens (or takes) the database, builds the services, and registers every
 * hook, plugin and route. @throws what createDb throws (the database cannot be opened or migrated).
 */
export const itemshop: FastifyPluginAsync<ItemshopOptions> = async (app, { config, ...deps }) => {
  installJsonBodyParser(app); // JSON bodies nested too deep are refused before parsing (ADR 0045)
  app.setValidatorCompiler(requestValidatorCompiler());
  // Bodies are plain JSON: response schemas document, they do not filter (catalog pages are pre-serialized).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const database = deps.database ?? (await createDb(config));
  const services = createServices(config, database, deps.clock, app.log);
  const { tenancy } = services;
  app.decorate('services', services);
  app.decorateRequest('auth', null as never);
  if (!deps.database) app.addHook('onClose', async () => database.close());
  // The fan-out between processes (src/fanout) and the catalog sync over it (catalog/sync.ts): listening once
  // ready, stopped before the database closes (the sync first).
  app.addHook('onReady', async () => services.fanout.start(app.log));
  app.addHook('onClose', async () => services.fanout.close());
  app.addHook('onReady', async () => services.catalogSync.start(app.log));
  app.addHook('onClose', async () => services.catalogSync.close());
  // Volatile availability announces what it still holds before the fan-out stops (onClose: last added, first run).
  app.addHook('onClose', async () => services.availability.close());
  // The realtime order channel (modules/realtime): hears status changes once ready; its WebSocket endpoint
  // `/connection/websocket` is served on this server (HTTP or HTTPS) and closes its connections in preClose.
  app.addHook('onReady', async () => services.realtime.start(app.log));
  app.addHook('onClose', async () => services.realtime.close());
  registerRealtimeSocket(app, services.realtime, {
    pingIntervalSeconds: config.realtimePingIntervalSeconds,
    pongTimeoutSeconds: config.realtimePongTimeoutSeconds,
    connectTimeoutSeconds: 10,
  });
  // Webhook delivery worker: started when ready, stopped and flushed on close (onClose runs last-added first, so
  // before the database closes).
  if (config.webhookWorker) app.addHook('onReady', async () => services.webhooks.start(app.log));
  app.addHook('onClose', async () => services.webhooks.stop());
  // Catalog import worker: the same lifecycle (an import in progress is given back on close, resumed later).
  if (config.importWorker) app.addHook('onReady', async () => services.imports.startWorker(app.log));
  app.addHook('onClose', async () => services.imports.stopWorker());
  // Expiry of unpaid orders (ORDER_SWEEP_INTERVAL_SECONDS): the same lifecycle.
  app.addHook('onReady', async () =>
    services.orders.startSweeper((err) => app.log.error({ err }, 'order sweep failed')),
  );
  app.addHook('onClose', async () => services.orders.stopSweeper());

  installErrorHandlers(app);
  app.addSchema(ErrorResponse);
  await registerLoadShedding(app, config); // 503 + Retry-After under pressure (ADR 0046)
  // Operation ids on every route, request log lines and metrics, /metrics, /health/*, GET / (src/ops).
  installOps(app, services, config, APP_VERSION);

  await app.register(cors, {
    origin: config.corsOrigin === '*' ? '*' : config.corsOrigin.split(',').map((s) => s.trim()),
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['ETag', 'Retry-After', 'X-User-Locale-Code', 'X-User-Country-Code'], // with_geo (ADR 0026)
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    maxAge: 600,
  });

  // multipart/form-data bodies (code uploads); routes read them with request.parts() and set their own limits.
  await app.register(multipart);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Itemshop — Xsolla Catalog API 2.0.0 compatible store',
        version: '2.0.0',
        description:
          'Self-hosted implementation of the Xsolla Catalog API. Paths match https://store.xsolla.com/api.',
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          basicAuth: { type: 'http', scheme: 'basic', description: '`project_id:api_key`' },
          basicMerchantAuth: { type: 'http', scheme: 'basic', description: '`merchant_id:api_key`' },
          XsollaLoginUserJWT: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          AuthForCart: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'A user JWT, or the guest mode headers `x-unauthorized-id` and `x-user` (base64 email).',
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _frag, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, docsUiOptions(app.ops)); // demo ids and credentials filled in (ops/docs-ui.ts)
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(paystationPage); // GET /paystation{2,3,4}/?token= — the sandbox pay station page (outside /api)
  await app.register(fastifyStatic, staticOptions); // GET /static/* — files of public/ (demo images, widget)
  await app.register(paystationWidget); // GET /embed/paystation/<version>/widget.min.js — the pay station widget

  // before the routes: it hooks routes as they are added; `authFailures` limits failed logins (ADR 0047)
  const authFailures = await registerRateLimits(app, config);
  for (const op of operations) {
    app.route({
      method: op.method,
      url: fastifyPath(op),
      schema: {
        ...op.schema,
        operationId: op.docSlug,
        tags: [op.tag],
        summary: op.summary,
        description: op.description,
        security: SECURITY[op.auth],
        ...(op.extension ? { 'x-itemshop-extension': true } : {}),
      },
      // onRequest: credentials are checked before the body is parsed or validated (401 before 422).
      onRequest: authHook(
        op.auth,
        services.directory,
        tenancy,
        op.paymentToken ? (id, token) => services.orders.paymentTokenOwner(id, token) : undefined,
        authFailures,
      ),
      ...(op.bodyLimit ? { bodyLimit: op.bodyLimit } : {}),
      handler: op.handler,
    });
  }
};
