/**
 * SQL of item groups (`item_groups`) and of the positions of items in them (`item_group_links`). Every method
 * takes the executor first; nothing here knows HTTP or the rules.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, ItemGroupsTable } from '../../db/types.js';
import type { Localized } from '../../lib/locale.js';

/** A stored group plus its item counts. */
export type GroupRow = Omit<Selectable<ItemGroupsTable>, 'project_id'> & {
  /** Items in the group of the counted type (every type when no filter). */
  items_count: number;
  /** Items in the group of any type. */
  all_items_count: number;
};

/** The columns a create or update writes. */
export interface GroupWrite {
  external_id: string;
  parent_group_id: number | null;
  name: Localized;
  description: Localized | null;
  image_url: string | null;
  is_enabled: boolean;
  order: number;
}

/** Which items `items_count` counts: one item type (and bundle type), or nothing at all (`none`). */
export type CountFilter = { type: string; bundleType?: string } | { none: true } | undefined;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

export const groupsRepository = {
  /**
   * Every group of the project as the catalog snapshot holds it (no counts), in display order (`order` asc, newest
   * first, then the higher group_id): the groups part of the CatalogSource port (src/modules/catalog/source.ts).
   */
  forCatalog(ex: Executor, projectId: number) {
    return ex
      .selectFrom('item_groups')
      .select(['group_id', 'external_id', 'name', 'parent_group_id', 'is_enabled', 'order'])
      .select(['description', 'image_url', 'created_at'])
      .where('project_id', '=', projectId)
      .orderBy('order')
      .orderBy('created_at', 'desc')
      .orderBy('group_id', 'desc')
      .execute();
  },

  /** Every group of the project with its counts, in display order (`order` asc, newest first). */
  async all(ex: Executor, projectId: number, count?: CountFilter): Promise<GroupRow[]> {
    const rows = await ex
      .selectFrom('item_groups as g')
      .select([
        'g.group_id',
        'g.external_id',
        'g.parent_group_id',
        'g.name',
        'g.description',
        'g.image_url',
        'g.is_enabled',
        'g.order',
        'g.created_at',
      ])
      .select((eb) => [
        eb
          .selectFrom('item_group_links as l')
          .select(sql<string>`count(*)`.as('n'))
          .whereRef('l.group_id', '=', 'g.group_id')
          .as('all_items_count'),
        (count && 'none' in count
          ? sql<string>`0`
          : eb
              .selectFrom('item_group_links as l')
              .innerJoin('items as i', 'i.item_id', 'l.item_id')
              .select(sql<string>`count(*)`.as('n'))
              .whereRef('l.group_id', '=', 'g.group_id')
              .$if(!!count && 'type' in count, (q) =>
                q.where('i.type', '=', (count as { type: string }).type),
              )
              .$if(!!count && 'type' in count && !!count.bundleType, (q) =>
                q.where('i.bundle_type', '=', (count as { bundleType: string }).bundleType),
              )
        ).as('items_count'),
      ])
      .where('g.project_id', '=', projectId)
      .orderBy('g.order')
      .orderBy('g.created_at', 'desc')
      .orderBy('g.group_id', 'desc')
      .execute();
    return rows.map((r) => ({
      ...r,
      items_count: Number(r.items_count ?? 0),
      all_items_count: Number(r.all_items_count ?? 0),
    }));
  },

  /** The group with `externalId` or numeric `groupId` in the project. */
  find(ex: Executor, projectId: number, by: { externalId: string } | { groupId: number }) {
    let q = ex
      .selectFrom('item_groups')
      .select(['group_id', 'external_id', 'parent_group_id'])
      .where('project_id', '=', projectId);
    q =
      'externalId' in by ? q.where('external_id', '=', by.externalId) : q.where('group_id', '=', by.groupId);
    return q.executeTakeFirst();
  },

  /** Inserts a group; returns its id. A taken external id propagates as a unique violation (23505). */
  async insert(ex: Executor, projectId: number, w: GroupWrite): Promise<number> {
    const { group_id } = await ex
      .insertInto('item_groups')
      .values({
        project_id: projectId,
        external_id: w.external_id,
        parent_group_id: w.parent_group_id,
        name: JSON.stringify(w.name),
        description: json(w.description),
        image_url: w.image_url,
        is_enabled: w.is_enabled,
        order: w.order,
      })
      .returning('group_id')
      .executeTakeFirstOrThrow();
    return group_id;
  },

  /** Replaces the columns of group `groupId`. */
  async update(ex: Executor, groupId: number, w: GroupWrite): Promise<void> {
    await ex
      .updateTable('item_groups')
      .set({
        external_id: w.external_id,
        parent_group_id: w.parent_group_id,
        name: JSON.stringify(w.name),
        description: json(w.description),
        image_url: w.image_url,
        is_enabled: w.is_enabled,
        order: w.order,
      })
      .where('group_id', '=', groupId)
      .execute();
  },

  /** Deletes group `groupId` after moving its children to `newParent`; its item links go with it (cascade). */
  async delete(ex: Executor, groupId: number, newParent: number | null): Promise<void> {
    await ex
      .updateTable('item_groups')
      .set({ parent_group_id: newParent })
      .where('parent_group_id', '=', groupId)
      .execute();
    await ex.deleteFrom('item_groups').where('group_id', '=', groupId).execute();
  },

  /** Sets `order` of the given groups. */
  async setOrders(ex: Executor, orders: { group_id: number; order: number }[]): Promise<void> {
    for (const o of orders) {
      await ex
        .updateTable('item_groups')
        .set({ order: o.order })
        .where('group_id', '=', o.group_id)
        .execute();
    }
  },

  /** The items of group `groupId`: item_id and sku. */
  members(ex: Executor, groupId: number) {
    return ex
      .selectFrom('item_group_links as l')
      .innerJoin('items as i', 'i.item_id', 'l.item_id')
      .select(['i.item_id', 'i.sku'])
      .where('l.group_id', '=', groupId)
      .execute();
  },

  /** Sets the position (`item_order_in_group`) of the given items in group `groupId`. */
  async setItemOrders(ex: Executor, groupId: number, orders: { item_id: number; order: number }[]) {
    for (const o of orders) {
      await ex
        .updateTable('item_group_links')
        .set({ item_order_in_group: o.order })
        .where('group_id', '=', groupId)
        .where('item_id', '=', o.item_id)
        .execute();
    }
  },
};
