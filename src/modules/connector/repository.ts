/**
 * SQL of import jobs (migration 0008) and the few reads and writes of the import that no other area offers.
 * Every method takes the executor first. Leases: a job belongs to the worker named in `locked_by` until
 * `locked_until`; every write of a running job is conditional on still holding it.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, ImportJobsTable } from '../../db/types.js';
import type { ImportEntry } from './format.js';

export type ImportMode = Selectable<ImportJobsTable>['mode'];
export type ImportStatus = Selectable<ImportJobsTable>['status'];

/** One per-entry error as get-items-import-status shows it. */
export interface EntryError {
  sku: string;
  type: string;
  error_code: number;
  error_message: string;
}

/** A stored job (lease columns left out: only the repository's conditional writes use them). */
export type ImportJobRow = Omit<
  Selectable<ImportJobsTable>,
  'entries' | 'errors' | 'locked_by' | 'locked_until' | 'in_flight_at'
> & {
  entries: ImportEntry[];
  errors: EntryError[];
};

const JOB_COLUMNS = [
  'import_id',
  'project_id',
  'source',
  'mode',
  'status',
  'entries',
  'total',
  'processed',
  'errors',
  'errors_count',
  'error',
  'error_code',
  'attempts',
  'created_at',
  'updated_at',
  'completed_at',
] as const;

/** A job without its entries (status reads). */
export type ImportJobSummary = Omit<ImportJobRow, 'entries'>;

const lease = (seconds: number) => sql<Date>`clock_timestamp() + make_interval(secs => ${seconds})`;

