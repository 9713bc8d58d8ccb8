/**
 * Catalog import (endpoints.tsv group connector-admin; docs/decisions/0012-catalog-import-export.md).
 *
 * `start` fetches and parses the file in the request (a file that cannot be read, is not JSON or holds no item
 * section answers 422 at once, as the real connector does) and stores it as an import job; the job runs in the
 * background (ImportWorker, one per app process) and `status` shows the project's latest one. A job applies its
 * entries one by one, each in its own catalog write through the admin services (apply.ts); a refused entry is
 * recorded with the error its admin call answered and skipped. Progress is stored after every entry, under a
 * lease: a process that stops gracefully gives the job back at once, one that dies leaves it to be taken over when
 * its lease runs out, and the next worker resumes at the first entry not recorded. An import that keeps dying
 * (MAX_ATTEMPTS claims) is ended as failed.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError } from '../../errors/app-error.js';
import { itemsRepository } from '../items/repository.js';
import { formatIsoWithOffset } from '../../lib/dates.js';
import { checkedBody, EntryApplier, entryError, type ApplyContext, type ImportDeps } from './apply.js';
import { fetchImportFile, MAX_IMPORT_BYTES } from './fetch.js';
import { ITEM_KINDS, parseImportFile, type ImportEntry } from './format.js';
import {
  importRepository as repo,
  type EntryError,
  type ImportJobRow,
  type ImportJobSummary,
  type ImportMode,
} from './repository.js';
import { ImportWorker, type WorkerLogger } from './worker.js';

export type { ImportMode } from './repository.js';
export type { ImportDeps } from './apply.js';

/** Claims after which an import that never finished is ended as failed (a crash loop). */
export const MAX_ATTEMPTS = 5;
/** Lease of a running import, in seconds: renewed after every entry; a dead worker's job is free after it. */
export const LEASE_SECONDS = 30;
/** How often an idle worker looks for imports created by other processes, in ms. */
export const POLL_MS = 1000;
/** The offset the status dates are written in: GMT+3, as the real service does (spec get-items-import-status). */
const STATUS_OFFSET_MINUTES = 180;

export interface ImportOptions {
  /** Directory `file://` URLs may name (config IMPORT_FILE_DIR); absent: file:// is refused. */
  fileDir?: string;
  /** Largest file fetched for the API, in bytes (default 7 MB). */
  maxBytes?: number;
  leaseSeconds?: number;
  pollMs?: number;
}

/** Progress of a run: entries handled so far out of `total`. */
export type ProgressListener = (processed: number, total: number) => void;

