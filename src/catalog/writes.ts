/**
 * The one way to change a project's catalog (DESIGN §3): run the change in a transaction that also bumps the
 * project's `catalog_version`, and tell the catalog read model after commit. Every admin write of every area
 * (items, groups, attributes, regions, bundles, games) goes through `CatalogWriter.run`.
 */
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../db/types.js';
import { tenancyRepository } from '../modules/tenancy/repository.js';

export type CatalogChangeListener = (projectId: number, catalogVersion: number) => void;
/** Runs inside the write transaction after the bump (e.g. NOTIFY, delivered at commit: catalog/sync.ts). */
export type CatalogChangeInTransaction = (
  trx: Executor,
  projectId: number,
  catalogVersion: number,
) => Promise<void>;

export class CatalogWriter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly onChange: CatalogChangeListener = () => {},
    private readonly inTransaction?: CatalogChangeInTransaction,
  ) {}

  /**
   * Runs `fn` in one transaction with the version bump; notifies after commit. Errors roll everything back and
   * propagate unchanged (callers map constraint violations to their own error codes).
   */
  async run<T>(projectId: number, fn: (trx: Executor) => Promise<T>): Promise<T> {
    let version = 0;
    const result = await this.db.transaction().execute(async (trx) => {
      const r = await fn(trx);
      version = await tenancyRepository.bumpCatalogVersion(trx, projectId);
      await this.inTransaction?.(trx, projectId, version);
      return r;
    });
    this.onChange(projectId, version);
    return result;
  }
}
