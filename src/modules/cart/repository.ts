/**
 * SQL of carts and their lines (migration 0004). Every method takes the executor first; writes run inside the
 * caller's transaction, and a cart is locked with `FOR UPDATE` before its lines change, so concurrent fills and
 * puts on one cart serialize. Nothing here knows HTTP or the cart rules.
 */
import { sql, type Selectable } from 'kysely';
import type { CartsTable, Executor } from '../../db/types.js';
import { ordersRepository } from '../orders/repository.js';

/** One cart row. `cart_pk` is the internal key (a bigint as a string). */
export type CartRow = Pick<
  Selectable<CartsTable>,
  'cart_pk' | 'cart_id' | 'user_id' | 'status' | 'is_current' | 'currency' | 'country'
>;

/** One line: a sku and its quantity (> 0), in the order the skus entered the cart. */
export interface CartLine {
  sku: string;
  quantity: number;
}

const CART_COLUMNS = [
  'cart_pk',
  'cart_id',
  'user_id',
  'status',
  'is_current',
  'currency',
  'country',
] as const;

export const cartRepository = {
  /** The cart `cartId` of the project (any owner, any status), locked when `lock`. */
  async byId(ex: Executor, projectId: number, cartId: string, lock = false): Promise<CartRow | undefined> {
    let q = ex
      .selectFrom('carts')
      .select(CART_COLUMNS)
      .where('project_id', '=', projectId)
      .where('cart_id', '=', cartId);
    if (lock) q = q.forUpdate();
    return (await q.executeTakeFirst()) as CartRow | undefined;
  },

  /** The user's current cart, locked when `lock`. */
  async current(ex: Executor, projectId: number, userId: string, lock = false): Promise<CartRow | undefined> {
    let q = ex
      .selectFrom('carts')
      .select(CART_COLUMNS)
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .where('is_current', '=', true);
    if (lock) q = q.forUpdate();
    return (await q.executeTakeFirst()) as CartRow | undefined;
  },

  /**
   * Inserts a cart unless one with the same id exists or, for a current cart, the user already has one (both
   * races end in DO NOTHING); returns whether a row was inserted.
   */
  async insert(
    ex: Executor,
    row: { projectId: number; cartId: string; userId: string; current: boolean },
  ): Promise<boolean> {
    const { rows } = await sql<{ cart_pk: string }>`
      INSERT INTO carts (project_id, cart_id, user_id, is_current)
      VALUES (${row.projectId}, ${row.cartId}, ${row.userId}, ${row.current})
      ON CONFLICT DO NOTHING
      RETURNING cart_pk`.execute(ex);
    return rows.length > 0;
  },

  /** The cart's lines in display order. */
  async lines(ex: Executor, cartPk: string): Promise<CartLine[]> {
    return ex
      .selectFrom('cart_items')
      .select(['sku', 'quantity'])
      .where('cart_pk', '=', cartPk)
      .orderBy('position')
      .execute();
  },

  /** Replaces every line of the cart with `lines` (in their order). */
  async replaceLines(ex: Executor, cartPk: string, lines: CartLine[]): Promise<void> {
    await ex.deleteFrom('cart_items').where('cart_pk', '=', cartPk).execute();
    if (lines.length === 0) return;
    await ex
      .insertInto('cart_items')
      .values(lines.map((l, i) => ({ cart_pk: cartPk, sku: l.sku, quantity: l.quantity, position: i })))
      .execute();
  },

  /** Sets the quantity of `sku`, adding it at the end when absent. The cart must be locked by the caller. */
  async upsertLine(ex: Executor, cartPk: string, sku: string, quantity: number): Promise<void> {
    await sql`
      INSERT INTO cart_items (cart_pk, sku, quantity, position)
      VALUES (${cartPk}, ${sku}, ${quantity},
              (SELECT coalesce(max(position) + 1, 0) FROM cart_items WHERE cart_pk = ${cartPk}))
      ON CONFLICT (cart_pk, sku) DO UPDATE SET quantity = excluded.quantity`.execute(ex);
  },

  /** Removes the line of `sku`; returns whether there was one. */
  async deleteLine(ex: Executor, cartPk: string, sku: string): Promise<boolean> {
    const r = await ex
      .deleteFrom('cart_items')
      .where('cart_pk', '=', cartPk)
      .where('sku', '=', sku)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  },

  /** Records a change (and, when given, the currency and country a fill asked for). */
  async touch(
    ex: Executor,
    cartPk: string,
    prefs: { currency?: string | null; country?: string | null } = {},
  ): Promise<void> {
    await ex
      .updateTable('carts')
      .set({
        updated_at: sql<Date>`clock_timestamp()`,
        ...(prefs.currency !== undefined ? { currency: prefs.currency } : {}),
        ...(prefs.country !== undefined ? { country: prefs.country } : {}),
      })
      .where('cart_pk', '=', cartPk)
      .execute();
  },

  /** Turns an open cart into an ordered one (no longer current, read-only); false when it was not open. */
  async markOrdered(ex: Executor, cartPk: string): Promise<boolean> {
    const r = await ex
      .updateTable('carts')
      .set({
        status: 'ordered',
        is_current: false,
        ordered_at: sql<Date>`clock_timestamp()`,
        updated_at: sql<Date>`clock_timestamp()`,
      })
      .where('cart_pk', '=', cartPk)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  },

  /** The user of an unexpired payment token of the project (server-side `x-user-for`), if any. */
  async userOfPaymentToken(ex: Executor, projectId: number, token: string): Promise<string | undefined> {
    return (await ordersRepository.tokenOwner(ex, projectId, token, new Date()))?.user_id;
  },
};
