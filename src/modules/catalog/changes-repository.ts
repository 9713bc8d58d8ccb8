/**
 * SQL of the catalog change log (`catalog_changes`, written by the admin catalog write runner with each
 * catalog_version bump): which items a range of versions changed. Takes the executor first; knows no HTTP.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';

/** Versions of change log kept per project (older ones are pruned; a process further behind reloads fully). */
const CHANGES_KEPT = 1000;

export const catalogChangesRepository = {
  /**
   * Records that `version` of the project changed `itemIds` (null: anything); every 100th version prunes what is
   * older than CHANGES_KEPT versions.
   */
  async record(ex: Executor, projectId: number, version: number, itemIds: number[] | null): Promise<void> {
    await ex.insertInto('catalog_changes').values({ project_id: projectId, version, item_ids: itemIds }).execute();
    if (version % 100 === 0)
      await sql`DELETE FROM catalog_changes WHERE project_id = ${projectId} AND version <= ${version - CHANGES_KEPT}`.execute(
        ex,
      );
  },

  /**
   * The ids of the items changed by versions `(from, to]` of the project, or null when a write of that range may
   * have changed anything (`item_ids` null) or a row of the range is missing (pruned).
   */
  async changedBetween(
    ex: Executor,
    projectId: number,
    from: number,
    to: number,
  ): Promise<Set<number> | null> {
    const rows = await ex
      .selectFrom('catalog_changes')
      .select('item_ids')
      .where('project_id', '=', projectId)
      .where('version', '>', String(from))
      .where('version', '<=', String(to))
      .execute();
    if (rows.length !== to - from) return null;
    const ids = new Set<number>();
    for (const r of rows) {
      if (r.item_ids === null) return null;
      for (const id of r.item_ids) ids.add(id);
    }
    return ids;
  },
};
