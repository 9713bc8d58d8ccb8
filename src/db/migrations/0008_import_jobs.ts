/**
 * 0008 — catalog import jobs (endpoints.tsv group connector-admin; docs/decisions/0012-catalog-import-export.md).
 * One row per import: the parsed file (its entries in processing order), a cursor (`processed`), the per-entry
 * errors and a lease, so a worker of any process can resume an import another one left unfinished.
 * Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE import_jobs (
      import_id     text PRIMARY KEY,
      project_id    integer NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
      -- the file URL of the API call, or "cli:<path or url>" for the command line
      source        text NOT NULL,
      mode          text NOT NULL CHECK (mode IN ('create','create_and_update','sync')),
      status        text NOT NULL DEFAULT 'initialized' CHECK (status IN ('initialized','process','done','error')),
      -- the entries of the file, in the order they are applied (an array of {kind, sku, section, index, body})
      entries       jsonb NOT NULL,
      total         integer NOT NULL CHECK (total >= 0),
      -- entries handled so far (applied or reported); the next one to apply is entries[processed]
      processed     integer NOT NULL DEFAULT 0 CHECK (processed >= 0 AND processed <= total),
      -- when the entry at the cursor started: an item created after it may be that entry's own write
      in_flight_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
      errors        jsonb NOT NULL DEFAULT '[]',
      errors_count  integer NOT NULL DEFAULT 0,
      -- a general failure of the whole import (not of one entry)
      error         text,
      error_code    text,
      -- claims of the job (a crash-looping import is stopped after a few)
      attempts      integer NOT NULL DEFAULT 0,
      locked_by     text,
      locked_until  timestamptz,
      created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
      updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
      completed_at  timestamptz
    );
    CREATE INDEX import_jobs_project_idx ON import_jobs (project_id, created_at DESC);
    CREATE INDEX import_jobs_pending_idx ON import_jobs (created_at) WHERE status IN ('initialized','process');
  `.execute(db);
}
