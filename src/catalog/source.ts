/**
 * The load port of the catalog read model (issue 14 §2): the store asks a `CatalogSource` for a project's catalog
 * and never runs SQL itself. The owning repositories implement it (items, games, groups, regions, projects and the
 * catalog change log: src/modules/catalog/source.ts, wired in src/services.ts), so the catalog imports no module.
 */
import type { ItemRecord } from '../model/item.js';
import type { GroupInfo, ProjectInfo, RegionInfo } from './snapshot.js';

/** A delta request: the version the caller holds and the most changed items it would rather take than a full read. */
export interface CatalogSince {
  /** The catalog_version of the caller's snapshot. */
  version: number;
  /** Past this many changed items the source reads the whole catalog instead. */
  maxChanged: number;
}

/** One consistent read of a project's catalog (one repeatable-read transaction). */
export interface CatalogLoaded {
  project: ProjectInfo;
  /** The project's catalog_version the read saw. */
  version: number;
  /**
   * The ids of the items changed since `since.version` when the read is a delta (then `items` holds only those of
   * them that still exist); null for a full read (`items` is the whole catalog, in catalog order).
   */
  changed: Set<number> | null;
  items: ItemRecord[];
  /** Every group of the project (small: always read whole). */
  groups: GroupInfo[];
  /** Every region of the project. */
  regions: RegionInfo[];
  /** Unclaimed game codes per game-key item_id (`has_keys`). */
  availableKeys: Map<number, number>;
}

export interface CatalogSource {
  /**
   * The project's catalog, or null for an unknown project. With `since`, only the items the change log names since
   * that version are read, unless a write of unknown extent happened in between, a log row is missing (pruned) or
   * more than `since.maxChanged` items changed: then the read is full (`changed: null`).
   */
  load(projectId: number, opts?: { since?: CatalogSince }): Promise<CatalogLoaded | null>;

  /** project_id → the catalog_version stored now, for those of `projectIds` that exist (catalog/sync.ts backstop). */
  versions(projectIds: number[]): Promise<Map<number, number>>;
}
