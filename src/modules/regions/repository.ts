/**
 * SQL of regions (`regions`) and of the item restrictions that point at them (`item_regions`). Every method
 * takes the executor first; nothing here knows HTTP or the rules.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, RegionsTable } from '../../db/types.js';

/** A region as the services read it. */
export type RegionRow = Pick<Selectable<RegionsTable>, 'region_id' | 'name' | 'countries'>;

export const regionsRepository = {
  /** The project's regions by id. */
  list(ex: Executor, projectId: number): Promise<RegionRow[]> {
    return ex
      .selectFrom('regions')
      .select(['region_id', 'name', 'countries'])
      .where('project_id', '=', projectId)
      .orderBy('region_id')
      .execute();
  },

  /** The countries of every region of the project (the regions part of the CatalogSource port). */
  forCatalog(ex: Executor, projectId: number): Promise<{ region_id: number; countries: string[] }[]> {
    return ex
      .selectFrom('regions')
      .select(['region_id', 'countries'])
      .where('project_id', '=', projectId)
      .execute();
  },

  get(ex: Executor, projectId: number, regionId: number): Promise<RegionRow | undefined> {
    return ex
      .selectFrom('regions')
      .select(['region_id', 'name', 'countries'])
      .where('project_id', '=', projectId)
      .where('region_id', '=', regionId)
      .executeTakeFirst();
  },

  async insert(ex: Executor, projectId: number, name: Record<string, string>, countries: string[]) {
    const { region_id } = await ex
      .insertInto('regions')
      .values({ project_id: projectId, name: JSON.stringify(name), countries })
      .returning('region_id')
      .executeTakeFirstOrThrow();
    return region_id;
  },

  /** Replaces name and countries; false when the region is not in the project. */
  async update(
    ex: Executor,
    projectId: number,
    regionId: number,
    name: Record<string, string>,
    countries: string[],
  ): Promise<boolean> {
    const r = await ex
      .updateTable('regions')
      .set({ name: JSON.stringify(name), countries })
      .where('project_id', '=', projectId)
      .where('region_id', '=', regionId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** Deletes the region and every item's restriction to it; false when the region is not in the project. */
  async delete(ex: Executor, projectId: number, regionId: number): Promise<boolean> {
    const r = await ex
      .deleteFrom('regions')
      .where('project_id', '=', projectId)
      .where('region_id', '=', regionId)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await ex
      .deleteFrom('item_regions')
      .where('region_id', '=', regionId)
      .where('item_id', 'in', (eb) =>
        eb.selectFrom('items').select('item_id').where('project_id', '=', projectId),
      )
      .execute();
    return true;
  },

  /** The ids among `ids` that are regions of the project. */
  async existing(ex: Executor, projectId: number, ids: number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const rows = await ex
      .selectFrom('regions')
      .select('region_id')
      .where('project_id', '=', projectId)
      .where('region_id', '=', sql<number>`any(${ids})`)
      .execute();
    return new Set(rows.map((r) => r.region_id));
  },
};
