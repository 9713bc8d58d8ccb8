/**
 * SQL of the catalog change log (`catalog_changes`, written by the admin catalog write runner with each
 * catalog_version bump): which items a range of versions changed. Takes the executor first; knows no HTTP.
 */
import type { Executor } from '../../db/types.js';

export const catalogChangesRepository = {
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
