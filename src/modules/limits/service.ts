/**
 * Purchase limits (endpoints.tsv group user-limits-admin; seed-details §2.5–2.8; spec/NOTES.md "Admin
 * behaviour"; docs/decisions/0018-purchase-limits-pre-orders.md): the one place every purchase path asks "may this user
 * take this many?", and the counters behind the answer.
 *
 * Three limits can hold an item, each a counter changed only by one conditional statement (DESIGN §5):
 * - per user (`limits.per_user.total`): what a user bought in the current reset window (recurrent_schedule:
 *   hourly / daily / weekly / monthly, reset to the hour; none = forever);
 * - global (`limits.per_item`): item_limits.per_item_remaining / per_item_reserved (sold = total − both);
 * - pre-order quantity (common-pre-orders): pre_order_limits.available / reserved / sold, when enabled.
 *
 * Life of a purchase: `reserve` when the order is created (every path: cart, item, server token, free,
 * virtual currency) counts the user and takes stock into `reserved`; `commit` when it is paid turns the
 * reservation into sold and voids the user's other unpaid orders holding the same limited items; `release`
 * when an unpaid order is canceled or expires gives back exactly what it held. A refund gives nothing back
 * (NOTES.md: admins reset per-user limits through the user-limit endpoints). Quantities are integers.
 *
 * Errors: 422/1411 ITEM_LIMIT_EXCEEDED (a limit would be passed — nothing is written, the caller's transaction
 * rolls back); admin calls: 404/4001 unknown sku, 422/4508 no per-user limit, 422/4510 out of range.
 */
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/types.js';
import { AppError, itemNotFoundBySku } from '../../errors/app-error.js';
import type { UnitOfWork, WriteContext, WriteOptions } from '../../db/unit-of-work.js';
import type { RecurrentSchedule } from '../items/model.js';
import { itemsRepository } from '../items/repository.js';
import { ordersRepository, type OrderRow } from '../orders/repository.js';
import type { AvailabilityService } from '../availability/service.js';
import { limitsRepository as repo, type LimitConfig, type ReservationRow } from './repository.js';
import { nextResetAt } from './schedule.js';

/** One line of an order as limits see it. */
export interface LimitLine {
  item_id: number;
  sku: string;
  quantity: number;
}

/** `{per_user: {total, available}}` of the user-limit admin calls. */
export interface UserLimitView {
  per_user: { total: number; available: number };
}

/** The recurrent schedule of a limit configuration, or null. */
export function scheduleOf(
  c: Pick<
    LimitConfig,
    'recurrent_interval_type' | 'recurrent_time' | 'recurrent_day_of_week' | 'recurrent_day_of_month'
  >,
): RecurrentSchedule | null {
  if (!c.recurrent_interval_type) return null;
  return {
    interval_type: c.recurrent_interval_type as RecurrentSchedule['interval_type'],
    time: c.recurrent_time ?? '00:00:00+00:00',
    day_of_week: c.recurrent_day_of_week,
    day_of_month: c.recurrent_day_of_month,
  };
}

/** The end of the per-user window that contains `now` (the next reset), or null without a schedule. */
export function windowEndOf(c: LimitConfig, now: number): Date | null {
  const s = scheduleOf(c);
  return s ? new Date(nextResetAt(s, now)) : null;
}

/**
 * Whether `quantity` of the item may still be bought by the user at `now` (ms) — cart put and fill. A read: the
 * binding check is `reserve` at order creation.
 * @throws 422/1411 ITEM_LIMIT_EXCEEDED.
 */
export async function assertWithinLimits(
  ex: Executor,
  projectId: number,
  userId: string,
  line: LimitLine,
  now: number,
): Promise<void> {
  const [c] = await repo.configs(ex, projectId, [line.item_id]);
  if (!c) return;
  if (c.per_user_total !== null) {
    const used = await repo.usedOf(ex, c.item_id, userId, new Date(now));
    if (used + line.quantity > c.per_user_total)
      throw exceeded(c.sku, `The user limit of ${c.per_user_total} for this item would be exceeded`);
  }
  if (c.per_item_total === null && !c.pre_order_enabled) return;
  const left = (await repo.stock(ex, projectId)).find((s) => s.item_id === c.item_id);
  if (left?.remaining != null && left.remaining < line.quantity)
    throw exceeded(c.sku, 'Not enough items left in stock');
  if (left?.pre_order != null && left.pre_order < line.quantity)
    throw exceeded(c.sku, 'Not enough items left in the pre-order quantity');
}

