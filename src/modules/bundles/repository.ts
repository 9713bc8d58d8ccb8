/**
 * SQL of the bundles area that the shared items repository does not cover: the show/hide switch. Every method
 * takes the executor first; nothing here knows HTTP or the rules.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';

export const bundlesRepository = {
  /**
   * Sets `is_show_in_store` of the standard bundle `sku` of the project; returns how many rows matched (0 when
   * there is no such standard bundle).
   */
  async setShowInStore(ex: Executor, projectId: number, sku: string, shown: boolean): Promise<number> {
    const result = await ex
      .updateTable('items')
      .set({ is_show_in_store: shown, updated_at: sql`clock_timestamp()` })
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .where('type', '=', 'bundle')
      .where('bundle_type', '=', 'standard')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  },
};
