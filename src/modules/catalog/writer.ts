/**
 * The one way to change a project's catalog (DESIGN §3): run the change as one unit of work
 * (src/db/unit-of-work.ts, so admin writes accept Idempotency-Key too) that also bumps the project's
 * `catalog_version`, records what changed (catalog_changes, migration 0010) and tells the catalog read model after
 * commit. Every admin write of every area (items, groups, attributes, regions, bundles, games, imports) goes
 * through `CatalogWriter.run`.
 *
 * A write that names the items it changed (`change.items(…)`) lets every process reload just those items
 * (CatalogStore delta reload, ADR 0019); a write that names none may have changed anything, and every process
 * reloads the whole catalog of the project.
 */
import type { Executor } from '../../db/types.js';
import type { UnitOfWork, WriteOptions } from '../../db/unit-of-work.js';
import { tenancyRepository } from '../tenancy/repository.js';
import { catalogChangesRepository } from './changes-repository.js';

export type CatalogChangeListener = (projectId: number, catalogVersion: number) => void;
/** Runs inside the write transaction after the bump (e.g. NOTIFY, delivered at commit: catalog/sync.ts). */
export type CatalogChangeInTransaction = (
  trx: Executor,
  projectId: number,
  catalogVersion: number,
) => Promise<void>;

/** What a write tells about its own extent. */
export interface CatalogChange {
  /** The write changed (created, replaced or deleted) only these items of the project: call it for each. */
  items(...itemIds: number[]): void;
  /** The write may have changed anything (the default when `items` is never called). */
  everything(): void;
}

export class CatalogWriter {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly onChange: CatalogChangeListener = () => {},
    private readonly inTransaction?: CatalogChangeInTransaction,
  ) {}

  /**
   * Runs `fn` as one unit of work (`write`: its Idempotency-Key) with the version bump and its change-log row;
   * notifies after commit. Errors roll everything back and propagate unchanged (callers map constraint violations
   * to their own error codes); a replayed key returns the stored result and changes nothing.
   */
  async run<T>(
    projectId: number,
    write: WriteOptions,
    fn: (trx: Executor, change: CatalogChange) => Promise<T>,
  ): Promise<T> {
    return this.uow.run(write, async ({ trx, afterCommit }) => {
      let touched: Set<number> | null = null;
      let everything = false;
      const change: CatalogChange = {
        items: (...ids) => {
          touched ??= new Set();
          for (const id of ids) touched.add(id);
        },
        everything: () => {
          everything = true;
        },
      };
      const r = await fn(trx, change);
      const version = await tenancyRepository.bumpCatalogVersion(trx, projectId);
      const itemIds: number[] | null = everything || touched === null ? null : [...(touched as Set<number>)];
      await catalogChangesRepository.record(trx, projectId, version, itemIds);
      await this.inTransaction?.(trx, projectId, version);
      afterCommit(() => this.onChange(projectId, version));
      return r;
    });
  }
}
