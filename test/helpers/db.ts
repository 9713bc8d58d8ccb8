/**
 * One database per test worker, shared by every test file it runs (vitest `isolate: false`): PGlite in memory,
 * or PostgreSQL at TEST_DATABASE_URL. Tests never truncate: each makes its own project (helpers/app.ts).
 */
import { createDb, type Database } from '../../src/db/index.js';

let shared: Promise<Database> | undefined;

export const testEngine = process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** The worker's database (opened and migrated on first use, closed when the worker exits). */
export function testDatabase(): Promise<Database> {
  shared ??= createDb(
    process.env.TEST_DATABASE_URL
      ? { databaseUrl: process.env.TEST_DATABASE_URL, dataDir: '', dbPoolSize: 10 }
      : { dataDir: 'memory://', dbPoolSize: 1 },
  );
  return shared;
}
