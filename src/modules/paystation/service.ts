/**
 * The sandbox pay station's operations (paystation-get-order, paystation-pay, paystation-fail, paystation-cancel):
 * a payment token names one order; an action is one unit of work and answers the order as the pay station shows
 * it afterwards (view.ts).
 */
import type { CatalogStore } from '../../catalog/store.js';
import type { UnitOfWork, WriteOptions } from '../../db/unit-of-work.js';
import type { InventoryService } from '../inventory/service.js';
import type { OrdersService } from '../orders/service.js';
import { paystationView } from './view.js';

export type PaystationAction = 'pay' | 'fail' | 'cancel';

export class PaystationService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly orders: OrdersService,
    private readonly catalog: CatalogStore,
    private readonly inventory: InventoryService,
  ) {}

  /** The pay station view of the order `token` opens. @throws 404/9001 for an unknown or expired token. */
  async show(token: string) {
    const ref = await this.orders.tokenRef(token);
    const details = await this.orders.details(ref.project_id, ref.order_id);
    const codes = await this.inventory.codesOfOrder(undefined, ref.order_id);
    return paystationView(details, await this.catalog.snapshot(ref.project_id), codes);
  }

  /**
   * Runs `action` on the order `token` opens: pay (`new → paid → done`, delivered), fail (a failed attempt is
   * recorded, the order stays `new`) or cancel (`new → canceled`); answers the view after it.
   * @throws 404/9001 unknown or expired token; 409 when the order's status does not allow the action.
   */
  async act(token: string, action: PaystationAction, write: WriteOptions = {}) {
    const ref = await this.orders.tokenRef(token);
    const snapshot = await this.orders.snapshot(ref.project_id);
    const { project_id: projectId, order_id: orderId } = ref;
    return this.uow.run(write, async (ctx) => {
      if (action === 'pay') await this.orders.pay(ctx, projectId, orderId, 'paystation');
      else if (action === 'cancel') await this.orders.cancel(ctx, projectId, orderId, 'paystation');
      else await this.orders.fail(ctx, projectId, orderId, 'paystation', 'Payment declined in the sandbox');
      const details = await this.orders.details(projectId, orderId, ctx.trx);
      const codes = await this.inventory.codesOfOrder(ctx.trx, orderId);
      return paystationView(details, snapshot, codes);
    });
  }
}
