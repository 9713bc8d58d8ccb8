/**
 * Volatile availability of catalog items (issue 14 §3), apart from the catalog configuration that admin writes
 * version. One service owns every counter that purchases move, with one cache policy:
 * - unclaimed game codes of game keys (`has_keys`, and `can_be_bought` through it): kept in the catalog's views
 *   (CatalogStore.updateAvailableKeys re-renders them without a catalog version bump or reload), re-read after a
 *   purchase, claim or release of codes committed;
 * - global stock and pre-order quantity of limited items (`limits.per_item.available`, `can_be_bought`): a
 *   byte-budgeted LRU per project, read at most once per STOCK_TTL_MS and forgotten at once after a purchase of
 *   this process committed;
 * - what a user has used of limited items (`limits.per_user.available`): exact, never cached; lookups made while
 *   another is on its way are answered together by one query.
 * Whoever commits a change calls `keysChanged` / `stockChanged` from the transaction's after-commit hook; the change
 * is announced on the fan-out channel catalog versions use (an `availability` message), and every other process
 * drops or re-reads the same counters. The catalog overlay of limits (modules/limits/overlay.ts) reads `stock` and
 * `usedByUser` here.
 */
import { LRUCache } from 'lru-cache';
import type { CatalogStore } from '../../catalog/store.js';
import type { Executor } from '../../db/types.js';
import type { Fanout } from '../../fanout/fanout.js';
import type { AvailabilityMessage } from '../../fanout/messages.js';
import { gamesRepository } from '../games/repository.js';
import { limitsRepository } from '../limits/repository.js';

/** What is left of a limited item: global remaining and enabled pre-order quantity (null when not limited so). */
export interface StockLeft {
  remaining: number | null;
  preOrder: number | null;
}

/** Where the counters are read (the owning repositories; fakes in tests). */
export interface AvailabilityCounters {
  /** Unclaimed codes per game key of a project (of `itemIds` only when given; none left: absent). */
  keyCounts(projectId: number, itemIds?: readonly number[]): Promise<Map<number, number>>;
  /** Stock of the project's limited items (item_id → what is left). */
  stock(projectId: number): Promise<Map<number, StockLeft>>;
  /** What each user has used of the project's limited items at `now`: user_id → (item_id → used, 0s left out). */
  usedByUsers(projectId: number, userIds: string[], now: Date): Promise<Map<string, Map<number, number>>>;
}

/** The counters of the games and limits repositories over `db`. */
export function countersOf(db: Executor): AvailabilityCounters {
  return {
    keyCounts: (projectId, itemIds) => gamesRepository.availableCounts(db, projectId, itemIds),
    stock: async (projectId) =>
      new Map(
        (await limitsRepository.stock(db, projectId)).map((r) => [
          r.item_id,
          { remaining: r.remaining, preOrder: r.pre_order },
        ]),
      ),
    usedByUsers: (projectId, userIds, now) => limitsRepository.usedByUsers(db, projectId, userIds, now),
  };
}

/** Byte budget of the stock cache (estimated: a Map entry of a limited item ≈ 48 bytes). */
const STOCK_CACHE_BYTES = 16 * 2 ** 20;
/** How long the catalog may show a stock count read by this process before it is read again (ms). */
const STOCK_TTL_MS = 1000;
/**
 * How long stock changes of a project are gathered before one `availability` message announces them (ms): a flash
 * sale announces at most ~20 messages a second per project, not one per order. Other processes are exact again
 * this long after a purchase (within STOCK_TTL_MS without the fan-out).
 */
const STOCK_ANNOUNCE_MS = 50;
/** Per-user usage lookups: users per query, and queries on their way at once. */
const USED_BATCH = 500;
const USED_QUERIES_IN_FLIGHT = 2;

interface StockEntry {
  /** When it was read (ms since epoch). */
  at: number;
  stock: Map<number, StockLeft>;
}

interface UsedWaiter {
  resolve(used: Map<number, number>): void;
  reject(e: unknown): void;
}

export class AvailabilityService {
  private readonly unsubscribe: () => void;
  /**
   * project_id → live stock, an LRU with a byte budget (~48 bytes per limited item): one project with many
   * limited items evicts the least recently read projects, never every project at once.
   */
  private readonly stockCache = new LRUCache<number, StockEntry>({
    maxSize: STOCK_CACHE_BYTES,
    sizeCalculation: (e) => 64 + e.stock.size * 48,
  });
  private readonly stockLoading = new Map<number, Promise<Map<number, StockLeft>>>();
  /** Stock changes not announced yet: project_id → item ids. */
  private readonly stockToAnnounce = new Map<number, Set<number>>();
  private announceTimer: NodeJS.Timeout | null = null;
  /** Queued usage lookups: project_id → user_id → callers waiting. */
  private readonly usedQueue = new Map<number, Map<string, UsedWaiter[]>>();
  private usedInFlight = 0;
  private usedFlushScheduled = false;

