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
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/types.js';
import { AppError, itemNotFoundBySku } from '../../errors/app-error.js';
import type { UnitOfWork, WriteContext, WriteOptions } from '../../db/unit-of-work.js';
import type { RecurrentSchedule } from '../items/model.js';
import { ordersRepository, type OrderRow } from '../orders/repository.js';
import { limitsRepository as repo, type LimitConfig } from './repository.js';
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

/** What is left of a limited item: global remaining and enabled pre-order quantity (null when not limited so). */
export interface StockLeft {
  remaining: number | null;
  preOrder: number | null;
}

/** Live stock of a project's limited items, kept briefly (catalog overlay). */
interface StockEntry {
  at: number;
  stock: Map<number, StockLeft>;
}

/** Byte budget of the stock cache (estimated: a Map entry of a limited item ≈ 48 bytes). */
const STOCK_CACHE_BYTES = 16 * 2 ** 20;

/** How long the catalog may show a stock count before it is read again (ms). */
const STOCK_TTL_MS = 1000;
/** Per-user usage lookups of the catalog overlay: users per query, and queries on their way at once. */
const USED_BATCH = 500;
const USED_QUERIES_IN_FLIGHT = 2;

interface UsedWaiter {
  resolve(used: Map<number, number>): void;
  reject(e: unknown): void;
}

export class LimitsService {
  /**
   * project_id → live stock, an LRU with a byte budget (STOCK_CACHE_BYTES; ~48 bytes per limited item): one
   * project with many limited items evicts the least recently read projects, never every project at once.
   */
  private readonly stockCache = new LRUCache<number, StockEntry>({
    maxSize: STOCK_CACHE_BYTES,
    sizeCalculation: (e) => 64 + e.stock.size * 48,
  });
  private readonly stockLoading = new Map<number, Promise<Map<number, StockLeft>>>();
  /** Queued usage lookups: project_id → user_id → callers waiting. */
  private readonly usedQueue = new Map<number, Map<string, UsedWaiter[]>>();
  private usedInFlight = 0;
  private usedFlushScheduled = false;

