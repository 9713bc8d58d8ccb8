/**
 * Configuration: environment variables and CLI flags parsed once into a typed object.
 *
 * Every setting has one name (its environment variable) and a default that makes
 * `itemshop serve` work on a fresh machine: PGlite under `./.itemshop/data`, port 8080.
 * Nothing branches on NODE_ENV. See the configuration table in README.md.
 */
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

export const ConfigSchema = Type.Object({
  /** TCP port of the HTTP server. */
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  /** Interface to bind. */
  host: Type.String({ default: '0.0.0.0' }),
  /** PostgreSQL connection string; absent → embedded PGlite in `dataDir`. */
  databaseUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** PGlite data directory (used only without `databaseUrl`); `memory://` keeps it in memory. */
  dataDir: Type.String({ default: './.itemshop/data' }),
  /**
   * PGlite in a data directory: flush (fsync) the write-ahead log at every commit and the data files at checkpoints,
   * so an acknowledged write survives a power cut. false = PGlite's own default: written to the OS at commit but not
   * flushed (survives a crash of the process, not of the machine); faster. ADR 0042.
   */
  pgliteFsync: Type.Boolean({ default: true }),
  /**
   * Make the pool refuse a connection asked for inside a unit of work (db/unit-of-work.ts guardPool): a statement
   * that bypasses the transaction fails with an error naming the mistake instead of deadlocking PGlite. Default: on
   * under tests (NODE_ENV=test), off otherwise — on Node 20 the AsyncLocalStorage it needs costs every request of the
   * process (bench R1, PostgreSQL: 86–116 µs CPU per request without it, 149–161 µs with it).
   */
  dbPoolGuard: Type.Optional(Type.Boolean()),
  /** Redis connection string; optional (shared counters, fan-out). */
  redisUrl: Type.Optional(Type.String({ minLength: 1 })),
  /** pino log level. */
  logLevel: Type.Union(
    [
      Type.Literal('fatal'),
      Type.Literal('error'),
      Type.Literal('warn'),
      Type.Literal('info'),
      Type.Literal('debug'),
      Type.Literal('trace'),
      Type.Literal('silent'),
    ],
    { default: 'info' },
  ),
  /**
   * Log lines: `auto` = one readable line per entry (pino-pretty) when standard output is a terminal, JSON
   * otherwise; `json` or `pretty` to choose (src/ops/logging.ts).
   */
  logFormat: Type.Union([Type.Literal('auto'), Type.Literal('json'), Type.Literal('pretty')], {
    default: 'auto',
  }),
  /** Bearer token `/metrics` requires (`Authorization: Bearer <token>`); unset = open (src/ops/metrics.ts). */
  metricsToken: Type.Optional(Type.String({ minLength: 1 })),
  /** Longest wait for PostgreSQL to accept the first connection at start-up, in seconds (src/db/connect.ts). */
  dbConnectTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 600, default: 10 }),
  /** Pool size for PostgreSQL (PGlite always uses one connection). */
  dbPoolSize: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  /** Create and fill the demo project (id 59080) when it does not exist yet. */
  demo: Type.Boolean({ default: false }),
  /** Public base URL printed in links (pay station, docs). Defaults to http://localhost:<port>. */
  publicUrl: Type.Optional(Type.String()),
  /** Allowed CORS origins: `*` or a comma-separated list. */
  corsOrigin: Type.String({ default: '*' }),
  /** Request header a trusted proxy sets with the client's country (e.g. CF-IPCountry). */
  countryHeader: Type.Optional(Type.String({ minLength: 1 })),
  /** Largest accepted request body, in bytes. */
  bodyLimit: Type.Integer({ minimum: 1024, default: 1_048_576 }),
  /** Bounded LRU of rendered catalog pages, in entries. */
  catalogCacheEntries: Type.Integer({ minimum: 16, default: 5000 }),
  /** Rate-limit window, in seconds (src/http/rate-limit.ts). */
  rateLimitWindowSeconds: Type.Integer({ minimum: 1, default: 60 }),
  /** Admin calls allowed per project (or merchant) per window; 0 = unlimited. */
  rateLimitAdminMax: Type.Integer({ minimum: 0, default: 3000 }),
  /** Client calls (catalog, cart, orders…) allowed per client address per window; 0 = unlimited. */
  rateLimitClientMax: Type.Integer({ minimum: 0, default: 12_000 }),
  /**
   * Failed authentications (wrong admin or merchant key, invalid user token) allowed per client address and
   * project (or merchant) named, per window; past it 429 (ADR 0047). 0 = unlimited.
   */
  rateLimitAuthFailuresMax: Type.Integer({ minimum: 0, default: 20 }),
  /** Trust `X-Forwarded-For` from a proxy in front (the client address of the rate limits). */
  trustProxy: Type.Boolean({ default: false }),
  /** Several processes: how often each compares its catalog snapshots with the database, in s (0 = never). */
  catalogSyncRecheckSeconds: Type.Integer({ minimum: 0, default: 5 }),
  /** Seconds an unpaid order stays payable before it becomes `expired`. */
  orderTtlSeconds: Type.Integer({ minimum: 1, default: 86_400 }),
  /** Seconds a payment token opens the pay station. */
  paymentTokenTtlSeconds: Type.Integer({ minimum: 1, default: 86_400 }),
  /** Seconds between sweeps that expire unpaid orders (0 = no sweeper; reads still expire them lazily). */
  orderSweepIntervalSeconds: Type.Integer({ minimum: 0, default: 60 }),
  /** Run the webhook delivery worker in this process (src/modules/webhooks/worker.ts). */
  webhookWorker: Type.Boolean({ default: true }),
  /**
   * Waits between webhook attempts after a failure: `<count>x<delay><unit>` groups, unit ms|s|m|h. The default is
   * the real service's schedule (2 retries 5 minutes apart, then 7 at 15 minutes, then 10 at 60 minutes).
   */
  webhookRetrySchedule: Type.String({
    default: '2x5m,7x15m,10x60m',
    pattern: '^\\s*\\d+x\\d+(ms|s|m|h)\\s*(,\\s*\\d+x\\d+(ms|s|m|h)\\s*)*$',
  }),
  /** Longest wait for a webhook receiver's answer, in ms (no answer in time = a failed attempt, retried). */
  webhookTimeoutMs: Type.Integer({ minimum: 100, maximum: 120_000, default: 10_000 }),
  /** How often the worker looks for due webhooks written by other processes, in ms. */
  webhookPollIntervalMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 1000 }),
  /** Webhook deliveries in flight at once per process: also the most a crash of the process can send twice. */
  webhookConcurrency: Type.Integer({ minimum: 1, maximum: 100, default: 4 }),
  /** Run the catalog import worker in this process (src/modules/connector/worker.ts). */
  importWorker: Type.Boolean({ default: true }),
  /** Directory whose `.json` files imports may name as `file://` URLs (local development); unset: refused. */
  importFileDir: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM certificate (chain) file: with `tlsKeyFile`, the server speaks HTTPS (and WSS) instead of HTTP (ADR 0037). */
  tlsCertFile: Type.Optional(Type.String({ minLength: 1 })),
  /** PEM private key file of `tlsCertFile`. */
  tlsKeyFile: Type.Optional(Type.String({ minLength: 1 })),
  /** Realtime order channel (`/connection/websocket`): seconds between the server's pings (Centrifugo: 25). */
  realtimePingIntervalSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 25 }),
  /** Seconds a realtime client has to answer a ping before it is disconnected (Centrifugo: 8). */
  realtimePongTimeoutSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 8 }),
  // HTTP server limits (src/http/server-limits.ts, ADR 0046)
  /** Longest wait for a request's complete headers, in ms (then 408 and the connection is closed). */
  httpHeadersTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 15_000 }),
  /** Longest wait for a complete request, headers and body, in ms (then 408 and close); ≥ the headers timeout. */
  httpRequestTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 60_000 }),
  /** How long an idle keep-alive connection stays open after a response, in ms. */
  httpKeepAliveTimeoutMs: Type.Integer({ minimum: 100, maximum: 3_600_000, default: 72_000 }),
  /** A connection on which nothing is sent or received for this long is closed, in ms (0 = never). */
  httpConnectionTimeoutMs: Type.Integer({ minimum: 0, maximum: 3_600_000, default: 120_000 }),
  /** Most connections one process holds open (websockets included); more are refused at accept (0 = no cap). */
  httpMaxConnections: Type.Integer({ minimum: 0, default: 4096 }),
  /** Shed requests (503) while the event loop lags more than this, in ms (0 = never). */
  pressureMaxLoopDelayMs: Type.Integer({ minimum: 0, default: 1000 }),
  /** Shed requests (503) while the JS heap is fuller than this share of V8's heap limit, in percent (0 = never). */
  pressureMaxHeapPercent: Type.Number({ minimum: 0, maximum: 100, default: 90 }),
  /** Shed requests (503) while the process's resident memory exceeds this, in MB (0 = never). */
  pressureMaxRssMb: Type.Integer({ minimum: 0, default: 0 }),
  /** `Retry-After` of a shed request, in seconds. */
  pressureRetryAfterSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 10 }),
});