export const importRepository = {
  /** Stores a new job; with `owner` it is created held by that worker for `leaseSeconds` (no one else takes it). */
  async insert(
    ex: Executor,
    job: { import_id: string; project_id: number; source: string; mode: ImportMode; entries: ImportEntry[] },
    holder?: { owner: string; leaseSeconds: number },
  ): Promise<void> {
    await ex
      .insertInto('import_jobs')
      .values({
        ...job,
        entries: JSON.stringify(job.entries),
        total: job.entries.length,
        ...(holder ? { locked_by: holder.owner, locked_until: lease(holder.leaseSeconds) } : {}),
      })
      .execute();
  },

  /** The project's latest import, without its entries. */
  async latest(ex: Executor, projectId: number): Promise<ImportJobSummary | undefined> {
    const row = await ex
      .selectFrom('import_jobs')
      .select(JOB_COLUMNS.filter((c) => c !== 'entries'))
      .where('project_id', '=', projectId)
      .orderBy('created_at', 'desc')
      .orderBy('import_id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row as ImportJobSummary | undefined;
  },

  /** One import by id, without its entries. */
  async find(ex: Executor, importId: string): Promise<ImportJobSummary | undefined> {
    const row = await ex
      .selectFrom('import_jobs')
      .select(JOB_COLUMNS.filter((c) => c !== 'entries'))
      .where('import_id', '=', importId)
      .executeTakeFirst();
    return row as ImportJobSummary | undefined;
  },

  /**
   * Takes the oldest unfinished job nobody else holds (or `importId` only) for `owner` for `leaseSeconds`, marks
   * it `process` and counts the attempt. Concurrent workers never take the same job (SKIP LOCKED).
   */
  async claim(
    ex: Executor,
    owner: string,
    leaseSeconds: number,
    importId?: string,
  ): Promise<ImportJobRow | undefined> {
    const { rows } = await sql<ImportJobRow>`
      UPDATE import_jobs SET locked_by = ${owner}, locked_until = ${lease(leaseSeconds)},
        attempts = attempts + 1, status = 'process', updated_at = clock_timestamp()
      WHERE import_id = (
        SELECT import_id FROM import_jobs
        WHERE status IN ('initialized', 'process')
          AND (locked_until IS NULL OR locked_until < clock_timestamp() OR locked_by = ${owner})
          ${importId === undefined ? sql`` : sql`AND import_id = ${importId}`}
        ORDER BY created_at, import_id
        LIMIT 1
        FOR UPDATE SKIP LOCKED)
      RETURNING ${sql.join(JOB_COLUMNS.map((c) => sql.ref(c)))}`.execute(ex);
    return rows[0];
  },

  /**
   * Records one handled entry (and its error), renews the lease and stamps the start of the next entry.
   * Returns false when `owner` no longer holds the job (nothing is written then).
   */
  async advance(
    ex: Executor,
    importId: string,
    owner: string,
    error: EntryError | null,
    leaseSeconds: number,
  ): Promise<boolean> {
    const r = await ex
      .updateTable('import_jobs')
      .set({
        processed: sql`processed + 1`,
        errors: error ? sql`errors || ${JSON.stringify([error])}::jsonb` : sql`errors`,
        errors_count: error ? sql`errors_count + 1` : sql`errors_count`,
        in_flight_at: sql`clock_timestamp()`,
        updated_at: sql`clock_timestamp()`,
        locked_until: lease(leaseSeconds),
      })
      .where('import_id', '=', importId)
      .where('locked_by', '=', owner)
      .where('processed', '<', sql<number>`total`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Appends errors of the closing steps (not counted in `processed`). False when the lease is lost. */
  async addErrors(ex: Executor, importId: string, owner: string, errors: EntryError[]): Promise<boolean> {
    if (errors.length === 0) return true;
    const r = await ex
      .updateTable('import_jobs')
      .set({
        errors: sql`errors || ${JSON.stringify(errors)}::jsonb`,
        errors_count: sql`errors_count + ${errors.length}`,
        updated_at: sql`clock_timestamp()`,
      })
      .where('import_id', '=', importId)
      .where('locked_by', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Finishes the job: `done`, or `error` when an entry failed. False when the lease is lost. */
  async complete(ex: Executor, importId: string, owner: string): Promise<boolean> {
    const r = await ex
      .updateTable('import_jobs')
      .set({
        status: sql`CASE WHEN errors_count > 0 THEN 'error' ELSE 'done' END`,
        completed_at: sql`clock_timestamp()`,
        updated_at: sql`clock_timestamp()`,
        locked_by: null,
        locked_until: null,
      })
      .where('import_id', '=', importId)
      .where('locked_by', '=', owner)
      .where('processed', '=', sql<number>`total`)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  },

  /** Ends the job with a general error (`error`, `error_code`); entries left are not applied. */
  async fail(ex: Executor, importId: string, error: string, errorCode: string): Promise<void> {
    await ex
      .updateTable('import_jobs')
      .set({
        status: 'error',
        error,
        error_code: errorCode,
        completed_at: sql`clock_timestamp()`,
        updated_at: sql`clock_timestamp()`,
        locked_by: null,
        locked_until: null,
      })
      .where('import_id', '=', importId)
      .execute();
  },

  /** Gives the job back unfinished (a graceful stop): any worker may resume it at once; the attempt is not counted. */
  async release(ex: Executor, importId: string, owner: string): Promise<void> {
    await ex
      .updateTable('import_jobs')
      .set({ locked_by: null, locked_until: null, attempts: sql`greatest(attempts - 1, 0)` })
      .where('import_id', '=', importId)
      .where('locked_by', '=', owner)
      .where('status', '=', 'process')
      .execute();
  },

  /**
   * Whether the item `sku` of the project was created after the job's entry at the cursor started — i.e. it may
   * be that entry's own write, committed just before an interrupted worker could record it.
   */
  async createdSinceCursor(ex: Executor, importId: string, projectId: number, sku: string): Promise<boolean> {
    const row = await ex
      .selectFrom('items')
      .select('item_id')
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .where('created_at', '>=', (eb) =>
        eb.selectFrom('import_jobs').select('in_flight_at').where('import_id', '=', importId),
      )
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Skus of the items in the group `externalId` of the project. */
  async groupMemberSkus(ex: Executor, projectId: number, externalId: string): Promise<Set<string>> {
    const rows = await ex
      .selectFrom('item_group_links as l')
      .innerJoin('item_groups as g', 'g.group_id', 'l.group_id')
      .innerJoin('items as i', 'i.item_id', 'l.item_id')
      .select('i.sku')
      .where('g.project_id', '=', projectId)
      .where('g.external_id', '=', externalId)
      .execute();
    return new Set(rows.map((r) => r.sku));
  },
};