/** get-items-import-status (schemas.ts ImportStatusView). */
export interface ImportStatusView {
  import_id: string;
  status: ImportJobRow['status'];
  date_created: string;
  date_updated: string;
  date_completed: string;
  progress: number;
  error: string | null;
  error_code: string | null;
  result: {
    errors_count: number;
    total_entities_count: number;
    processed_entities_count: number;
    errors_by_sku: EntryError[];
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const sqlState = (e: unknown) => (e as { code?: unknown }).code;

/** The status view of a job. */
export function statusView(job: ImportJobSummary): ImportStatusView {
  const date = (d: Date) => formatIsoWithOffset(d, STATUS_OFFSET_MINUTES);
  const finished = job.status === 'done' || job.status === 'error';
  const percent = job.total === 0 ? 100 : Math.floor((job.processed * 100) / job.total);
  return {
    import_id: job.import_id,
    status: job.status,
    date_created: date(job.created_at),
    date_updated: date(job.updated_at),
    date_completed: job.completed_at ? date(job.completed_at) : '',
    progress: finished ? 100 : Math.min(percent, 99),
    error: job.error,
    error_code: job.error_code,
    result: {
      errors_count: job.errors_count,
      total_entities_count: job.total,
      processed_entities_count: job.processed,
      errors_by_sku: job.errors,
    },
  };
}

export class ImportService {
  private worker?: ImportWorker;
  private log?: WorkerLogger;
  private readonly leaseSeconds: number;

  /** `deps` is called when a job runs (the app's services, built after this one). */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly deps: () => ImportDeps,
    private readonly opts: ImportOptions = {},
  ) {
    this.leaseSeconds = opts.leaseSeconds ?? LEASE_SECONDS;
  }

  /**
   * import-items-from-external-file: fetches and parses the file at `body.file_url`, stores the import and wakes
   * the worker. Returns the import id.
   * @throws AppError 422/1803 (not application/json), 422/1102 (unreachable, too large, not JSON, no item
   *   section, a file:// URL outside IMPORT_FILE_DIR) — prefix 0410
   */
  async start(
    projectId: number,
    body: { file_url: string; mode?: ImportMode },
  ): Promise<{ import_id: string }> {
    const text = await fetchImportFile(body.file_url, {
      fileDir: this.opts.fileDir,
      maxBytes: this.opts.maxBytes ?? MAX_IMPORT_BYTES,
    });
    const import_id = await this.create(projectId, body.file_url, text, body.mode ?? 'create_and_update');
    this.worker?.wake();
    return { import_id };
  }

  /**
   * Stores an import of the file `text` for the project (status `initialized`); returns its id. It runs when a
   * worker claims it, or through `run`; with `owner`, only `run` by that owner takes it (until its lease ends).
   * @throws AppError 422/1102 (prefix 0410) when the text is not an import file
   */
  async create(
    projectId: number,
    source: string,
    text: string,
    mode: ImportMode,
    owner?: string,
  ): Promise<string> {
    const entries = parseImportFile(text);
    const import_id = randomBytes(16).toString('hex');
    await repo.insert(
      this.db,
      { import_id, project_id: projectId, source, mode, entries },
      owner ? { owner, leaseSeconds: this.leaseSeconds } : undefined,
    );
    return import_id;
  }

  /** get-items-import-status: the project's latest import. @throws 404/1102 (prefix 0410) when it has none */
  async status(projectId: number): Promise<ImportStatusView> {
    const job = await repo.latest(this.db, projectId);
    if (!job) throw new AppError('IMPORT_NOT_FOUND', `Project ${projectId} has no import`);
    return statusView(job);
  }

  /** The status of one import (the command line follows its own). @throws 404/1102 */
  async statusOf(importId: string): Promise<ImportStatusView> {
    const job = await repo.find(this.db, importId);
    if (!job) throw new AppError('IMPORT_NOT_FOUND');
    return statusView(job);
  }

  /**
   * Claims the oldest import nobody runs and runs it as `owner` (until done, `signal` aborts, or the lease is
   * lost). Returns false when there was none.
   */
  async runNext(owner: string, signal?: AbortSignal): Promise<boolean> {
    const job = await repo.claim(this.db, owner, this.leaseSeconds);
    if (!job) return false;
    await this.process(job, owner, { signal });
    return true;
  }

  /**
   * Claims the import `importId` (free, or created for `owner`) and runs it in this call (the command line).
   * Returns whether it finished; false when another worker holds it, or `signal` stopped it (it is then given
   * back, to be resumed by any worker).
   */
  async run(
    importId: string,
    owner: string,
    opts: { signal?: AbortSignal; onProgress?: ProgressListener } = {},
  ): Promise<boolean> {
    const job = await repo.claim(this.db, owner, this.leaseSeconds, importId);
    if (!job) return false;
    return this.process(job, owner, opts);
  }

  /** Starts this process's background worker (app onReady). */
  startWorker(log?: WorkerLogger): void {
    this.log ??= log;
    this.worker ??= new ImportWorker(this, this.opts.pollMs ?? POLL_MS, log);
    this.worker.start();
  }

  /** Stops the worker after the entry in progress and gives its import back (app close). */
  async stopWorker(): Promise<void> {
    await this.worker?.stop();
  }

  /**
   * Applies the job's entries from its cursor on, recording each result; then the closing steps (item order in
   * groups, sync's hiding of missing items) and the final status. Returns whether the job finished here.
   */
  private async process(
    job: ImportJobRow,
    owner: string,
    opts: { signal?: AbortSignal; onProgress?: ProgressListener },
  ): Promise<boolean> {
    const { import_id: id, project_id: projectId, entries, total } = job;
    if (job.attempts > MAX_ATTEMPTS) {
      const e = new AppError('IMPORT_INTERRUPTED');
      await repo.fail(this.db, id, e.message, String(e.errorCode));
      return true;
    }
    const deps = this.deps();
    const applier = new EntryApplier(deps);
    const resumeAt = job.processed;
    let current = resumeAt;
    const ctx: ApplyContext = {
      projectId,
      mode: job.mode,
      regionIds: new Map(),
      ownEarlierWrite: async (sku) =>
        current === resumeAt && job.attempts > 1 && repo.createdSinceCursor(this.db, id, projectId, sku),
    };
    // regions applied before an interruption: find them again, so items keep following them
    for (const e of entries.slice(0, resumeAt))
      if (e.kind === 'region') await applier.region(e, ctx, false).catch(() => {});

    opts.onProgress?.(resumeAt, total);
    for (; current < total; current++) {
      if (opts.signal?.aborted) {
        await repo.release(this.db, id, owner);
        return false;
      }
      const entry = entries[current];
      let error: EntryError | null = null;
      try {
        await applier.apply(entry, ctx);
      } catch (e) {
        const refusal = this.asAppError(e);
        if (!(refusal instanceof AppError))
          this.log?.error({ err: e, import_id: id, sku: entry.key }, 'import: an entry failed unexpectedly');
        error = entryError(entry, refusal);
      }
      if (!(await repo.advance(this.db, id, owner, error, this.leaseSeconds))) return false;
      opts.onProgress?.(current + 1, total);
    }
    const closing = [
      ...(await this.applyGroupOrders(projectId, entries, deps)),
      ...(job.mode === 'sync' ? await this.hideMissing(projectId, entries, deps) : []),
    ];
    if (!(await repo.addErrors(this.db, id, owner, closing))) return false;
    return repo.complete(this.db, id, owner);
  }

  /** A failure as the API would answer it: a data exception of the database is bad input (422), as errors/handler.ts. */
  private asAppError(e: unknown): unknown {
    if (e instanceof AppError) return e;
    const state = sqlState(e);
    if (typeof state === 'string' && /^22[0-9A-Z]{3}$/.test(state))
      return new AppError(
        'VALIDATION',
        `Unprocessable Entity. ${state === '22003' ? 'A number is out of range' : 'A value is not allowed'}`,
      );
    return e;
  }

  /**
   * Closing step: the position of items in groups (`groups[].items` of an Itemshop export), for the items that
   * are in the group now. Groups that failed to import are skipped (their error is already reported).
   */
  private async applyGroupOrders(
    projectId: number,
    entries: ImportEntry[],
    deps: ImportDeps,
  ): Promise<EntryError[]> {
    const errors: EntryError[] = [];
    for (const entry of entries) {
      if (entry.kind !== 'group' || !isObject(entry.body) || !Array.isArray(entry.body.items)) continue;
      let body: { external_id: string; items?: { sku: string; order: number }[] };
      try {
        body = checkedBody(entry) as typeof body;
      } catch {
        continue;
      }
      const members = await repo.groupMemberSkus(this.db, projectId, body.external_id);
      const orders = new Map(
        (body.items ?? []).filter((i) => members.has(i.sku)).map((i) => [i.sku, i.order]),
      );
      if (orders.size === 0) continue;
      try {
        await deps.groups.reorderItems(
          projectId,
          { externalId: body.external_id },
          [...orders].map(([sku, order]) => ({ sku, order })),
        );
      } catch (e) {
        if (!(e instanceof AppError && e.kind === 'GROUP_NOT_FOUND')) errors.push(entryError(entry, e));
      }
    }
    return errors;
  }

  /** Closing step of `sync`: hide from the store the items of the importable kinds the file does not list. */
  private async hideMissing(
    projectId: number,
    entries: ImportEntry[],
    deps: ImportDeps,
  ): Promise<EntryError[]> {
    const keep = entries.filter((e) => ITEM_KINDS.includes(e.kind)).map((e) => e.key);
    await deps.catalogWriter.run(projectId, {}, (trx) => itemsRepository.hideAllBut(trx, projectId, keep));
    return [];
  }
}
