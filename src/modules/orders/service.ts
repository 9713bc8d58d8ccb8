/**
 * Orders: creation on every purchase path, the payment's status machine, refunds and expiry.
 *
 * Paths (seed-details §1.5, spec operations of groups payment-client-side, payment-server-side, free-item,
 * virtual-payment):
 * - real money (cart, cart by id, one item, server-side token): an order in status `new` with an opaque payment
 *   token (32 random alphanumerics, valid PAYMENT_TOKEN_TTL_SECONDS) that opens the pay station; unpaid, it
 *   expires after ORDER_TTL_SECONDS;
 * - free (cart, cart by id, one item): only free items; the order goes straight to `done`, delivered in the
 *   same transaction;
 * - virtual currency (one item): the balance is charged, the item delivered and the order `done`, all in the
 *   caller's one transaction — not enough currency (422/5006) leaves nothing behind;
 * - a described purchase (create-payment-token, Android/Unity `POST /payment`): a `new` order whose lines are what
 *   the body describes (payment.ts), paid like the others but delivering nothing (ADR 0024).
 * Every path keeps the request's payment `settings` as sent (settings.ts, ADR 0020).
 *
 * Status changes are compare-and-set (repository.transition): paying is `new → paid` (+ delivery, order_paid
 * webhook in the outbox) then `paid → done`, in one transaction, so of many concurrent "pay" calls exactly one
 * delivers and the others find the order already paid. Every order reserves the game codes it will deliver when
 * it is created (422/1411 when the pool cannot cover them); expiry, cancellation and voiding give them back, and
 * payment sells them. A payment already taken is never refused for what cannot be delivered: the order settles
 * and the missing delivery is recorded (history entry `undelivered`, the admin view's `undelivered`, the
 * webhook's `order.comment`, a log line at `error`) — docs/decisions/0040-game-keys-reserved-at-order-creation.md.
 * A refund is `done → canceled` + revocation + the order_canceled webhook. Each operation of the API is one public
 * method taking plain arguments and `WriteOptions`: it reads the catalog snapshot it prices from, then runs as one
 * unit of work (src/db/unit-of-work.ts). Methods whose first parameter is a `WriteContext` (pay, cancel, fail,
 * refund, and the private `…In` variants) are steps that run inside a caller's unit of work.
 *
 * Errors: 404/4001 unknown sku; 422/1411 an item that cannot be bought that way; 422/1401 a cart that cannot;
 * 422/1421 a free item in a server-side token; 422/1102 neither `user.country.value` nor `X-User-Ip`; 404/9001
 * an order of someone else; 409 a status that does not allow the action; and what the cart, delivery and
 * webhook services raise. Decisions where the sources are silent: docs/decisions/0013-orders-payments-pay-station.md.
 */
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CatalogStore } from '../../catalog/store.js';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import type { Config } from '../../config.js';
import { formatIsoWithOffset, parseIsoWithOffset } from '../../lib/dates.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError, invalid, itemNotFoundBySku } from '../../errors/app-error.js';
import type { UnitOfWork, WriteContext, WriteOptions } from '../../db/unit-of-work.js';
import type { UserIdentity } from '../tenancy/service.js';
import type {
  CartForOrder,
  OrderActor,
  OrderPorts,
  OrderStatus,
  OrderStatusListener,
  OrderStatusRow,
  UndeliveredItem,
} from './model.js';
import { paymentOrderDraft, type PaymentTokenRequest } from './payment.js';
import { freeLine, realLine, totalOf, virtualLine, type PurchaseContext } from './pricing.js';
import {
  ordersRepository as repo,
  type NewOrder,
  type NewOrderLine,
  type NewPaymentToken,
  type OrderRow,
} from './repository.js';
import { checkedSettings, externalIdOf } from './settings.js';
import { adminOrderView, orderView } from './views.js';

/** Options of a paid or free order request (create-order, create-order-with-item, the free variants). */
export interface OrderRequest {
  currency?: string;
  locale?: string;
  sandbox?: boolean;
  quantity?: number;
  promo_code?: string;
  /** Payment settings as sent (unknown keys kept; settings.ts). */
  settings?: Record<string, unknown> | null;
  custom_parameters?: Record<string, unknown> | null;
}

/** Body of admin-create-payment-token (v3). */
export interface ServerTokenRequest {
  sandbox?: boolean;
  user: {
    id: { value: string };
    name?: { value: string };
    email?: { value: string };
    country?: { value?: string; allow_modify?: boolean };
    [k: string]: unknown;
  };
  purchase: { items: { sku: string; quantity: number }[] };
  settings?: (Record<string, unknown> & { currency?: string; language?: string }) | null;
  custom_parameters?: Record<string, unknown> | null;
}

/** Who buys: the verified user (or guest) and the country the request comes from (null when unknown). */
export interface Buyer {
  user: UserIdentity;
  country: string | null;
}

/** `{order_id, token}` of a created paid order. */
export interface CreatedOrder {
  order_id: number;
  token: string;
}