function exceeded(sku: string, what: string) {
  return new AppError('ITEM_LIMIT_EXCEEDED', undefined, [{ property: sku, message: what }]);
}

/** Lines merged per item (the same item twice in one order counts once with the sum). */
function merge(lines: LimitLine[]): LimitLine[] {
  const by = new Map<number, LimitLine>();
  for (const l of lines) {
    const m = by.get(l.item_id);
    if (m) m.quantity += l.quantity;
    else by.set(l.item_id, { ...l });
  }
  return [...by.values()].sort((a, b) => a.item_id - b.item_id); // one lock order for every transaction
}

export class LimitsService {
  /**
   * @param availability told after commit when stock or pre-order quantity moved (the catalog shows it)
   * @param clock ms since epoch (windows of per-user limits)
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly availability: Pick<AvailabilityService, 'stockChanged'>,
    private readonly clock: () => number = Date.now,
  ) {}

  // ---------- the purchase path ----------

  /**
   * Counts the order's lines against every limit of their items, inside the order's transaction: per user
   * (within the current window), global stock and pre-order quantity go into `reserved`, and the order keeps a
   * reservation per limited item. Items without limits are not touched.
   *
   * With `settled` (an order paid in this same transaction: free and virtual-currency purchases, called after
   * delivery) the units are sold at once and the user's other unpaid orders for them are voided; the stock
   * UPDATEs run last, so the row lock of a hot item is held only until the commit right after (flash sales).
   * @returns the orders voided (only with `settled`; the caller releases what else they held and announces them)
   * @throws 422/1411 ITEM_LIMIT_EXCEEDED naming the sku when one limit would be passed (the caller rolls back).
   */
  async reserve(
    ctx: WriteContext,
    order: { projectId: number; userId: string; orderId: number },
    lines: LimitLine[],
    opts: { settled?: boolean } = {},
  ): Promise<OrderRow[]> {
    const { trx } = ctx;
    const merged = merge(lines);
    const configs = await repo.configs(
      trx,
      order.projectId,
      merged.map((l) => l.item_id),
    );
    if (configs.length === 0) return [];
    const now = this.clock();
    const settled = opts.settled === true;
    const byId = new Map(configs.map((c) => [c.item_id, c]));
    const stock: { c: LimitConfig; q: number; perItem: boolean; preOrder: boolean }[] = [];
    for (const line of merged) {
      const c = byId.get(line.item_id);
      if (!c) continue;
      const q = line.quantity;
      const perUser = c.per_user_total !== null;
      const windowEnd = perUser ? windowEndOf(c, now) : null;
      if (
        perUser &&
        !(await repo.countForUser(
          trx,
          c.item_id,
          order.userId,
          q,
          c.per_user_total!,
          windowEnd,
          new Date(now),
        ))
      )
        throw exceeded(c.sku, `The user limit of ${c.per_user_total} for this item would be exceeded`);
      const perItem = c.per_item_total !== null;
      const preOrder = c.pre_order_enabled === true;
      if (perItem || preOrder) stock.push({ c, q, perItem, preOrder });
      await repo.addReservation(trx, {
        order_id: order.orderId,
        project_id: order.projectId,
        item_id: c.item_id,
        user_id: order.userId,
        quantity: q,
        per_item: perItem,
        pre_order: preOrder,
        per_user: perUser,
        window_end: windowEnd,
        state: settled ? 'sold' : 'reserved',
      });
    }
    const voided = settled
      ? await this.voidOthers(
          ctx,
          order.projectId,
          order.userId,
          configs.map((c) => c.item_id),
          order.orderId,
        )
      : [];
    for (const { c, q, perItem, preOrder } of stock) {
      const tookStock = settled ? repo.sellStockNow : repo.takeStock;
      if (perItem && !(await tookStock(trx, c.item_id, q)))
        throw exceeded(c.sku, 'Not enough items left in stock');
      const tookPreOrder = settled ? repo.sellPreOrderNow : repo.takePreOrder;
      if (preOrder && !(await tookPreOrder(trx, c.item_id, q)))
        throw exceeded(c.sku, 'Not enough items left in the pre-order quantity');
    }
    this.stockMoved(ctx, order.projectId, stock.map((s) => s.c.item_id));
    return voided;
  }

