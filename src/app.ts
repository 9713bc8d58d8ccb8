/**
 * buildApp(config, deps): the whole HTTP application as tests and the server both build it — plugins (CORS,
 * OpenAPI, docs UI), the error envelope, auth, health, and every operation of the operations table under `/api`.
 * The services (database, tenancy, items, catalog) hang off `app.services`; there are no module singletons.
 */
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { createDb, type Database } from './db/index.js';
import { clientErrorHandler, frameworkErrorHandler, installErrorHandlers } from './errors/handler.js';
import { authHook } from './http/auth.js';
import { installJsonBodyParser } from './http/json-body.js';
import { fastifyPath } from './http/operation.js';
import { operations } from './http/operations.js';
import { registerRateLimits } from './http/rate-limit.js';
import { nextRequestId } from './http/request-id.js';
import { ErrorResponse } from './http/schemas.js';
import { applyServerLimits, NOT_SHED, registerLoadShedding } from './http/server-limits.js';
import { requestValidatorCompiler } from './http/validation.js';
import { paystationPage } from './modules/paystation/page.js';
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

const SECURITY: Record<string, Record<string, string[]>[] | undefined> = {
  basic: [{ basicAuth: [] }],
  merchant: [{ basicMerchantAuth: [] }],
  user: [{ XsollaLoginUserJWT: [] }],
  'user-optional': [{}, { XsollaLoginUserJWT: [] }],
  cart: [{ AuthForCart: [] }],
  none: [],
};

/** Builds the application (not listening). */
export async function buildApp(config: Config, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : { level: config.logLevel, redact: ['req.headers.authorization', 'req.headers["x-user"]'] },
    genReqId: nextRequestId, // 32 hex (http/request-id.ts)
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy, // the client address of the rate limits (http/rate-limit.ts)
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 4096 }, // a 255-character sku, percent-encoded
    // Errors raised before a route is found, and by the HTTP parser, leave as the envelope too (ADR 0045).
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
  });
  applyServerLimits(app.server, config); // timeouts and the connection cap (ADR 0046)
  installJsonBodyParser(app); // JSON bodies nested too deep are refused before parsing (ADR 0045)
  app.setValidatorCompiler(requestValidatorCompiler());
  // Bodies are plain JSON: response schemas document, they do not filter (catalog pages are pre-serialized).
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const database = deps.database ?? (await createDb(config));
  const services = createServices(config, database, deps.clock);
  const { tenancy, catalog } = services;
  app.decorate('services', services);
  app.decorateRequest('auth', null as never);
  if (!deps.database) app.addHook('onClose', async () => database.close());
  // Catalog sync between processes (catalog/sync.ts): listens once ready, stops before the database closes.
  app.addHook('onReady', async () => services.catalogSync.start(app.log));
  app.addHook('onClose', async () => services.catalogSync.close());
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

  await app.register(cors, {
    origin: config.corsOrigin === '*' ? '*' : config.corsOrigin.split(',').map((s) => s.trim()),
    allowedHeaders: CORS_ALLOWED_HEADERS,
    exposedHeaders: ['ETag', 'Retry-After'],
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
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(paystationPage); // GET /paystation4/?token= — the sandbox pay station page (outside /api)
  app.get('/health/live', { schema: { hide: true }, config: NOT_SHED }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await database.db.selectFrom('projects').select('project_id').limit(1).execute();
      return { status: 'ok', engine: database.engine };
    } catch {
      return reply.code(503).send({ status: 'unavailable' });
    }
  });

  // before the routes: it hooks routes as they are added; `authFailures` limits failed logins (ADR 0047)
  const authFailures = await registerRateLimits(app, config);
  for (const op of operations) {
    app.route({
      method: op.method,
      url: fastifyPath(op.path),
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
        tenancy,
        op.auth === 'basic' || op.auth === 'merchant' ? undefined : (id) => catalog.project(id),
        authFailures,
      ),
      ...(op.bodyLimit ? { bodyLimit: op.bodyLimit } : {}),
      handler: op.handler,
    });
  }
  return app;
}
