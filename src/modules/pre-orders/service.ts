/**
 * Pre-order quantities (endpoints.tsv group common-pre-orders; spec get-/add-/set-/remove-/remove-all-/
 * toggle-pre-order-limit; docs/decisions/0018-purchase-limits-pre-orders.md): an item with an enabled pre-order limit
 * sells until its `available` quantity is gone. Purchases move units available → reserved (order created) →
 * sold (paid), or back to available (canceled, expired) — LimitsService does that with conditional updates.
 * Admin changes run through CatalogWriter (one transaction, catalog_version bump) and refresh the stock the
 * catalog shows. Quantities are integers ≥ 0; removing more than is available leaves 0.
 *
 * Errors: 404/4001 unknown item.
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { CatalogWriter } from '../catalog/writer.js';
import type { Executor } from '../../db/types.js';
import { itemNotFoundById, itemNotFoundBySku } from '../../errors/app-error.js';
import type { AvailabilityService } from '../availability/service.js';
import { preOrdersRepository as repo } from './repository.js';

/** How an admin call names the item: by sku, or by id (the spec's documented aliases). */
export type ItemKey = { sku: string } | { itemId: number };

/** The get-pre-order-limit body. */
export interface PreOrderView {
  item_id: number;
  sku: string;
  is_pre_order_limit_enabled: boolean;
  available: number;
  reserved: number;
  sold: number;
}

export class PreOrdersService {
  constructor(
    private readonly writer: CatalogWriter,
    private readonly availability: Pick<AvailabilityService, 'stockChanged'>,
    private readonly read: Executor,
  ) {}

  /** get-pre-order-limit: the item's pre-order quantity (all 0 and disabled when never set). @throws 404/4001. */
  async get(projectId: number, key: ItemKey): Promise<PreOrderView> {
    const row = await this.item(this.read, projectId, key);
    return {
      item_id: row.item_id,
      sku: row.sku,
      is_pre_order_limit_enabled: row.is_enabled ?? false,
      available: row.available ?? 0,
      reserved: row.reserved ?? 0,
      sold: row.sold ?? 0,
    };
  }

  /** add-pre-order-limit: `quantity` more units. @throws 404/4001. */
  add(projectId: number, key: ItemKey, quantity: number, write: WriteOptions = {}) {
    return this.change(projectId, key, write, (trx, id) => repo.add(trx, id, quantity));
  }

  /** set-pre-order-limit: exactly `quantity` units available. @throws 404/4001. */
  set(projectId: number, key: ItemKey, quantity: number, write: WriteOptions = {}) {
    return this.change(projectId, key, write, (trx, id) => repo.set(trx, id, quantity));
  }

  /** remove-pre-order-limit: `quantity` fewer units (not below 0). @throws 404/4001. */
  remove(projectId: number, key: ItemKey, quantity: number, write: WriteOptions = {}) {
    return this.change(projectId, key, write, (trx, id) => repo.remove(trx, id, quantity));
  }

  /** remove-all-pre-order-limit: no unit left to sell. @throws 404/4001. */
  removeAll(projectId: number, key: ItemKey, write: WriteOptions = {}) {
    return this.change(projectId, key, write, (trx, id) => repo.set(trx, id, 0));
  }

  /** toggle-pre-order-limit: enables or disables the limit (disabled = the item sells without it). @throws 404/4001. */
  toggle(projectId: number, key: ItemKey, enabled: boolean, write: WriteOptions = {}) {
    return this.change(projectId, key, write, (trx, id) => repo.toggle(trx, id, enabled));
  }

  private async change(
    projectId: number,
    key: ItemKey,
    write: WriteOptions,
    fn: (trx: Executor, itemId: number) => Promise<void>,
  ) {
    const itemId = await this.writer.run(projectId, write, async (trx, change) => {
      const { item_id } = await this.item(trx, projectId, key);
      change.items(item_id);
      await fn(trx, item_id);
      return item_id;
    });
    this.availability.stockChanged(projectId, [itemId]);
  }

  private async item(ex: Executor, projectId: number, key: ItemKey) {
    const row = await repo.find(ex, projectId, 'sku' in key ? { sku: key.sku } : { itemId: key.itemId });
    if (!row) throw 'sku' in key ? itemNotFoundBySku(key.sku) : itemNotFoundById(key.itemId);
    return row;
  }
}