  /**
   * The order was paid: its reservations become sold, and the user's other unpaid orders holding one of the
   * same limited items are voided (canceled, their reservations released; spec/NOTES.md). Returns the voided orders.
   */
  async commit(ctx: WriteContext, projectId: number, orderId: number): Promise<OrderRow[]> {
    const { trx } = ctx;
    const sold = await repo.closeReservations(trx, [orderId], 'sold');
    if (sold.length === 0) return [];
    for (const r of sold) {
      if (r.per_item) await repo.sellStock(trx, r.item_id, r.quantity);
      if (r.pre_order) await repo.sellPreOrder(trx, r.item_id, r.quantity);
    }
    this.stockMoved(ctx, projectId, sold.filter((r) => r.per_item || r.pre_order).map((r) => r.item_id));
    return this.voidOthers(
      ctx,
      projectId,
      sold[0].user_id,
      sold.map((r) => r.item_id),
      orderId,
    );
  }

  /** Cancels the user's unpaid orders (other than `orderId`) holding one of `itemIds`, releasing them. */
  private async voidOthers(
    ctx: WriteContext,
    projectId: number,
    userId: string,
    itemIds: number[],
    orderId: number,
  ): Promise<OrderRow[]> {
    const { trx } = ctx;
    const others = await repo.openOrdersHolding(trx, projectId, userId, itemIds, orderId);
    const voided: OrderRow[] = [];
    for (const id of others) {
      const row = await ordersRepository.transition(trx, projectId, id, 'new', 'canceled');
      if (!row) continue;
      await ordersRepository.addEvent(trx, id, 'canceled', 'system', {
        reason: 'limit',
        paid_order_id: orderId,
      });
      voided.push(row);
    }
    await this.release(
      ctx,
      voided.map((o) => o.order_id),
    );
    return voided;
  }

  /** Unpaid orders were canceled or expired: gives back exactly what their reservations held. */
  async release(ctx: WriteContext, orderIds: number[]): Promise<void> {
    const { trx } = ctx;
    const released = await repo.closeReservations(trx, orderIds, 'released');
    for (const r of released) {
      if (r.per_item) await repo.returnStock(trx, r.item_id, r.quantity);
      if (r.pre_order) await repo.returnPreOrder(trx, r.item_id, r.quantity);
      if (r.per_user) await repo.uncountForUser(trx, r.item_id, r.user_id, r.quantity, r.window_end);
    }
    const byProject = new Map<number, ReservationRow[]>();
    for (const r of released) byProject.set(r.project_id, [...(byProject.get(r.project_id) ?? []), r]);
    for (const [projectId, rows] of byProject)
      this.stockMoved(ctx, projectId, rows.filter((r) => r.per_item || r.pre_order).map((r) => r.item_id));
  }

  /** Once `ctx` commits, the availability service forgets the stock of `itemIds` (none: nothing moved). */
  private stockMoved(ctx: WriteContext, projectId: number, itemIds: number[]): void {
    if (itemIds.length > 0) ctx.afterCommit(() => this.availability.stockChanged(projectId, itemIds));
  }

  /** See {@link assertWithinLimits} (with this service's clock). */
  assertAvailable(ex: Executor, projectId: number, userId: string, line: LimitLine): Promise<void> {
    return assertWithinLimits(ex, projectId, userId, line, this.clock());
  }

  // ---------- user-limits-admin ----------

