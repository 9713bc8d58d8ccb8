/**
 * createDb(config): the one way to a database. `DATABASE_URL` → a `pg.Pool` on PostgreSQL; absent → PGlite in
 * `DATA_DIR`, reached through its node-postgres adapter so both engines share the driver path and SQL dialect
 * (ADR 0001). Migrations run here, before the handle is returned.
 */
import { existsSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.js';
import { checkPostgres } from './connect.js';
import { durablePgliteOptions } from './durable-nodefs.js';
import { lockDataDir } from './lock.js';
import { migrations } from './migrations/index.js';
import type { DB } from './types.js';
import { guardPool } from './unit-of-work.js';

// numeric → string (exact decimals); int8 → string; timestamptz stays a Date.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => v);

export type Engine = 'postgres' | 'pglite';

/**
 * What an acknowledged write survives, as the engine reports it at open (ADR 0042): `fsync` — commits are flushed
 * to disk (PostgreSQL's `fsync`; PGlite: PGLITE_FSYNC in a data directory, never in memory); `synchronousCommit` —
 * PostgreSQL's `synchronous_commit` (`off`: a crash of the server can lose the last commits, without damage).
 */
export interface Durability {
  fsync: boolean;
  synchronousCommit: string;
  /** Where the data lives: `postgres`, `pglite-dir` or `pglite-memory`. */
  storage: 'postgres' | 'pglite-dir' | 'pglite-memory';
}

export interface Database {
  db: Kysely<DB>;
  engine: Engine;
  /** What an acknowledged write survives (read from the engine when it was opened). */
  durability: Durability;
  /** Closes the pool, the embedded engine and releases the data-directory lock. */
  close(): Promise<void>;
  /** Connections of the pool now: open, in use by a query or transaction, and callers waiting for one. */
  poolStats(): PoolStats;
}

export interface PoolStats {
  /** Largest number of connections (DB_POOL_SIZE; 1 on PGlite). */
  max: number;
  /** Connections open. */
  total: number;
  /** Connections checked out (running a query or a transaction). */
  inUse: number;
  /** Callers waiting for a connection. */
  waiting: number;
}

const READY_MARKER = '.itemshop-initialized';

class StaticMigrationProvider implements MigrationProvider {
  getMigrations() {
    return Promise.resolve(migrations);
  }
}

/** Applies every pending migration. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  // Migrations are independent of each other: one added with an earlier name still runs on a database that has later ones.
  const migrator = new Migrator({
    db,
    provider: new StaticMigrationProvider(),
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const hint =
      (error as { code?: string }).code === '42501'
        ? ' — the user of DATABASE_URL must be allowed to create tables in the database (GRANT CREATE, or use the owner)'
        : '';
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${reason}${hint}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

async function openPglite(
  dataDir: string,
  fsync: boolean,
): Promise<{ pool: pg.Pool; closeEngine: () => Promise<void> }> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const inMemory = dataDir.startsWith('memory://');
  let release = () => {};
  if (!inMemory) {
    const dir = resolve(dataDir);
    release = lockDataDir(dir);
    try {
      if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(join(dir, READY_MARKER))) {
        throw new Error(
          `The data directory ${dir} is not empty but was never fully initialized by Itemshop ` +
            `(no ${READY_MARKER}). Refusing to touch it; move it away or point DATA_DIR elsewhere.`,
        );
      }
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      release();
      throw e;
    }
  }
  try {
    const dir = resolve(dataDir);
    const pglite = inMemory
      ? await PGlite.create()
      : fsync
        ? await PGlite.create({ dataDir: dir, ...durablePgliteOptions(dir) })
        : await PGlite.create(dir);
    const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1 });
    return {
      pool,
      closeEngine: async () => {
        await pglite.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/** The engine's own durability settings. */
async function readDurability(db: Kysely<DB>, storage: Durability['storage']): Promise<Durability> {
  const { rows } = await sql<{ fsync: string; synchronous_commit: string }>`
    SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit`.execute(
    db,
  );
  return {
    fsync: storage !== 'pglite-memory' && rows[0].fsync === 'on',
    synchronousCommit: rows[0].synchronous_commit,
    storage,
  };
}

/**
 * Opens the configured database and migrates it to the latest schema. PGlite in a data directory flushes at
 * commit unless `pgliteFsync` is false (default true; ADR 0042).
 * @throws DataDirLockedError when another process owns the PGlite directory; Error on a half-initialized one;
 *   DatabaseStartupError (db/connect.ts) when PostgreSQL cannot be reached or refuses the connection.
 */
export async function createDb(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolSize'> &
    Partial<Pick<Config, 'dbConnectTimeoutSeconds' | 'pgliteFsync' | 'dbPoolGuard'>>,
): Promise<Database> {
  let pool: pg.Pool;
  let closeEngine = async () => {};
  let engine: Engine;
  if (config.databaseUrl) {
    engine = 'postgres';
    // One connection first, with a deadline: a clear one-line error instead of a hang or "ENOTFOUND base".
    await checkPostgres(config.databaseUrl, config.dbConnectTimeoutSeconds ?? 10);
    pool = new pg.Pool({ connectionString: config.databaseUrl, max: config.dbPoolSize });
  } else {
    engine = 'pglite';
    ({ pool, closeEngine } = await openPglite(config.dataDir, config.pgliteFsync ?? true));
  }
  // Inside a unit of work every statement goes through its transaction (unit-of-work.ts): checked under tests.
  if (config.dbPoolGuard ?? process.env.NODE_ENV === 'test') guardPool(pool);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.destroy();
    await closeEngine();
  };
  const poolStats = (): PoolStats => ({
    max: engine === 'pglite' ? 1 : config.dbPoolSize,
    total: pool.totalCount,
    inUse: pool.totalCount - pool.idleCount,
    waiting: pool.waitingCount,
  });
  let durability: Durability;
  try {
    await migrateToLatest(db);
    if (engine === 'pglite' && !config.dataDir.startsWith('memory://')) {
      writeFileSync(join(resolve(config.dataDir), READY_MARKER), new Date().toISOString());
    }
    durability = await readDurability(
      db,
      engine === 'postgres'
        ? 'postgres'
        : config.dataDir.startsWith('memory://')
          ? 'pglite-memory'
          : 'pglite-dir',
    );
  } catch (e) {
    await close();
    throw e;
  }
  return { db, engine, durability, close, poolStats };
}