const TOKEN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Length of a payment token (the real service's tokens have 32 characters). */
export const TOKEN_LENGTH = 32;

/** A new opaque payment token: 32 characters of [A-Za-z0-9] from the CSPRNG (≈190 bits). */
export function newPaymentToken(): string {
  let s = '';
  for (let i = 0; i < TOKEN_LENGTH; i++) s += TOKEN_ALPHABET[randomInt(TOKEN_ALPHABET.length)];
  return s;
}

/** Where the orders service reports what people must act on (pino / Fastify's logger fit). */
export interface OrdersLog {
  error(obj: object, msg: string): void;
}
const silentLog: OrdersLog = { error: () => {} };

/** The sentence naming what a paid order could not deliver (webhook `order.comment`, log line). */
export function undeliveredSentence(missing: UndeliveredItem[]): string {
  return `Not delivered: ${missing.map((m) => `${m.quantity} × ${m.sku} (${m.message})`).join('; ')}`;
}

const orderNotFound = () => new AppError('ORDER_NOT_FOUND');
const conflict = (order: Pick<OrderRow, 'order_id' | 'status'>, action: string) =>
  new AppError('ORDER_STATUS_CONFLICT', `Order ${order.order_id} is ${order.status} and cannot be ${action}`);

export class OrdersService {
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private readonly statusListeners = new Set<OrderStatusListener>();

  /**
   * @param ports the cart, delivery and webhook services, resolved when first needed (services.ts wires them)
   * @param clock ms since epoch; drives expiry (expires_at, lazy expiry on read) — the sweeper uses wall time
   * @param log where a paid order that could not deliver everything is reported at `error`
   */
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly catalog: CatalogStore,
    private readonly config: Pick<
      Config,
      'orderTtlSeconds' | 'paymentTokenTtlSeconds' | 'orderSweepIntervalSeconds'
    >,
    private readonly ports: () => OrderPorts,
    private readonly clock: () => number = Date.now,
    private readonly log: OrdersLog = silentLog,
  ) {}

  /**
   * Subscribes to order status changes made by this process (model.ts OrderStatusChange), delivered after the
   * transaction that made them committed, never for a rolled-back one. Returns the unsubscribe function.
   */
  onStatusChange(listener: OrderStatusListener): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** The project's catalog snapshot, to read before the write transaction. Throws 404 for an unknown project. */
  async snapshot(projectId: number): Promise<CatalogSnapshot> {
    const s = await this.catalog.snapshot(projectId);
    if (!s) throw new AppError('PROJECT_NOT_FOUND', `Project with id = ${projectId} not found`);
    return s;
  }

  // ---------- whole operations (each one unit of work; WriteOptions carry the Idempotency-Key) ----------

  /** Reads the project's snapshot, then runs `fn` as one unit of work (src/db/unit-of-work.ts). */
  private async write<T>(
    projectId: number,
    write: WriteOptions,
    fn: (ctx: WriteContext, snapshot: CatalogSnapshot) => Promise<T>,
  ): Promise<T> {
    const snapshot = await this.snapshot(projectId);
    return this.uow.run(write, (ctx) => fn(ctx, snapshot));
  }

  /** create-order / create-order-by-cart-id (`cartId` undefined: the current cart). Errors: createFromCartIn. */
  createFromCart(
    projectId: number,
    buyer: Buyer,
    cartId: string | undefined,
    body: OrderRequest,
    write: WriteOptions = {},
  ): Promise<CreatedOrder> {
    return this.write(projectId, write, (ctx, s) => this.createFromCartIn(ctx, s, buyer, cartId, body));
  }

  /** create-order-with-item. Errors: createFromItemIn. */
  createFromItem(
    projectId: number,
    buyer: Buyer,
    sku: string,
    body: OrderRequest,
    write: WriteOptions = {},
  ): Promise<CreatedOrder> {
    return this.write(projectId, write, (ctx, s) => this.createFromItemIn(ctx, s, buyer, sku, body));
  }

  /** admin-create-payment-token (v3). `userIp`: the X-User-Ip header. Errors: createForServerIn. */
  createForServer(
    projectId: number,
    body: ServerTokenRequest,
    userIp: string | undefined,
    write: WriteOptions = {},
  ): Promise<CreatedOrder> {
    return this.write(projectId, write, (ctx, s) => this.createForServerIn(ctx, s, body, userIp));
  }

  /** create-payment-token. Errors: createFromPaymentIn. */
  createFromPayment(
    projectId: number,
    buyer: Buyer,
    body: PaymentTokenRequest,
    write: WriteOptions = {},
  ): Promise<CreatedOrder> {
    return this.write(projectId, write, (ctx) => this.createFromPaymentIn(ctx, projectId, buyer, body));
  }

  /** create-free-order / create-free-order-by-cart-id. Errors: createFreeFromCartIn. */
  createFreeFromCart(
    projectId: number,
    buyer: Buyer,
    cartId: string | undefined,
    body: OrderRequest,
    write: WriteOptions = {},
  ): Promise<{ order_id: number }> {
    return this.write(projectId, write, (ctx, s) => this.createFreeFromCartIn(ctx, s, buyer, cartId, body));
  }

  /** create-free-order-with-item. Errors: createFreeFromItemIn. */
  createFreeFromItem(
    projectId: number,
    buyer: Buyer,
    sku: string,
    body: OrderRequest,
    write: WriteOptions = {},
  ): Promise<{ order_id: number }> {
    return this.write(projectId, write, (ctx, s) => this.createFreeFromItemIn(ctx, s, buyer, sku, body));
  }

  /** create-order-with-item-for-virtual-currency. Errors: buyWithVirtualCurrencyIn. */
  buyWithVirtualCurrency(
    projectId: number,
    buyer: Buyer,
    sku: string,
    currencySku: string,
    opts: { custom_parameters?: Record<string, unknown> | null; platform?: string },
    write: WriteOptions = {},
  ): Promise<{ order_id: number }> {
    return this.write(projectId, write, (ctx, s) =>
      this.buyWithVirtualCurrencyIn(ctx, s, buyer, sku, currencySku, opts),
    );
  }

  /**
   * admin-mark-order-paid: pays the order as the admin (`pay`) and answers its admin view.
   * @throws 404/9001; 409 canceled or expired.
   */
  markPaid(projectId: number, orderId: number, invoiceId: string | undefined, write: WriteOptions = {}) {
    return this.write(projectId, write, async (ctx, s) => {
      await this.pay(ctx, projectId, orderId, 'admin', invoiceId);
      return this.adminView(ctx.trx, s, projectId, orderId);
    });
  }

  /** admin-refund-order: refunds a `done` order (`refund`) and answers its admin view. @throws 404/9001; 409. */
  refundOrder(projectId: number, orderId: number, write: WriteOptions = {}) {
    return this.write(projectId, write, async (ctx, s) => {
      await this.refund(ctx, projectId, orderId, 'admin');
      return this.adminView(ctx.trx, s, projectId, orderId);
    });
  }

  // ---------- creating orders ----------

  /**
   * create-order / create-order-by-cart-id: the user's current cart (or `cartId`) becomes a `new` order.
   * @throws 422/1401 when the cart holds a free item (or, for a guest, anything but game keys), and what
   *   CartService.takeForOrder throws (1417 empty, 1401, 1411).
   */
  private async createFromCartIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    cartId: string | undefined,
    body: OrderRequest,
  ): Promise<CreatedOrder> {
    const projectId = snapshot.project.project_id;
    const cart = await this.takeCart(ctx, snapshot, buyer, cartId, body);
    if (cart.is_free || cart.lines.some((l) => l.is_free)) throw new AppError('INVALID_CART');
    return this.open(
      ctx,
      this.draft(projectId, buyer, body, {
        source: 'cart',
        cart_id: cart.cart_id,
        currency_type: 'real',
        currency: cart.currency,
        amount: cart.amount,
        amount_without_discount: cart.amount_without_discount,
        is_free: false,
      }),
      cart.lines.map(lineOf),
      'user',
      body.sandbox === true,
    );
  }

  /**
   * create-order-with-item: `quantity` (default 1) of one item for real money.
   * @throws 404/4001 unknown sku; 422/1411 the item cannot be bought for money (free, disabled, out of its
   *   period or region, no price).
   */
  private async createFromItemIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    sku: string,
    body: OrderRequest,
  ): Promise<CreatedOrder> {
    const item = snapshot.bySku.get(sku);
    if (!item) throw itemNotFoundBySku(sku);
    const priced = realLine(snapshot, item, body.quantity ?? 1, this.purchase(buyer, body.currency));
    if (typeof priced === 'string') throw new AppError('INVALID_ITEM');
    const amount = totalOf([priced.line]);
    const projectId = snapshot.project.project_id;
    return this.open(
      ctx,
      this.draft(projectId, buyer, body, {
        source: 'item',
        currency_type: 'real',
        currency: priced.currency,
        amount,
        amount_without_discount: amount,
        is_free: false,
      }),
      [priced.line],
      'user',
      body.sandbox === true,
    );
  }

  /**
   * admin-create-payment-token (v3): an order for the user described in the body, of the listed items (the same
   * sku listed twice is one line with the quantities added).
   * @throws 422/1102 without `user.country.value` and `X-User-Ip`; 422/1421 a free item; 422/1401 an unknown
   *   sku, an item that cannot be bought (a game key without enough free codes too), or items priced in different
   *   currencies (details name the sku).
   */
  private async createForServerIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    body: ServerTokenRequest,
    userIp: string | undefined,
  ): Promise<CreatedOrder> {
    const countryValue = body.user.country?.value?.trim();
    if (!countryValue && !userIp) {
      const message = 'The parameter user.country.value or the header X-User-Ip must be specified';
      throw new AppError('VALIDATION', message, [{ property: 'user.country.value', message }]);
    }
    const country = countryValue ? countryValue.toUpperCase() : null;
    const buyer: Buyer = {
      user: { userId: body.user.id.value, email: body.user.email?.value, claims: {} },
      country,
    };
    const p = this.purchase(buyer, body.settings?.currency);
    const merged = new Map<string, number>();
    for (const it of body.purchase.items) merged.set(it.sku, (merged.get(it.sku) ?? 0) + it.quantity);
    const lines: NewOrderLine[] = [];
    const currencies = new Set<string>();
    const cartError = (sku: string, message: string): AppError =>
      new AppError('INVALID_CART', undefined, [
        { property: 'purchase.items', message: `${sku}: ${message}` },
      ]);
    for (const [sku, quantity] of merged) {
      const item = snapshot.bySku.get(sku);
      if (!item) throw cartError(sku, `Item with sku = '${sku}' not found`);
      const priced = realLine(snapshot, item, quantity, p);
      if (priced === 'free')
        throw new AppError('ITEM_IS_FREE', undefined, [{ property: 'purchase.items', message: sku }]);
      if (priced === 'invalid') throw cartError(sku, 'the item cannot be bought');
      currencies.add(priced.currency);
      lines.push(priced.line);
    }
    if (currencies.size !== 1)
      throw cartError([...merged.keys()].join(', '), 'items are priced in different currencies');
    const amount = totalOf(lines);
    const projectId = snapshot.project.project_id;
    // a key whose pool cannot cover the order is an item that cannot be bought: this path's 1401 naming the sku
    const noCodes = (e: unknown) => {
      const sku =
        e instanceof AppError && e.kind === 'GAME_CODES_EXHAUSTED' ? e.extended?.[0]?.property : undefined;
      throw sku === undefined ? e : cartError(sku, 'no game codes left');
    };
    return this.open(
      ctx,
      {
        ...this.draft(
          projectId,
          buyer,
          { settings: body.settings, custom_parameters: body.custom_parameters },
          {
            source: 'server_token',
            currency_type: 'real',
            currency: [...currencies][0],
            amount,
            amount_without_discount: amount,
            is_free: false,
          },
        ),
        user_name: body.user.name?.value ?? null,
        mode: body.sandbox ? 'sandbox' : 'default',
      },
      lines,
      'admin',
      body.sandbox === true,
    ).catch(noCodes);
  }

  /**
   * create-payment-token (`POST /v2/project/{project_id}/payment`, Android and Unity SDKs): a `new` order whose
   * lines are what the body describes (payment.ts — not catalog items, so paying it delivers nothing: the
   * merchant fulfils it from the `order_paid` webhook), with a payment token.
   * @throws 422/1102 without a currency, with an amount that is not a number, or a total that is not positive
   */
  private async createFromPaymentIn(
    ctx: WriteContext,
    projectId: number,
    buyer: Buyer,
    body: PaymentTokenRequest,
  ): Promise<CreatedOrder> {
    const draft = paymentOrderDraft(body);
    return this.open(
      ctx,
      this.draft(
        projectId,
        buyer,
        { sandbox: draft.sandbox, settings: body.settings, custom_parameters: body.custom_parameters },
        {
          source: 'payment',
          currency_type: 'real',
          currency: draft.currency,
          amount: draft.amount,
          amount_without_discount: draft.amount_without_discount,
          is_free: false,
        },
      ),
      draft.lines,
      'user',
      draft.sandbox,
    );
  }

  /**
   * create-free-order / create-free-order-by-cart-id: a cart of free items becomes a `done` order, delivered in
   * the same transaction.
   * @throws 422/1401 when a line is not free; what takeForOrder and deliverOrder throw.
   */
  private async createFreeFromCartIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    cartId: string | undefined,
    body: OrderRequest,
  ): Promise<{ order_id: number }> {
    const projectId = snapshot.project.project_id;
    const cart = await this.takeCart(ctx, snapshot, buyer, cartId, body);
    if (cart.lines.some((l) => !l.is_free)) throw new AppError('INVALID_CART');
    // counted against purchase limits at the end of settle (the hot row lock is held only until commit)
    const orderId = await this.insert(
      ctx,
      this.draft(projectId, buyer, body, {
        source: 'free_cart',
        cart_id: cart.cart_id,
        currency_type: 'unknown',
        currency: null,
        amount: '0',
        amount_without_discount: '0',
        is_free: true,
      }),
      cart.lines.map((l) => ({ ...lineOf(l), amount: '0', amount_without_discount: '0', is_free: true })),
      'user',
    );
    await this.settle(ctx, projectId, orderId, 'user', null, true);
    return { order_id: orderId };
  }

  /**
   * create-free-order-with-item: `quantity` of one free item, `done` at once.
   * @throws 404/4001 unknown sku; 422/1411 the item is not free or cannot be bought.
   */
  private async createFreeFromItemIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    sku: string,
    body: OrderRequest,
  ): Promise<{ order_id: number }> {
    const item = snapshot.bySku.get(sku);
    if (!item) throw itemNotFoundBySku(sku);
    const line = freeLine(snapshot, item, body.quantity ?? 1, this.purchase(buyer, body.currency));
    if (line === 'invalid') throw new AppError('INVALID_ITEM');
    const projectId = snapshot.project.project_id;
    // counted against purchase limits at the end of settle (the hot row lock is held only until commit)
    const orderId = await this.insert(
      ctx,
      this.draft(projectId, buyer, body, {
        source: 'free_item',
        currency_type: 'unknown',
        currency: null,
        amount: '0',
        amount_without_discount: '0',
        is_free: true,
      }),
      [line],
      'user',
    );
    await this.settle(ctx, projectId, orderId, 'user', null, true);
    return { order_id: orderId };
  }

  /**
   * create-order-with-item-for-virtual-currency: one item for its price in `currencySku`; the balance is charged
   * (one conditional UPDATE), the item delivered and the order `done`, in the caller's transaction.
   * @throws 404/4001 unknown item sku; 422/1411 the item cannot be bought or has no price in that currency;
   *   422/5006 the balance does not cover the price (nothing is written).
   */
  private async buyWithVirtualCurrencyIn(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    sku: string,
    currencySku: string,
    opts: { custom_parameters?: Record<string, unknown> | null; platform?: string },
  ): Promise<{ order_id: number }> {
    const item = snapshot.bySku.get(sku);
    if (!item) throw itemNotFoundBySku(sku);
    const priced = virtualLine(snapshot, item, currencySku, this.purchase(buyer));
    if (priced === 'invalid') throw new AppError('INVALID_ITEM');
    const projectId = snapshot.project.project_id;
    const amount = String(priced.amount);
    // counted against purchase limits at the end of settle (the hot row lock is held only until commit)
    const orderId = await this.insert(
      ctx,
      {
        ...this.draft(
          projectId,
          buyer,
          { custom_parameters: opts.custom_parameters },
          {
            source: 'virtual',
            currency_type: 'virtual',
            currency: currencySku,
            amount,
            amount_without_discount: amount,
            is_free: false,
          },
        ),
        platform: opts.platform ?? 'xsolla',
      },
      [priced.line],
      'user',
    );
    await this.ports().delivery.chargeVirtualCurrency(
      ctx.trx,
      projectId,
      buyer.user.userId,
      priced.currencyItemId,
      priced.amount,
    );
    await this.settle(ctx, projectId, orderId, 'user', null, true);
    return { order_id: orderId };
  }

  // ---------- reading ----------

  /**
   * get-order: the order as its owner sees it; an unpaid order past its expiry is expired first.
   * @throws 404/9001 when the order does not exist in the project or belongs to someone else.
   */
  async getForUser(projectId: number, orderId: number, userId: string) {
    const order = await this.current(projectId, orderId);
    if (!order || order.user_id !== userId) throw orderNotFound();
    return orderView(order, await repo.lines(this.db, [order.order_id]));
  }

  /**
   * admin-order-search: orders of the project created in [from, until], oldest first; `limit` ≤ 10 (the spec's
   * maximum; a larger value is served as 10).
   */
  async search(
    projectId: number,
    q: { created_date_from?: string; created_date_until?: string; limit?: number; offset?: number },
  ) {
    const limit = Math.min(q.limit ?? 10, 10);
    const offset = q.offset ?? 0;
    const { rows, total } = await repo.search(this.db, {
      projectId,
      from: dateParam('created_date_from', q.created_date_from),
      until: dateParam('created_date_until', q.created_date_until),
      limit,
      offset,
    });
    const lines = await repo.lines(
      this.db,
      rows.map((r) => r.order_id),
    );
    const snapshot = await this.catalog.snapshot(projectId);
    return {
      orders: rows.map((o) =>
        adminOrderView(
          o,
          lines.filter((l) => l.order_id === o.order_id),
          snapshot,
        ),
      ),
      total_items_count: total,
      has_more: offset + rows.length < total,
    };
  }

  /** The admin view of one order with its history (Itemshop extension), unpaid orders expired first. @throws 404/9001. */
  async getForAdmin(projectId: number, orderId: number) {
    if (!(await this.current(projectId, orderId))) throw orderNotFound();
    return this.adminView(this.db, await this.snapshot(projectId), projectId, orderId);
  }

  /**
   * The admin view of one order with its history, `external_id`, and the `settings` and `custom_parameters` it was
   * created with, read with `ex` (e.g. the write's transaction). @throws 404/9001.
   */
  async adminView(ex: Executor, snapshot: CatalogSnapshot | null, projectId: number, orderId: number) {
    const order = await repo.find(ex, projectId, orderId);
    if (!order) throw orderNotFound();
    const events = await repo.events(ex, orderId);
    return {
      ...adminOrderView(order, await repo.lines(ex, [orderId]), snapshot),
      external_id: externalIdOf(order.settings),
      settings: order.settings,
      custom_parameters: order.custom_parameters,
      undelivered: events.flatMap((e) =>
        e.type === 'undelivered' ? ((e.detail as { items?: UndeliveredItem[] } | null)?.items ?? []) : [],
      ),
      history: events.map((e) => ({
        type: e.type,
        actor: e.actor,
        detail: e.detail,
        date: formatIsoWithOffset(e.created_at),
      })),
    };
  }

  /**
   * The statuses the user's orders (or one of them, `orderId`) took, from their history: `created` is `new`,
   * `refunded` is `canceled`; each with the id of its history entry (increasing). After entry `afterId`, at most
   * `limit`, oldest first (or newest first with `newestFirst`). Read by the realtime channel's history.
   */
  async statusHistory(q: {
    projectId: number;
    userId: string;
    orderId?: number;
    afterId: number;
    limit: number;
    newestFirst: boolean;
  }): Promise<{ id: number; order_id: number; status: OrderStatus }[]> {
    const rows = await repo.statusEvents(this.db, q);
    const statusOf: Record<string, OrderStatus> = { created: 'new', refunded: 'canceled' };
    return rows.map((r) => ({
      id: Number(r.event_id),
      order_id: r.order_id,
      status: statusOf[r.type] ?? (r.type as OrderStatus),
    }));
  }

  /**
   * The order a payment token opens (`{project_id, order_id, sandbox}`).
   * @throws 404/9001 `Payment token not found or expired`.
   */
  async tokenRef(token: string) {
    const ref = /^[A-Za-z0-9]{1,128}$/.test(token)
      ? await repo.findToken(this.db, token, new Date(this.clock()))
      : undefined;
    if (!ref) throw new AppError('PAYMENT_TOKEN_NOT_FOUND');
    return ref;
  }

  /**
   * The order and buyer a payment token of `projectId` opens (the auth hook's payment-token lookup, Bearer of
   * get-order), or undefined when the token is unknown, of another project or expired.
   */
  async paymentTokenOwner(projectId: number, token: string) {
    return repo.tokenOwner(this.db, projectId, token, new Date(this.clock()));
  }

  /**
   * The order with its lines and how many payment attempts failed. With `ex` (a transaction) it reads what that
   * transaction sees; without, it reads the database after expiring an overdue unpaid order.
   * @throws 404/9001.
   */
  async details(projectId: number, orderId: number, ex?: Executor) {
    const order = ex ? await repo.find(ex, projectId, orderId) : await this.current(projectId, orderId);
    if (!order) throw orderNotFound();
    const reader = ex ?? this.db;
    const events = await repo.events(reader, orderId);
    return {
      order,
      lines: await repo.lines(reader, [orderId]),
      failures: events.filter((e) => e.type === 'payment_failed').length,
      expired: this.isExpired(order),
    };
  }

  // ---------- the payment's status machine ----------

  /**
   * Pays an unpaid order: `new → paid` (compare-and-set, only before its expiry), the order_paid webhook into the
   * outbox, delivery, `paid → done` — one transaction (the caller's). Paying an order that is already paid or
   * done changes nothing and returns it (`changed: false`).
   * @throws 404/9001 unknown order; 409 canceled or expired; what delivery throws (then nothing is written).
   */
  async pay(
    ctx: WriteContext,
    projectId: number,
    orderId: number,
    actor: OrderActor,
    invoiceId?: string,
  ): Promise<{ order: OrderRow; changed: boolean }> {
    const settled = await this.settle(ctx, projectId, orderId, actor, invoiceId ?? null);
    if (settled) return { order: settled, changed: true };
    const order = await repo.find(ctx.trx, projectId, orderId);
    if (!order) throw orderNotFound();
    if (order.status === 'paid' || order.status === 'done') return { order, changed: false };
    if (order.status === 'new') throw conflict({ ...order, status: 'expired' }, 'paid');
    throw conflict(order, 'paid');
  }

  /**
   * The buyer gives up an unpaid order: `new → canceled`. Canceling a canceled order changes nothing.
   * @throws 404/9001; 409 when it is paid, done or expired (a paid order is refunded instead).
   */
  async cancel(ctx: WriteContext, projectId: number, orderId: number, actor: OrderActor) {
    const row = await repo.transition(ctx.trx, projectId, orderId, 'new', 'canceled');
    if (row) {
      this.announce(ctx, row, 'new', actor);
      await repo.addEvent(ctx.trx, orderId, 'canceled', actor);
      await this.ports().limits.release(ctx, [orderId]);
      await this.ports().delivery.releaseCodes(ctx, [orderId]);
      return { order: row, changed: true };
    }
    const order = await repo.find(ctx.trx, projectId, orderId);
    if (!order) throw orderNotFound();
    if (order.status === 'canceled') return { order, changed: false };
    throw conflict(order, 'canceled');
  }

  /**
   * A failed payment attempt: the order stays `new` (the buyer may try again) and the failure is recorded in its
   * history. @throws 404/9001; 409 when the order is no longer awaiting payment.
   */
  async fail(ctx: WriteContext, projectId: number, orderId: number, actor: OrderActor, reason: string) {
    const order = await repo.find(ctx.trx, projectId, orderId, true);
    if (!order) throw orderNotFound();
    if (order.status !== 'new' || this.isExpired(order)) {
      throw conflict(this.isExpired(order) ? { ...order, status: 'expired' } : order, 'paid');
    }
    await repo.addEvent(ctx.trx, orderId, 'payment_failed', actor, { reason });
    return { order, changed: false };
  }

  /**
   * Refund of a delivered order: `done → canceled`, what was delivered is revoked (InventoryService.revokeOrder),
   * the order_canceled webhook goes to the outbox — one transaction.
   * @throws 404/9001; 409 when the order is not `done`.
   */
  async refund(ctx: WriteContext, projectId: number, orderId: number, actor: OrderActor) {
    const row = await repo.transition(ctx.trx, projectId, orderId, 'done', 'canceled');
    if (!row) {
      const order = await repo.find(ctx.trx, projectId, orderId);
      if (!order) throw orderNotFound();
      throw conflict(order, 'refunded');
    }
    this.announce(ctx, row, 'done', actor);
    await repo.addEvent(ctx.trx, orderId, 'refunded', actor);
    await this.ports().delivery.revokeOrder(ctx, orderId);
    await this.ports().webhooks.enqueueOrderEvent(ctx, 'order_canceled', orderId);
    return { order: row, changed: true };
  }

  /**
   * Expires every unpaid order past its `expires_at` (wall-clock time; compare-and-set per order). Returns how
   * many. Run by the sweeper; safe in any number of processes.
   */
  async expireDue(now = new Date()): Promise<number> {
    return (await this.expire(now, 'sweeper')).length;
  }

  /**
   * Expires due unpaid orders (all, or one) and releases what they reserved (limits, game codes), in one
   * transaction.
   */
  private async expire(
    now: Date,
    actor: OrderActor,
    projectId?: number,
    orderId?: number,
  ): Promise<number[]> {
    const expired = await this.uow.run({}, async (ctx) => {
      const rows = await repo.expireDue(ctx.trx, now, actor, projectId, orderId);
      const ids = rows.map((r) => r.order_id);
      await this.ports().limits.release(ctx, ids);
      await this.ports().delivery.releaseCodes(ctx, ids);
      return rows;
    });
    for (const row of expired) this.emit(row, 'new', actor);
    return expired.map((r) => r.order_id);
  }

  /** Starts the periodic expiry sweep (ORDER_SWEEP_INTERVAL_SECONDS; 0 = never). Idempotent. */
  startSweeper(log: (e: unknown) => void = () => {}): void {
    const seconds = this.config.orderSweepIntervalSeconds;
    if (this.sweeper || seconds <= 0) return;
    this.sweeper = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.expireDue()
        .catch(log)
        .finally(() => (this.sweeping = undefined));
    }, seconds * 1000);
    this.sweeper.unref();
  }

  /** Stops the sweeper and waits for a sweep in progress. */
  async stopSweeper(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    await this.sweeping;
  }

  /**
   * A fresh `new` order of one item for `userId` with its payment token, outside any request (the demo store
   * prints its pay station link). @throws like createFromItem.
   */
  async createDemoOrder(projectId: number, userId: string, sku: string): Promise<CreatedOrder> {
    const buyer: Buyer = { user: { userId, email: `${userId}@example.com`, claims: {} }, country: null };
    return this.createFromItem(projectId, buyer, sku, { sandbox: true });
  }

  // ---------- internals ----------

  /**
   * Inserts an order (repo.insert), reserves the game codes it will deliver (ADR 0040) and announces it as `new`
   * after commit. @throws 422/1411 when a game key's pool cannot cover the order (the caller rolls back).
   */
  private async insert(
    ctx: WriteContext,
    order: NewOrder,
    lines: NewOrderLine[],
    actor: OrderActor,
    token?: NewPaymentToken,
  ): Promise<number> {
    const orderId = await repo.insert(ctx.trx, order, lines, actor, token);
    await this.ports().delivery.reserveCodes(
      ctx,
      { projectId: order.project_id, userId: order.user_id, orderId },
      lines.map((l, position) => ({ ...l, position })),
    );
    this.announce(ctx, { ...order, order_id: orderId, status: 'new' }, null, actor);
    return orderId;
  }

  /** Tells the status listeners of `order`'s new status once ctx's transaction has committed. */
  private announce(
    ctx: WriteContext,
    order: OrderStatusRow,
    previous: OrderStatus | null,
    actor: OrderActor,
  ) {
    if (this.statusListeners.size === 0) return;
    const snapshot: OrderStatusRow = {
      order_id: order.order_id,
      project_id: order.project_id,
      user_id: order.user_id,
      status: order.status,
      mode: order.mode,
      currency_type: order.currency_type,
      currency: order.currency,
      amount: order.amount,
      is_free: order.is_free,
    };
    ctx.afterCommit(() => this.emit(snapshot, previous, actor));
  }

  private emit(order: OrderStatusRow, previous: OrderStatus | null, actor: OrderActor) {
    for (const listener of this.statusListeners) {
      try {
        listener({ order, previous, actor });
      } catch {
        // a listener's failure must not affect the order or the other listeners
      }
    }
  }

  /**
   * `new → paid → done` with delivery and webhook; undefined when the order was not `new` (or expired).
   * `reserveAtEnd`: the order is settled in the transaction that creates it (free and virtual-currency purchases)
   * — delivery is all or nothing and a failure refuses the purchase. Otherwise a payment was taken: delivery is best
   * effort and what it could not give is recorded (ADR 0040).
   */
  private async settle(
    ctx: WriteContext,
    projectId: number,
    orderId: number,
    actor: OrderActor,
    invoiceId: string | null,
    reserveAtEnd = false,
  ): Promise<OrderRow | undefined> {
    const { trx } = ctx;
    const paid = await repo.transition(trx, projectId, orderId, 'new', 'paid', {
      invoice_id: invoiceId ?? (await repo.nextInvoiceId(trx)),
      notExpiredAt: new Date(this.clock()),
    });
    if (!paid) return undefined;
    this.announce(ctx, paid, 'new', actor);
    await repo.addEvent(trx, orderId, 'paid', actor, { invoice_id: paid.invoice_id });
    const { delivery, webhooks, limits } = this.ports();
    // lines of a create-payment-token order are no catalog items: the merchant fulfils them (payment.ts)
    const missing =
      paid.source === 'payment'
        ? []
        : await delivery.deliverOrder(ctx, orderId, { bestEffort: !reserveAtEnd });
    if (missing.length > 0) await this.recordUndelivered(ctx, paid, missing);
    await webhooks.enqueueOrderEvent(ctx, 'order_paid', orderId, {
      comment: missing.length > 0 ? undeliveredSentence(missing) : null,
    });
    const done = await repo.transition(trx, projectId, orderId, 'paid', 'done');
    if (!done) throw new Error(`order ${orderId} left 'paid' inside its own transaction`);
    this.announce(ctx, done, 'paid', 'system');
    await repo.addEvent(trx, orderId, 'done', 'system');
    // the user's other unpaid orders holding the same limited items are voided: what they held goes back
    let voided: OrderStatusRow[];
    if (reserveAtEnd) {
      // counted and sold at once, last (the hot row lock is held only until commit); 422/1411 rolls back all
      const lines = await repo.lines(trx, [orderId]);
      voided = await limits.reserve(ctx, { projectId, userId: done.user_id, orderId }, lines, {
        settled: true,
      });
    } else {
      // reservations → sold
      voided = await limits.commit(ctx, projectId, orderId);
    }
    for (const v of voided) this.announce(ctx, v, 'new', 'system');
    if (voided.length > 0)
      await delivery.releaseCodes(
        ctx,
        voided.map((v) => v.order_id),
      );
    return done;
  }

  /**
   * A paid order could not deliver everything: its history gets an `undelivered` entry (what, how many, why —
   * the admin view lists them), and once committed a log line at `error` names the order.
   */
  private async recordUndelivered(ctx: WriteContext, order: OrderRow, missing: UndeliveredItem[]) {
    await repo.addEvent(ctx.trx, order.order_id, 'undelivered', 'system', { items: missing });
    ctx.afterCommit(() =>
      this.log.error(
        { projectId: order.project_id, orderId: order.order_id, userId: order.user_id, undelivered: missing },
        `order ${order.order_id} was paid but could not be fully delivered: ${undeliveredSentence(missing)}`,
      ),
    );
  }

  /**
   * Opens an order awaiting payment: the order, its lines, its payment token and its `created` entry (one
   * statement), then its lines counted against purchase limits (LimitsService.reserve, 422/1411 past one).
   */
  private async open(
    ctx: WriteContext,
    order: NewOrder,
    lines: NewOrderLine[],
    actor: OrderActor,
    sandbox: boolean,
  ): Promise<CreatedOrder> {
    const token = newPaymentToken();
    const expires_at = new Date(this.clock() + this.config.paymentTokenTtlSeconds * 1000);
    const orderId = await this.insert(ctx, order, lines, actor, { token, sandbox, expires_at });
    await this.ports().limits.reserve(
      ctx,
      { projectId: order.project_id, userId: order.user_id, orderId },
      lines,
    );
    return { order_id: orderId, token };
  }

  /** The cart as order lines; a guest's cart may hold only game keys (seed-details §1.3) — else 422/1401. */
  private async takeCart(
    ctx: WriteContext,
    snapshot: CatalogSnapshot,
    buyer: Buyer,
    cartId: string | undefined,
    body: OrderRequest,
  ): Promise<CartForOrder> {
    const projectId = snapshot.project.project_id;
    const cart = await this.ports().carts.takeForOrder(ctx.trx, projectId, buyer.user, cartId, {
      currency: body.currency,
      locale: body.locale,
      country: buyer.country,
      snapshot,
    });
    if (buyer.user.guest && cart.lines.some((l) => l.type !== 'game_key')) throw new AppError('INVALID_CART');
    return cart;
  }

  private purchase(buyer: Buyer, currency?: string): PurchaseContext {
    return { country: buyer.country, currency, now: this.clock(), guest: buyer.user.guest === true };
  }

  private draft(
    projectId: number,
    buyer: Buyer,
    body: Pick<OrderRequest, 'sandbox' | 'settings' | 'custom_parameters'>,
    money: Pick<
      NewOrder,
      'source' | 'currency_type' | 'currency' | 'amount' | 'amount_without_discount' | 'is_free'
    > & { cart_id?: string },
  ): NewOrder {
    const free = money.is_free || money.currency_type === 'virtual';
    return {
      project_id: projectId,
      user_id: buyer.user.userId,
      user_email: buyer.user.email ?? null,
      user_country: buyer.country,
      user_name: typeof buyer.user.claims.name === 'string' ? buyer.user.claims.name : null,
      mode: body.sandbox ? 'sandbox' : 'default',
      ...money,
      cart_id: money.cart_id ?? null,
      custom_parameters: body.custom_parameters ?? null,
      settings: checkedSettings(body.settings),
      // orders settled in their own transaction never wait for a payment
      expires_at: free ? null : new Date(this.clock() + this.config.orderTtlSeconds * 1000),
      platform: null,
    };
  }

  private isExpired(order: OrderRow): boolean {
    return order.status === 'new' && order.expires_at !== null && order.expires_at.getTime() <= this.clock();
  }

  /** The order, expiring it first when it is unpaid and past its expiry (lazy expiry on read). */
  private async current(projectId: number, orderId: number): Promise<OrderRow | undefined> {
    const order = await repo.find(this.db, projectId, orderId);
    if (!order || !this.isExpired(order)) return order;
    await this.expire(new Date(this.clock()), 'system', projectId, orderId);
    return repo.find(this.db, projectId, orderId);
  }
}

/** An optional ISO 8601 date-time parameter. @throws 422/1102 when it is not one. */
function dateParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const parsed = parseIsoWithOffset(value);
  if (!parsed)
    throw invalid(name, 'Must be an ISO 8601 date-time with offset, e.g. 2020-04-15T18:16:00+05:00');
  return parsed.date;
}

/** An order line from a cart line (unit amounts as four-decimal strings). */
function lineOf(l: CartForOrder['lines'][number]): NewOrderLine {
  return {
    item_id: l.item_id,
    sku: l.sku,
    type: l.type,
    quantity: l.quantity,
    amount: l.amount,
    amount_without_discount: l.amount_without_discount,
    is_free: l.is_free,
  };
}
