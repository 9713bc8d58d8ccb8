/**
 * Volatile availability of catalog items (issue 14 §3), apart from the catalog configuration that admin writes
 * version: today the unclaimed game codes of game keys (`has_keys`, and `can_be_bought` through it). A purchase,
 * claim or release of codes calls `invalidate(projectId, itemIds)` after its transaction committed: the counts of
 * those items are read again and handed to the catalog (CatalogStore.updateAvailableKeys, which re-renders the
 * project's views without a catalog version bump or reload), and the change is announced on the fan-out channel
 * catalog versions use (an `availability` message), so every other process does the same.
 * Stock and per-user limits still come from LimitsService and the limits overlay (modules/limits).
 */
import type { CatalogStore } from '../../catalog/store.js';
import type { Executor } from '../../db/types.js';
import type { Fanout } from '../../fanout/fanout.js';
import type { AvailabilityMessage } from '../../fanout/messages.js';
import { gamesRepository } from '../games/repository.js';

/** Reads unclaimed codes per game key of a project (of `itemIds` only when given; none left: absent). */
export type KeyCounts = (projectId: number, itemIds?: readonly number[]) => Promise<Map<number, number>>;

/** The KeyCounts of the games repository over `db`. */
export const keyCountsOf =
  (db: Executor): KeyCounts =>
  (projectId, itemIds) =>
    gamesRepository.availableCounts(db, projectId, itemIds);

export class AvailabilityService {
  private readonly unsubscribe: () => void;

  constructor(
    private readonly keyCounts: KeyCounts,
    private readonly catalog: Pick<CatalogStore, 'updateAvailableKeys'>,
    private readonly fanout: Pick<Fanout, 'publish' | 'subscribe'>,
  ) {
    this.unsubscribe = fanout.subscribe((m) => {
      if (m.type === 'availability') void this.received(m);
    });
  }

  /**
   * Call after the transaction that changed the counters of `itemIds` (game keys) committed: the next catalog
   * read of this process shows them once the returned promise resolves; other processes follow on the fan-out.
   * Never throws (a failed read leaves the counts as they were until the next load).
   */
  async invalidate(projectId: number, itemIds: readonly number[]): Promise<void> {
    const ids = [...new Set(itemIds)];
    if (ids.length === 0) return;
    await this.refresh(projectId, ids);
    this.fanout.publish({ type: 'availability', projectId, itemIds: ids });
  }

  /** Stops listening to the fan-out. */
  close(): void {
    this.unsubscribe();
  }

  /** Another process announced a change (empty `itemIds`: any item of the project). */
  private async received(m: AvailabilityMessage): Promise<void> {
    await this.refresh(m.projectId, m.itemIds.length > 0 ? m.itemIds : null);
  }

  private async refresh(projectId: number, itemIds: readonly number[] | null): Promise<void> {
    try {
      const counts = await this.keyCounts(projectId, itemIds ?? undefined);
      this.catalog.updateAvailableKeys(projectId, itemIds, counts);
    } catch {
      // the counts stay as loaded; the next snapshot load reads them again
    }
  }
}
