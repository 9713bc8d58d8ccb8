/**
 * 0010 — the change log of catalog versions (issue 7 item 5; docs/decisions/0019-catalog-delta-reload.md): one row per
 * catalog write (CatalogWriter), naming the items it changed, or NULL when it may have changed anything (groups,
 * attributes, regions, imports). A process holding a snapshot at version V that hears of version V' reloads only
 * the items named by the rows V+1…V' instead of the whole catalog, when every row is there and names its items.
 * Old rows are pruned by the writer. Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE catalog_changes (
      project_id  integer NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
      version     bigint NOT NULL,
      item_ids    integer[],
      created_at  timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (project_id, version)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE catalog_changes`.execute(db);
}
