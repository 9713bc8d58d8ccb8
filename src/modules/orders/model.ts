/**
 * The order domain: statuses and how they move (DESIGN §5, seed-details §1.5), and the collaborators an order
 * needs from other areas, declared here as the narrow contracts the orders module calls (the cart, delivery
 * and webhook services satisfy them; services.ts wires the real ones).
 */
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import type { Executor } from '../../db/types.js';
import type { WriteContext } from '../../db/unit-of-work.js';
import type { UserIdentity } from '../tenancy/service.js';

/**
 * `new` (created, awaiting payment) → `paid` (payment received) → `done` (content delivered);
 * `new` → `canceled` (the buyer gave up) | `expired` (not paid in time); `done` → `canceled` (refund).
 */
export const ORDER_STATUSES = ['new', 'paid', 'done', 'canceled', 'expired'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The fields of an order row a status change carries (repository OrderRow is one). */
export interface OrderStatusRow {
  order_id: number;
  project_id: number;
  user_id: string;
  status: OrderStatus;
  mode: 'default' | 'sandbox';
  currency_type: 'real' | 'virtual' | 'unknown';
  currency: string | null;
  /** Total of the order, decimal string (virtual currency: an integer amount). */
  amount: string;
  is_free: boolean;
}

/**
 * An order moved to `status` (after the transaction that moved it committed): `new` when created, `paid` and
 * `done` when settled, `canceled` (buyer, refund, or voided by a paid order of a limited item), `expired`.
 * `previous` is the status it left (null for a new order). Listeners run in the process that made the change;
 * other processes learn of it through the fan-out of whoever listens (e.g. the realtime channel).
 */
export interface OrderStatusChange {
  order: OrderStatusRow;
  previous: OrderStatus | null;
  /** Who moved it. */
  actor: OrderActor;
}

/** Receives status changes; must not throw (errors are logged and ignored). */
export type OrderStatusListener = (change: OrderStatusChange) => void;

/** Who changed an order (recorded in its history). */
export type OrderActor = 'user' | 'paystation' | 'admin' | 'sweeper' | 'system';

/** A cart turned into order lines by the cart service (amounts are unit prices, decimal strings). */
export interface CartForOrder {
  cart_id: string;
  currency: string | null;
  lines: {
    item_id: number;
    sku: string;
    type: string;
    quantity: number;
    amount: string;
    amount_without_discount: string;
    is_free: boolean;
  }[];
  amount: string;
  amount_without_discount: string;
  is_free: boolean;
}

/** The cart service as orders use it (src/modules/cart/service.ts). */
export interface CartPort {
  /**
   * Locks the cart, validates its lines against the catalog (`opts.snapshot`, read before the unit of work),
   * marks it ordered. Throws 422/1417 (empty), 422/1401 (invalid cart), 422/1411 (invalid item).
   */
  takeForOrder(
    trx: Executor,
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    opts: { currency?: string; locale?: string; country?: string | null; snapshot?: CatalogSnapshot },
  ): Promise<CartForOrder>;
}

/**
 * What the delivery of a paid order could not give (ADR 0040): `quantity` units of `sku` (a game key, or the item
 * of line `position`) — `no_game_code` (its codes are gone and the pool is empty), `item_not_found` (the item was
 * deleted while the order was open), `not_deliverable` (any other line delivery cannot give).
 */
export interface UndeliveredItem {
  /** The order line it belongs to (null when unknown). */
  position: number | null;
  sku: string;
  quantity: number;
  reason: 'no_game_code' | 'item_not_found' | 'not_deliverable';
  /** A sentence for people. */
  message: string;
}

/** The inventory service as orders use it (src/modules/inventory/service.ts). */
export interface DeliveryPort {
  /**
   * Reserves the game codes the new order will deliver, inside ctx.trx (ADR 0040); throws 422/1411 when a key's
   * pool cannot cover them.
   */
  reserveCodes(
    ctx: WriteContext,
    order: { projectId: number; userId: string; orderId: number },
    lines: { position: number; item_id: number; sku: string; type: string; quantity: number }[],
  ): Promise<void>;
  /** Gives the codes reserved by unpaid orders that ended (expired, canceled, voided) back to the pool. */
  releaseCodes(ctx: WriteContext, orderIds: number[]): Promise<void>;
  /**
   * Grants the order's lines to its user inside ctx.trx. All or nothing (throws AppError when something cannot
   * be delivered), or with `bestEffort` (a payment already taken) delivers what it can and returns the rest.
   */
  deliverOrder(
    ctx: WriteContext,
    orderId: number,
    opts?: { bestEffort?: boolean },
  ): Promise<UndeliveredItem[]>;
  /** Takes back what deliverOrder granted (refund). */
  revokeOrder(ctx: WriteContext, orderId: number): Promise<void>;
  /** One conditional UPDATE of the balance; throws 422/5006 when it does not cover `amount`. Result unused. */
  chargeVirtualCurrency(
    trx: Executor,
    projectId: number,
    userId: string,
    currencyItemId: number,
    amount: number,
  ): Promise<unknown>;
}

/** The webhooks service as orders use it (src/modules/webhooks/service.ts). */
export interface OrderEventsPort {
  /**
   * Writes the event to the outbox inside ctx.trx (to send when the project has a webhook enabled; ADR 0031);
   * `comment` becomes the body's `order.comment` (what could not be delivered; ADR 0040).
   */
  enqueueOrderEvent(
    ctx: WriteContext,
    type: 'order_paid' | 'order_canceled',
    orderId: number,
    opts?: { comment?: string | null },
  ): Promise<void>;
}

/** The limits service as orders use it (src/modules/limits/service.ts). */
export interface LimitsPort {
  /**
   * Counts a new order's lines against per-user, global and pre-order limits; throws 422/1411 past one. With
   * `settled` (paid in the same transaction) returns the user's other unpaid orders it voided.
   */
  reserve(
    ctx: WriteContext,
    order: { projectId: number; userId: string; orderId: number },
    lines: { item_id: number; sku: string; quantity: number }[],
    opts?: { settled?: boolean },
  ): Promise<OrderStatusRow[]>;
  /**
   * The order was paid: reservations become sold; the user's other unpaid orders for those items are voided
   * (`new → canceled`). Returns the voided orders.
   */
  commit(ctx: WriteContext, projectId: number, orderId: number): Promise<OrderStatusRow[]>;
  /** Unpaid orders were canceled or expired: what they reserved is given back. */
  release(ctx: WriteContext, orderIds: number[]): Promise<void>;
}

/** Everything an order needs from other areas. */
export interface OrderPorts {
  carts: CartPort;
  delivery: DeliveryPort;
  webhooks: OrderEventsPort;
  limits: LimitsPort;
}
