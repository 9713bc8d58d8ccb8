/**
 * Child process of durability.test.ts (not a test): opens the database the parent names (a PGlite directory, with
 * PGLITE_FSYNC as given, or PostgreSQL) and writes merchants `dur-<tag>-<n>` one commit at a time, printing `n`
 * once each commit has returned — an acknowledged write — until the parent kills it with SIGKILL.
 *
 * Env: CHILD_DATA_DIR or CHILD_DATABASE_URL; PGLITE_FSYNC; DUR_TAG.
 */
import { loadConfig } from '../../src/config.js';
import { createDb } from '../../src/db/index.js';
import { TenancyService } from '../../src/modules/tenancy/service.js';

const config = loadConfig(
  { PGLITE_FSYNC: process.env.PGLITE_FSYNC },
  process.env.CHILD_DATABASE_URL
    ? { databaseUrl: process.env.CHILD_DATABASE_URL }
    : { dataDir: process.env.CHILD_DATA_DIR },
);
const database = await createDb(config);
const tenancy = new TenancyService(database.db);
process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  await tenancy.createMerchant(`dur-${process.env.DUR_TAG}-${n}`);
  process.stdout.write(`${n}\n`);
}