export type Config = Static<typeof ConfigSchema>;

/** Environment variable → config key. */
const ENV: Record<string, keyof Config> = {
  PORT: 'port',
  HOST: 'host',
  DATABASE_URL: 'databaseUrl',
  DATA_DIR: 'dataDir',
  PGLITE_FSYNC: 'pgliteFsync',
  REDIS_URL: 'redisUrl',
  LOG_LEVEL: 'logLevel',
  LOG_FORMAT: 'logFormat',
  METRICS_TOKEN: 'metricsToken',
  DB_CONNECT_TIMEOUT_SECONDS: 'dbConnectTimeoutSeconds',
  DB_POOL_SIZE: 'dbPoolSize',
  DB_POOL_GUARD: 'dbPoolGuard',
  ITEMSHOP_DEMO: 'demo',
  PUBLIC_URL: 'publicUrl',
  CORS_ORIGIN: 'corsOrigin',
  COUNTRY_HEADER: 'countryHeader',
  BODY_LIMIT: 'bodyLimit',
  CATALOG_CACHE_ENTRIES: 'catalogCacheEntries',
  RATE_LIMIT_WINDOW_SECONDS: 'rateLimitWindowSeconds',
  RATE_LIMIT_ADMIN_MAX: 'rateLimitAdminMax',
  RATE_LIMIT_CLIENT_MAX: 'rateLimitClientMax',
  RATE_LIMIT_AUTH_FAILURES_MAX: 'rateLimitAuthFailuresMax',
  TRUST_PROXY: 'trustProxy',
  CATALOG_SYNC_RECHECK_SECONDS: 'catalogSyncRecheckSeconds',
  ORDER_TTL_SECONDS: 'orderTtlSeconds',
  PAYMENT_TOKEN_TTL_SECONDS: 'paymentTokenTtlSeconds',
  ORDER_SWEEP_INTERVAL_SECONDS: 'orderSweepIntervalSeconds',
  WEBHOOK_WORKER: 'webhookWorker',
  WEBHOOK_RETRY_SCHEDULE: 'webhookRetrySchedule',
  WEBHOOK_TIMEOUT_MS: 'webhookTimeoutMs',
  WEBHOOK_POLL_INTERVAL_MS: 'webhookPollIntervalMs',
  WEBHOOK_CONCURRENCY: 'webhookConcurrency',
  IMPORT_WORKER: 'importWorker',
  IMPORT_FILE_DIR: 'importFileDir',
  TLS_CERT_FILE: 'tlsCertFile',
  TLS_KEY_FILE: 'tlsKeyFile',
  REALTIME_PING_SECONDS: 'realtimePingIntervalSeconds',
  REALTIME_PONG_WAIT_SECONDS: 'realtimePongTimeoutSeconds',
  HTTP_HEADERS_TIMEOUT_MS: 'httpHeadersTimeoutMs',
  HTTP_REQUEST_TIMEOUT_MS: 'httpRequestTimeoutMs',
  HTTP_KEEP_ALIVE_TIMEOUT_MS: 'httpKeepAliveTimeoutMs',
  HTTP_CONNECTION_TIMEOUT_MS: 'httpConnectionTimeoutMs',
  HTTP_MAX_CONNECTIONS: 'httpMaxConnections',
  PRESSURE_MAX_LOOP_DELAY_MS: 'pressureMaxLoopDelayMs',
  PRESSURE_MAX_HEAP_PERCENT: 'pressureMaxHeapPercent',
  PRESSURE_MAX_RSS_MB: 'pressureMaxRssMb',
  PRESSURE_RETRY_AFTER_SECONDS: 'pressureRetryAfterSeconds',
};

/** The environment variables understood, for the README and `itemshop --help`. */
export const CONFIG_ENV_NAMES = Object.keys(ENV);

/**
 * Builds the configuration from `env` (usually `process.env`) and explicit overrides (CLI flags, tests).
 * Empty strings count as unset. Throws an Error naming the offending setting when a value is invalid, or when only
 * one of TLS_CERT_FILE and TLS_KEY_FILE is given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) raw[k] = v;
  const converted = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  if (!Value.Check(ConfigSchema, converted)) {
    const first = [...Value.Errors(ConfigSchema, converted)][0];
    const key = first?.instancePath.replace(/^\//, '') ?? '?';
    const envName = Object.entries(ENV).find(([, k]) => k === key)?.[0] ?? key;
    throw new Error(`Invalid configuration ${envName}: ${first?.message ?? 'invalid value'}`);
  }
  const config = converted as Config;
  if (!config.tlsCertFile !== !config.tlsKeyFile)
    throw new Error(
      'Invalid configuration TLS_CERT_FILE / TLS_KEY_FILE: give both the certificate and its key',
    );
  if (config.httpHeadersTimeoutMs > config.httpRequestTimeoutMs)
    throw new Error(
      'Invalid configuration HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
    );
  return config;
}
