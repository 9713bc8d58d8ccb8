/** SQL of pre-order quantities (pre_order_limits, migration 0009). Every method takes the executor first. */
import { sql, type Selectable } from 'kysely';
import type { Executor, ItemsTable, PreOrderLimitsTable } from '../../db/types.js';

/** An item with its pre-order row (a LEFT JOIN: the pre-order columns are null when it has none). */
export type PreOrderRow = Pick<Selectable<ItemsTable>, 'item_id' | 'sku'> & {
  [K in 'is_enabled' | 'available' | 'reserved' | 'sold']: Selectable<PreOrderLimitsTable>[K] | null;
};

export const preOrdersRepository = {
  /** The item `sku` (or `item_id`) of the project with its pre-order row (nulls when it has none). */
  async find(ex: Executor, projectId: number, by: { sku?: string; itemId?: number }) {
    const { rows } = await sql<PreOrderRow>`
      SELECT i.item_id, i.sku, p.is_enabled, p.available, p.reserved, p.sold
      FROM items i LEFT JOIN pre_order_limits p ON p.item_id = i.item_id
      WHERE i.project_id = ${projectId}
        AND ${by.sku !== undefined ? sql`i.sku = ${by.sku}` : sql`i.item_id = ${by.itemId ?? 0}`}`.execute(
      ex,
    );
    return rows[0];
  },

  /** available += q (a new row starts enabled with q). */
  async add(ex: Executor, itemId: number, q: number) {
    await sql`INSERT INTO pre_order_limits (item_id, available) VALUES (${itemId}, ${q})
      ON CONFLICT (item_id) DO UPDATE SET available = pre_order_limits.available + EXCLUDED.available`.execute(
      ex,
    );
  },

  /** available = q. */
  async set(ex: Executor, itemId: number, q: number) {
    await sql`INSERT INTO pre_order_limits (item_id, available) VALUES (${itemId}, ${q})
      ON CONFLICT (item_id) DO UPDATE SET available = EXCLUDED.available`.execute(ex);
  },

  /** available −= q, never below 0 (what is reserved or sold stays). */
  async remove(ex: Executor, itemId: number, q: number) {
    await sql`UPDATE pre_order_limits SET available = greatest(available - ${q}, 0) WHERE item_id = ${itemId}`.execute(
      ex,
    );
  },

  async toggle(ex: Executor, itemId: number, enabled: boolean) {
    await sql`INSERT INTO pre_order_limits (item_id, is_enabled) VALUES (${itemId}, ${enabled})
      ON CONFLICT (item_id) DO UPDATE SET is_enabled = EXCLUDED.is_enabled`.execute(ex);
  },
};
