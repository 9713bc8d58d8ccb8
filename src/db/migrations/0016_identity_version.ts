/**
 * 0016 — identity versions (issue 14 §4). `projects.identity_version`
 * is bumped by every write to what authenticates a project (its name, JWT secret, JWKS URL, its own API keys);
 * `merchants.identity_version` by every write to the merchant's merchant-wide keys. The ProjectDirectory
 * (modules/tenancy/directory.ts) caches a project or merchant at a version and drops it when a newer one is
 * announced on the fan-out (`identity` message). Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE projects ADD COLUMN identity_version bigint NOT NULL DEFAULT 1;
    ALTER TABLE merchants ADD COLUMN identity_version bigint NOT NULL DEFAULT 1;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE merchants DROP COLUMN IF EXISTS identity_version;
    ALTER TABLE projects DROP COLUMN IF EXISTS identity_version;
  `.execute(db);
}