  /** get-user-item-limit. @throws 404/4001, 422/4508. */
  async getUserLimit(projectId: number, sku: string, userId: string): Promise<UserLimitView> {
    const c = await this.userLimited(this.db, projectId, sku);
    const used = await repo.usedOf(this.db, c.item_id, userId, new Date(this.clock()));
    return view(c, used);
  }

  /** add-user-item-limit: the user may buy `available` more (up to the total). @throws 4001, 4508, 4510. */
  addUserLimit(projectId: number, sku: string, userId: string, available: number, write: WriteOptions = {}) {
    return this.adjust(projectId, sku, userId, write, async (trx, c, now) => {
      if (!(await repo.decreaseUsed(trx, c.item_id, userId, available, now)))
        throw new AppError('USER_LIMIT_OUT_OF_RANGE');
    });
  }

  /** remove-user-item-limit: the user may buy `available` fewer (down to 0). @throws 4001, 4508, 4510. */
  removeUserLimit(
    projectId: number,
    sku: string,
    userId: string,
    available: number,
    write: WriteOptions = {},
  ) {
    return this.adjust(projectId, sku, userId, write, async (trx, c, now) => {
      const ok = await repo.countForUser(
        trx,
        c.item_id,
        userId,
        available,
        c.per_user_total!,
        windowEndOf(c, now.getTime()),
        now,
      );
      if (!ok) throw new AppError('USER_LIMIT_OUT_OF_RANGE');
    });
  }

  /** set-user-item-limit: the user may buy exactly `available` more (0…total). @throws 4001, 4508, 4510. */
  setUserLimit(projectId: number, sku: string, userId: string, available: number, write: WriteOptions = {}) {
    return this.adjust(projectId, sku, userId, write, async (trx, c, now) => {
      if (available > c.per_user_total!) throw new AppError('USER_LIMIT_OUT_OF_RANGE');
      await repo.setUsed(
        trx,
        c.item_id,
        userId,
        c.per_user_total! - available,
        windowEndOf(c, now.getTime()),
      );
    });
  }

  /** reset-user-item-limit: the item's counter of the user (or of every user when null) starts over. */
  async resetItem(
    projectId: number,
    sku: string,
    userId: string | null,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.uow.run(write, async ({ trx }) => {
      const c = await this.userLimited(trx, projectId, sku);
      await repo.resetItem(trx, c.item_id, userId);
    });
  }

  /**
   * reset-all-user-items-limit: every counter of the user in the project starts over.
   * @throws 404/5008 when the project has never seen the user (no order, no counter).
   */
  async resetUser(projectId: number, userId: string, write: WriteOptions = {}): Promise<void> {
    await this.uow.run(write, async ({ trx }) => {
      if (!(await repo.knowsUser(trx, projectId, userId))) throw new AppError('USER_NOT_FOUND');
      await repo.resetUser(trx, projectId, userId);
    });
  }

  private async adjust(
    projectId: number,
    sku: string,
    userId: string,
    write: WriteOptions,
    change: (trx: Executor, c: LimitConfig, now: Date) => Promise<void>,
  ): Promise<UserLimitView> {
    return this.uow.run(write, async ({ trx }) => {
      const c = await this.userLimited(trx, projectId, sku);
      const now = new Date(this.clock());
      await change(trx, c, now);
      return view(c, await repo.usedOf(trx, c.item_id, userId, now));
    });
  }

  /** The limit configuration of `sku`. @throws 404/4001 unknown sku; 422/4508 no per-user limit. */
  private async userLimited(ex: Executor, projectId: number, sku: string): Promise<LimitConfig> {
    const item = (await itemsRepository.resolveSkus(ex, projectId, [sku])).get(sku);
    if (!item) throw itemNotFoundBySku(sku);
    const [c] = await repo.configs(ex, projectId, [item.item_id]);
    if (!c || c.per_user_total === null) throw new AppError('ITEM_WITHOUT_USER_LIMITS');
    return c;
  }
}

const view = (c: LimitConfig, used: number): UserLimitView => ({
  per_user: { total: c.per_user_total!, available: Math.max(0, c.per_user_total! - used) },
});