  /** @param clock ms since epoch (windows of per-user limits) */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
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
    trx: Executor,
    order: { projectId: number; userId: string; orderId: number },
    lines: LimitLine[],
    opts: { settled?: boolean } = {},
  ): Promise<OrderRow[]> {
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
          trx,
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
    if (stock.length > 0) this.stockCache.delete(order.projectId);
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
    this.stockCache.delete(projectId);
    return this.voidOthers(
      trx,
      projectId,
      sold[0].user_id,
      sold.map((r) => r.item_id),
      orderId,
    );
  }

  /** Cancels the user's unpaid orders (other than `orderId`) holding one of `itemIds`, releasing them. */
  private async voidOthers(
    trx: Executor,
    projectId: number,
    userId: string,
    itemIds: number[],
    orderId: number,
  ): Promise<OrderRow[]> {
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
      trx,
      voided.map((o) => o.order_id),
    );
    return voided;
  }

  /** Unpaid orders were canceled or expired: gives back exactly what their reservations held. */
  async release(trx: Executor, orderIds: number[]): Promise<void> {
    const released = await repo.closeReservations(trx, orderIds, 'released');
    for (const r of released) {
      if (r.per_item) await repo.returnStock(trx, r.item_id, r.quantity);
      if (r.pre_order) await repo.returnPreOrder(trx, r.item_id, r.quantity);
      if (r.per_user) await repo.uncountForUser(trx, r.item_id, r.user_id, r.quantity, r.window_end);
    }
    if (released.length > 0) this.stockCache.clear();
  }

  /** See {@link assertWithinLimits} (with this service's clock). */
  assertAvailable(ex: Executor, projectId: number, userId: string, line: LimitLine): Promise<void> {
    return assertWithinLimits(ex, projectId, userId, line, this.clock());
  }

  // ---------- catalog overlay ----------

  /**
   * What the user has used of each limited item now (item_id → count; absent = 0), exact (no cache). Calls made
   * while another lookup is on its way to the database are answered together by one query (at most
   * USED_QUERIES_IN_FLIGHT at a time, USED_BATCH users each): under load a catalog page with a user JWT costs a
   * fraction of a round trip instead of one.
   */
  usedByUser(projectId: number, userId: string): Promise<Map<number, number>> {
    return new Promise((resolve, reject) => {
      let batch = this.usedQueue.get(projectId);
      if (!batch) this.usedQueue.set(projectId, (batch = new Map()));
      const waiting = batch.get(userId);
      if (waiting) waiting.push({ resolve, reject });
      else batch.set(userId, [{ resolve, reject }]);
      if (!this.usedFlushScheduled && this.usedInFlight < USED_QUERIES_IN_FLIGHT) {
        this.usedFlushScheduled = true;
        setImmediate(() => this.flushUsed());
      }
    });
  }

  /** Sends the queued lookups of one project (the oldest queue first) as one query. */
  private flushUsed(): void {
    this.usedFlushScheduled = false;
    const next = this.usedQueue.entries().next();
    if (next.done) return;
    const [projectId, queued] = next.value;
    const batch = new Map<string, UsedWaiter[]>();
    for (const [userId, waiters] of queued) {
      batch.set(userId, waiters);
      queued.delete(userId);
      if (batch.size >= USED_BATCH) break;
    }
    if (queued.size === 0) this.usedQueue.delete(projectId);
    this.usedInFlight++;
    repo
      .usedByUsers(this.db, projectId, [...batch.keys()], new Date(this.clock()))
      .then(
        (byUser) => {
          for (const [userId, waiters] of batch) {
            const used = byUser.get(userId) ?? new Map<number, number>();
            for (const w of waiters) w.resolve(used);
          }
        },
        (e: unknown) => {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
        },
      )
      .finally(() => {
        this.usedInFlight--;
        if (this.usedQueue.size > 0 && !this.usedFlushScheduled) {
          this.usedFlushScheduled = true;
          setImmediate(() => this.flushUsed());
        }
      });
    if (this.usedQueue.size > 0 && this.usedInFlight < USED_QUERIES_IN_FLIGHT && !this.usedFlushScheduled) {
      this.usedFlushScheduled = true;
      setImmediate(() => this.flushUsed());
    }
  }

  /**
   * Live stock of the project's limited items (item_id → what is left), read at most once per second per
   * project (one read shared by every request waiting for it), and again after a purchase of this process
   * changed it.
   */
  stock(projectId: number): Promise<Map<number, StockLeft>> | Map<number, StockLeft> {
    const now = Date.now();
    const hit = this.stockCache.get(projectId);
    if (hit && now - hit.at < STOCK_TTL_MS) return hit.stock;
    const loading = this.stockLoading.get(projectId);
    if (loading) return loading;
    const load = repo
      .stock(this.db, projectId)
      .then((rows) => {
        const stock = new Map(
          rows.map((r) => [r.item_id, { remaining: r.remaining, preOrder: r.pre_order }]),
        );
        if (this.stockLoading.get(projectId) !== load) return stock; // forgotten meanwhile: not kept
        this.stockCache.set(projectId, { at: now, stock });
        return stock;
      })
      .finally(() => {
        if (this.stockLoading.get(projectId) === load) this.stockLoading.delete(projectId);
      });
    this.stockLoading.set(projectId, load);
    return load;
  }

  /** Forgets the cached stock of a project (an admin changed quantities). */
  forgetStock(projectId: number): void {
    this.stockCache.delete(projectId);
    this.stockLoading.delete(projectId);
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
    const item = await ex
      .selectFrom('items')
      .select('item_id')
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .executeTakeFirst();
    if (!item) throw itemNotFoundBySku(sku);
    const [c] = await repo.configs(ex, projectId, [item.item_id]);
    if (!c || c.per_user_total === null) throw new AppError('ITEM_WITHOUT_USER_LIMITS');
    return c;
  }
}

const view = (c: LimitConfig, used: number): UserLimitView => ({
  per_user: { total: c.per_user_total!, available: Math.max(0, c.per_user_total! - used) },
});