  /** @param clock ms since epoch (the windows of per-user limits) */
  constructor(
    private readonly counters: AvailabilityCounters,
    private readonly catalog: Pick<CatalogStore, 'updateAvailableKeys'>,
    private readonly fanout: Pick<Fanout, 'publish' | 'subscribe'>,
    private readonly clock: () => number = Date.now,
  ) {
    this.unsubscribe = fanout.subscribe((m) => {
      if (m.type === 'availability') void this.received(m);
    });
  }

  // ---------- game keys ----------

  /**
   * Call after the transaction that changed the code pools of `itemIds` (game keys) committed: the next catalog
   * read of this process shows them once the returned promise resolves; other processes follow on the fan-out.
   * Never throws (a failed read leaves the counts as they were until the next load).
   */
  async keysChanged(projectId: number, itemIds: readonly number[]): Promise<void> {
    const ids = [...new Set(itemIds)];
    if (ids.length === 0) return;
    await this.refreshKeys(projectId, ids);
    this.fanout.publish({ type: 'availability', projectId, itemIds: ids, counter: 'keys' });
  }

  // ---------- stock ----------

  /**
   * Live stock of the project's limited items (item_id → what is left), read at most once per STOCK_TTL_MS per
   * project (one read shared by every request waiting for it), and again after a purchase changed it.
   */
  stock(projectId: number): Promise<Map<number, StockLeft>> | Map<number, StockLeft> {
    const now = Date.now(); // real time: the age of a read, not the store's clock
    const hit = this.stockCache.get(projectId);
    if (hit && now - hit.at < STOCK_TTL_MS) return hit.stock;
    const loading = this.stockLoading.get(projectId);
    if (loading) return loading;
    const load = this.counters
      .stock(projectId)
      .then((stock) => {
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

  /**
   * Call after the transaction that moved the stock or pre-order quantity of `itemIds` committed (a purchase, a
   * release, an admin change): this process reads the project's stock again on its next catalog read; other
   * processes are told within STOCK_ANNOUNCE_MS.
   */
  stockChanged(projectId: number, itemIds: readonly number[]): void {
    this.forgetStock(projectId);
    let pending = this.stockToAnnounce.get(projectId);
    if (!pending) this.stockToAnnounce.set(projectId, (pending = new Set()));
    for (const id of itemIds) pending.add(id);
    this.announceTimer ??= setTimeout(() => this.announceStock(), STOCK_ANNOUNCE_MS).unref();
  }

  // ---------- per-user usage ----------

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
      this.scheduleUsed();
    });
  }

  /** Stops listening to the fan-out and announces what is still pending. */
  close(): void {
    this.unsubscribe();
    if (this.announceTimer) {
      clearTimeout(this.announceTimer);
      this.announceStock();
    }
  }

  private forgetStock(projectId: number): void {
    this.stockCache.delete(projectId);
    this.stockLoading.delete(projectId);
  }

  private announceStock(): void {
    this.announceTimer = null;
    for (const [projectId, ids] of this.stockToAnnounce)
      this.fanout.publish({ type: 'availability', projectId, itemIds: [...ids], counter: 'stock' });
    this.stockToAnnounce.clear();
  }

  /** Another process announced a change (empty `itemIds`: any item of the project). */
  private async received(m: AvailabilityMessage): Promise<void> {
    if (m.counter === 'stock') this.forgetStock(m.projectId);
    else await this.refreshKeys(m.projectId, m.itemIds.length > 0 ? m.itemIds : null);
  }

  private async refreshKeys(projectId: number, itemIds: readonly number[] | null): Promise<void> {
    try {
      const counts = await this.counters.keyCounts(projectId, itemIds ?? undefined);
      this.catalog.updateAvailableKeys(projectId, itemIds, counts);
    } catch {
      // the counts stay as loaded; the next snapshot load reads them again
    }
  }

  private scheduleUsed(): void {
    if (this.usedQueue.size === 0 || this.usedFlushScheduled) return;
    if (this.usedInFlight >= USED_QUERIES_IN_FLIGHT) return;
    this.usedFlushScheduled = true;
    setImmediate(() => this.flushUsed());
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
    this.counters
      .usedByUsers(projectId, [...batch.keys()], new Date(this.clock()))
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
        this.scheduleUsed();
      });
    this.scheduleUsed();
  }
}
