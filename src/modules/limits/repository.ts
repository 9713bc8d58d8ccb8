/**
 * SQL of purchase limits (migration 0009 + item_limits of 0001). Every counter change is ONE conditional
 * statement (DESIGN §5): it either applies entirely or matches no row; nothing here reads a counter and then
 * writes it. Every method takes the executor first.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, LimitReservationsTable } from '../../db/types.js';
import { ordersRepository } from '../orders/repository.js';

/** The limit configuration of one item (what reserve needs to know), from item_limits and pre_order_limits. */
export interface LimitConfig {
  item_id: number;
  sku: string;
  per_user_total: number | null;
  per_item_total: number | null;
  recurrent_interval_type: string | null;
  recurrent_time: string | null;
  recurrent_day_of_week: number | null;
  recurrent_day_of_month: number | null;
  pre_order_enabled: boolean | null;
}

/** One reservation row as release/commit return it. */
export type ReservationRow = Omit<Selectable<LimitReservationsTable>, 'state'>;

/** `used` of a counter as of `now`: 0 once its window has ended. */
const usedNow = (now: Date) =>
  sql<number>`(CASE WHEN u.window_end IS NOT NULL AND u.window_end <= ${now} THEN 0 ELSE u.used END)`;

export const limitsRepository = {
  /** Limit configuration of the given items of the project (items without any limit are absent). */
  async configs(ex: Executor, projectId: number, itemIds: number[]): Promise<LimitConfig[]> {
    if (itemIds.length === 0) return [];
    const { rows } = await sql<LimitConfig>`
      SELECT i.item_id, i.sku, l.per_user_total, l.per_item_total, l.recurrent_interval_type, l.recurrent_time,
             l.recurrent_day_of_week, l.recurrent_day_of_month, p.is_enabled AS pre_order_enabled
      FROM items i
      LEFT JOIN item_limits l ON l.item_id = i.item_id
      LEFT JOIN pre_order_limits p ON p.item_id = i.item_id
      WHERE i.project_id = ${projectId} AND i.item_id = any(${itemIds})
        AND (l.per_user_total IS NOT NULL OR l.per_item_total IS NOT NULL OR p.is_enabled)
      ORDER BY i.item_id`.execute(ex);
    return rows;
  },

  /** Takes `q` from the item's global stock into `reserved`; false when less than `q` is left. */
  async takeStock(ex: Executor, itemId: number, q: number): Promise<boolean> {
    const r = await sql`
      UPDATE item_limits SET per_item_remaining = per_item_remaining - ${q}, per_item_reserved = per_item_reserved + ${q}
      WHERE item_id = ${itemId} AND per_item_remaining >= ${q}`.execute(ex);
    return Number(r.numAffectedRows ?? 0) === 1;
  },

  /** Sells `q` of the item's global stock at once (an order paid in its own transaction); false when short. */
  async sellStockNow(ex: Executor, itemId: number, q: number): Promise<boolean> {
    const r = await sql`
      UPDATE item_limits SET per_item_remaining = per_item_remaining - ${q}
      WHERE item_id = ${itemId} AND per_item_remaining >= ${q}`.execute(ex);
    return Number(r.numAffectedRows ?? 0) === 1;
  },

  /** Sells `q` of the item's enabled pre-order quantity at once; false when less is available. */
  async sellPreOrderNow(ex: Executor, itemId: number, q: number): Promise<boolean> {
    const r = await sql`
      UPDATE pre_order_limits SET available = available - ${q}, sold = sold + ${q}
      WHERE item_id = ${itemId} AND is_enabled AND available >= ${q}`.execute(ex);
    return Number(r.numAffectedRows ?? 0) === 1;
  },

  /** Takes `q` from the item's enabled pre-order quantity into `reserved`; false when less is available. */
  async takePreOrder(ex: Executor, itemId: number, q: number): Promise<boolean> {
    const r = await sql`
      UPDATE pre_order_limits SET available = available - ${q}, reserved = reserved + ${q}
      WHERE item_id = ${itemId} AND is_enabled AND available >= ${q}`.execute(ex);
    return Number(r.numAffectedRows ?? 0) === 1;
  },

  /**
   * Counts `q` more for the user in the window ending at `windowEnd` (a counter of an ended window starts from
   * 0); false when that would pass `total`. One INSERT … ON CONFLICT DO UPDATE … WHERE.
   */
  async countForUser(
    ex: Executor,
    itemId: number,
    userId: string,
    q: number,
    total: number,
    windowEnd: Date | null,
    now: Date,
  ): Promise<boolean> {
    if (q > total) return false;
    const { rows } = await sql<{ used: number }>`
      INSERT INTO user_item_limits AS u (item_id, user_id, used, window_end)
      VALUES (${itemId}, ${userId}, ${q}, ${windowEnd})
      ON CONFLICT (item_id, user_id) DO UPDATE
        SET used = ${usedNow(now)} + EXCLUDED.used, window_end = EXCLUDED.window_end
        WHERE ${usedNow(now)} + EXCLUDED.used <= ${total}
      RETURNING used`.execute(ex);
    return rows.length === 1;
  },

  async addReservation(
    ex: Executor,
    r: ReservationRow & { state?: 'reserved' | 'sold' },
  ): Promise<void> {
    await ex.insertInto('limit_reservations').values(r).execute();
  },

  /** Marks the open reservations of the orders `state` and returns them. */
  async closeReservations(ex: Executor, orderIds: number[], state: 'sold' | 'released') {
    if (orderIds.length === 0) return [];
    const { rows } = await sql<ReservationRow>`
      UPDATE limit_reservations SET state = ${state}
      WHERE order_id = any(${orderIds}) AND state = 'reserved'
      RETURNING order_id, project_id, item_id, user_id, quantity, per_item, pre_order, per_user, window_end`.execute(ex);
    return rows.sort((a, b) => a.item_id - b.item_id);
  },

  /** Gives reserved global stock back (cancel, expiry). */
  async returnStock(ex: Executor, itemId: number, q: number): Promise<void> {
    await sql`
      UPDATE item_limits SET per_item_remaining = least(per_item_remaining + ${q}, per_item_total),
        per_item_reserved = greatest(per_item_reserved - ${q}, 0)
      WHERE item_id = ${itemId} AND per_item_remaining IS NOT NULL`.execute(ex);
  },

  /** Reserved global stock becomes sold (payment): `sold` = total − remaining − reserved. */
  async sellStock(ex: Executor, itemId: number, q: number): Promise<void> {
    await sql`UPDATE item_limits SET per_item_reserved = greatest(per_item_reserved - ${q}, 0)
      WHERE item_id = ${itemId}`.execute(ex);
  },

  async returnPreOrder(ex: Executor, itemId: number, q: number): Promise<void> {
    await sql`UPDATE pre_order_limits SET available = available + ${q}, reserved = greatest(reserved - ${q}, 0)
      WHERE item_id = ${itemId}`.execute(ex);
  },

  async sellPreOrder(ex: Executor, itemId: number, q: number): Promise<void> {
    await sql`UPDATE pre_order_limits SET reserved = greatest(reserved - ${q}, 0), sold = sold + ${q}
      WHERE item_id = ${itemId}`.execute(ex);
  },

  /** Uncounts `q` for the user, only while the counter is still in the window the quantity was counted in. */
  async uncountForUser(ex: Executor, itemId: number, userId: string, q: number, windowEnd: Date | null) {
    await sql`UPDATE user_item_limits SET used = greatest(used - ${q}, 0)
      WHERE item_id = ${itemId} AND user_id = ${userId} AND window_end IS NOT DISTINCT FROM ${windowEnd}`.execute(
      ex,
    );
  },

  /**
   * Orders of the user, other than `orderId`, holding a reservation of one of `itemIds`. A reservation is held
   * only by an unpaid order (paying sells it, canceling and expiring release it); the caller's compare-and-set
   * `new → canceled` (ordersRepository.transition) skips any order that has just left `new`.
   */
  async openOrdersHolding(
    ex: Executor,
    projectId: number,
    userId: string,
    itemIds: number[],
    orderId: number,
  ) {
    if (itemIds.length === 0) return [];
    const { rows } = await sql<{ order_id: number }>`
      SELECT DISTINCT r.order_id FROM limit_reservations r
      WHERE r.project_id = ${projectId} AND r.user_id = ${userId} AND r.item_id = any(${itemIds})
        AND r.state = 'reserved' AND r.order_id <> ${orderId}
      ORDER BY r.order_id`.execute(ex);
    return rows.map((r) => r.order_id);
  },

  /**
   * What each of `userIds` has used of the project's limited items as of `now`: user_id → (item_id → used), 0s
   * and users without counters left out. One query for the whole batch (catalog overlay, LimitsService.usedByUser).
   */
  async usedByUsers(
    ex: Executor,
    projectId: number,
    userIds: string[],
    now: Date,
  ): Promise<Map<string, Map<number, number>>> {
    const out = new Map<string, Map<number, number>>();
    if (userIds.length === 0) return out;
    const { rows } = await sql<{ user_id: string; item_id: number; used: number }>`
      SELECT u.user_id, u.item_id, ${usedNow(now)} AS used FROM user_item_limits u JOIN items i ON i.item_id = u.item_id
      WHERE u.user_id = any(${userIds}) AND i.project_id = ${projectId}`.execute(ex);
    for (const r of rows) {
      const used = Number(r.used);
      if (used <= 0) continue;
      let m = out.get(r.user_id);
      if (!m) out.set(r.user_id, (m = new Map()));
      m.set(r.item_id, used);
    }
    return out;
  },

  /** Sets the user's counter of one item to `used` (0 ≤ used ≤ total is the caller's check). */
  async setUsed(ex: Executor, itemId: number, userId: string, used: number, windowEnd: Date | null) {
    await sql`
      INSERT INTO user_item_limits (item_id, user_id, used, window_end) VALUES (${itemId}, ${userId}, ${used}, ${windowEnd})
      ON CONFLICT (item_id, user_id) DO UPDATE SET used = EXCLUDED.used, window_end = EXCLUDED.window_end`.execute(
      ex,
    );
  },

  /** Uncounts `q` (gives the user `q` more to buy); false when that would make `used` negative. */
  async decreaseUsed(ex: Executor, itemId: number, userId: string, q: number, now: Date): Promise<boolean> {
    const { rows } = await sql<{ used: number }>`
      UPDATE user_item_limits AS u SET used = ${usedNow(now)} - ${q}
      WHERE u.item_id = ${itemId} AND u.user_id = ${userId} AND ${usedNow(now)} - ${q} >= 0
      RETURNING used`.execute(ex);
    return rows.length === 1;
  },

  /** `used` of the user's counter of the item as of `now` (0 without one). */
  async usedOf(ex: Executor, itemId: number, userId: string, now: Date): Promise<number> {
    const { rows } = await sql<{ used: number }>`
      SELECT ${usedNow(now)} AS used FROM user_item_limits u WHERE u.item_id = ${itemId} AND u.user_id = ${userId}`.execute(
      ex,
    );
    return Number(rows[0]?.used ?? 0);
  },

  /** Deletes the counters of an item (of one user, or of everyone). */
  async resetItem(ex: Executor, itemId: number, userId: string | null): Promise<void> {
    let q = ex.deleteFrom('user_item_limits').where('item_id', '=', itemId);
    if (userId !== null) q = q.where('user_id', '=', userId);
    await q.execute();
  },

  /** Whether the project knows the user: an order or a limit counter of theirs exists. */
  async knowsUser(ex: Executor, projectId: number, userId: string): Promise<boolean> {
    if (await ordersRepository.hasOrdersOf(ex, projectId, userId)) return true;
    const { rows } = await sql<{ known: boolean }>`
      SELECT EXISTS (SELECT 1 FROM user_item_limits u JOIN items i ON i.item_id = u.item_id
                     WHERE i.project_id = ${projectId} AND u.user_id = ${userId}) AS known`.execute(ex);
    return rows[0]?.known === true;
  },

  /** Deletes every counter of the user in the project. */
  async resetUser(ex: Executor, projectId: number, userId: string): Promise<void> {
    await sql`DELETE FROM user_item_limits u USING items i
      WHERE i.item_id = u.item_id AND i.project_id = ${projectId} AND u.user_id = ${userId}`.execute(ex);
  },

  /** Live stock of the project's limited items: global remaining and enabled pre-order quantity. */
  async stock(ex: Executor, projectId: number) {
    const { rows } = await sql<{ item_id: number; remaining: number | null; pre_order: number | null }>`
      SELECT i.item_id, l.per_item_remaining AS remaining, CASE WHEN p.is_enabled THEN p.available END AS pre_order
      FROM items i
      LEFT JOIN item_limits l ON l.item_id = i.item_id
      LEFT JOIN pre_order_limits p ON p.item_id = i.item_id
      WHERE i.project_id = ${projectId} AND (l.per_item_total IS NOT NULL OR p.is_enabled)`.execute(ex);
    return rows;
  },
};
