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
});

export type Config = Static<typeof ConfigSchema>;

/** Environment variable → config key. */
const ENV: Record<string, keyof Config> = {
  PORT: 'port',
  HOST: 'host',
  DATABASE_URL: 'databaseUrl',
  DATA_DIR: 'dataDir',
  REDIS_URL: 'redisUrl',
  LOG_LEVEL: 'logLevel',
  DB_POOL_SIZE: 'dbPoolSize',
  ITEMSHOP_DEMO: 'demo',
  PUBLIC_URL: 'publicUrl',
  CORS_ORIGIN: 'corsOrigin',
  COUNTRY_HEADER: 'countryHeader',
  BODY_LIMIT: 'bodyLimit',
  CATALOG_CACHE_ENTRIES: 'catalogCacheEntries',
};

/** The environment variables understood, for the README and `itemshop --help`. */
export const CONFIG_ENV_NAMES = Object.keys(ENV);

/**
 * Builds the configuration from `env` (usually `process.env`) and explicit overrides (CLI flags, tests).
 * Empty strings count as unset. Throws an Error naming the offending setting when a value is invalid.
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
  return converted as Config;
}
