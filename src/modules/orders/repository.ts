/**
 * SQL of orders (migrations 0003, 0007): orders with their lines, payment tokens, and the order history.
 * Status changes are compare-and-set UPDATEs (`… WHERE status = $expected`, DESIGN §5): of concurrent attempts
 * on one order exactly one matches a row. Every method takes the executor (db or transaction) first; nothing
 * here knows HTTP or rules.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, OrderItemsTable, OrdersTable } from '../../db/types.js';
import type { OrderStatus } from './model.js';

/** An order row as the services read it (money as decimal strings, times as Dates): the generated table's row. */
export type OrderRow = Selectable<OrdersTable>;

/** One line of an order (unit amounts). */
export type OrderLineRow = Selectable<OrderItemsTable>;

/** What a new order is made of. */
export interface NewOrder {
  project_id: number;
  user_id: string;
  user_email: string | null;
  user_country: string | null;
  user_name: string | null;
  mode: 'default' | 'sandbox';
  currency_type: 'real' | 'virtual' | 'unknown';
  currency: string | null;
  amount: string;
  amount_without_discount: string;
  is_free: boolean;
  source: OrderRow['source'];
  cart_id: string | null;
  custom_parameters: Record<string, unknown> | null;
  settings: Record<string, unknown> | null;
  expires_at: Date | null;
  platform: string | null;
}

export interface NewOrderLine {
  item_id: number;
  sku: string;
  type: string;
  quantity: number;
  amount: string;
  amount_without_discount: string;
  is_free: boolean;
}

/** A payment token to store with a new order (opens the pay station until `expires_at`). */
export interface NewPaymentToken {
  token: string;
  sandbox: boolean;
  expires_at: Date;
}

/** Extra columns a transition sets besides `status` (timestamps are set by the database clock). */
export interface TransitionExtras {
  invoice_id?: string | null;
  /** Only when the order has not expired at this instant (for new → paid). */
  notExpiredAt?: Date;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

const STAMP: Partial<Record<OrderStatus, 'paid_at' | 'done_at' | 'canceled_at'>> = {
  paid: 'paid_at',
  done: 'done_at',
  canceled: 'canceled_at',
};

/** History entries that change an order's status (order_events.type). */
export const STATUS_EVENT_TYPES = ['created', 'paid', 'done', 'canceled', 'refunded', 'expired'];

export const ordersRepository = {
  /**
   * Inserts an order (status `new`) with its lines (positions 0…n−1), its `created` history entry by `actor`
   * and, when given, its payment token — ONE statement (data-modifying CTEs), one round trip. Returns the
   * order id.
   */
  async insert(
    ex: Executor,
    o: NewOrder,
    lines: NewOrderLine[],
    actor: string,
    token?: NewPaymentToken,
  ): Promise<number> {
    const col = <K extends keyof NewOrderLine>(k: K) => lines.map((l) => l[k]);
    const withToken = token
      ? sql`t AS (
        INSERT INTO payment_tokens (token, project_id, order_id, sandbox, expires_at)
        SELECT ${token.token}::text, ${o.project_id}::integer, o.order_id, ${token.sandbox}::boolean,
          ${token.expires_at}::timestamptz
        FROM o
      ), `
      : sql``;
    const { rows } = await sql<{ order_id: number }>`
      WITH o AS (
        INSERT INTO orders (project_id, user_id, user_email, user_country, user_name, mode, currency_type,
          currency, amount, amount_without_discount, is_free, source, cart_id, custom_parameters, settings,
          expires_at, platform)
        VALUES (${o.project_id}, ${o.user_id}, ${o.user_email}, ${o.user_country}, ${o.user_name}, ${o.mode},
          ${o.currency_type}, ${o.currency}, ${o.amount}, ${o.amount_without_discount}, ${o.is_free},
          ${o.source}, ${o.cart_id}, ${json(o.custom_parameters)}, ${json(o.settings)}, ${o.expires_at},
          ${o.platform})
        RETURNING order_id
      ), l AS (
        INSERT INTO order_items (order_id, position, item_id, sku, type, quantity, amount,
          amount_without_discount, is_free)
        SELECT o.order_id, v.n - 1, v.item_id, v.sku, v.type, v.quantity, v.amount, v.amount_without_discount,
          v.is_free
        FROM o, unnest(${col('item_id')}::integer[], ${col('sku')}::text[], ${col('type')}::text[],
          ${col('quantity')}::integer[], ${col('amount')}::numeric[], ${col('amount_without_discount')}::numeric[],
          ${col('is_free')}::boolean[])
          WITH ORDINALITY AS v(item_id, sku, type, quantity, amount, amount_without_discount, is_free, n)
      ), ${withToken}e AS (
        INSERT INTO order_events (order_id, type, actor)
        SELECT o.order_id, 'created', ${actor}::text FROM o
      )
      SELECT order_id FROM o`.execute(ex);
    return rows[0].order_id;
  },

  /** The order `orderId` of `projectId`, or undefined. `forUpdate` locks the row until the transaction ends. */
  async find(
    ex: Executor,
    projectId: number,
    orderId: number,
    forUpdate = false,
  ): Promise<OrderRow | undefined> {
    let q = ex
      .selectFrom('orders')
      .selectAll()
      .where('order_id', '=', orderId)
      .where('project_id', '=', projectId);
    if (forUpdate) q = q.forUpdate();
    return (await q.executeTakeFirst()) as OrderRow | undefined;
  },

  /** The lines of the given orders, in order and position order. */
  async lines(ex: Executor, orderIds: number[]): Promise<OrderLineRow[]> {
    if (orderIds.length === 0) return [];
    return (await ex
      .selectFrom('order_items')
      .selectAll()
      .where('order_id', 'in', orderIds)
      .orderBy('order_id')
      .orderBy('position')
      .execute()) as OrderLineRow[];
  },

  /**
   * Compare-and-set of the status: `from` → `to`, stamping paid_at / done_at / canceled_at. Returns the updated
   * row, or undefined when the order was not in `from` (another request moved it first, or it expired).
   */
  async transition(
    ex: Executor,
    projectId: number,
    orderId: number,
    from: OrderStatus,
    to: OrderStatus,
    extras: TransitionExtras = {},
  ): Promise<OrderRow | undefined> {
    const stamp = STAMP[to];
    let q = ex
      .updateTable('orders')
      .set({
        status: to,
        updated_at: sql<Date>`clock_timestamp()`,
        ...(stamp ? { [stamp]: sql<Date>`clock_timestamp()` } : {}),
        ...(extras.invoice_id !== undefined ? { invoice_id: extras.invoice_id } : {}),
      })
      .where('order_id', '=', orderId)
      .where('project_id', '=', projectId)
      .where('status', '=', from);
    if (extras.notExpiredAt) {
      const at = extras.notExpiredAt;
      q = q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', at)]));
    }
    return (await q.returningAll().executeTakeFirst()) as OrderRow | undefined;
  },

  /**
   * Moves every unpaid order whose `expires_at` is at or before `now` to `expired` (one statement, compare-and-set
   * on `status = 'new'`) and records the change in the history. Returns the expired orders.
   */
  async expireDue(ex: Executor, now: Date, actor: string, projectId?: number, orderId?: number) {
    const scope = projectId === undefined ? sql`` : sql`AND project_id = ${projectId}`;
    const one = orderId === undefined ? sql`` : sql`AND order_id = ${orderId}`;
    const { rows } = await sql<OrderRow>`
      WITH expired AS (
        UPDATE orders SET status = 'expired', updated_at = clock_timestamp()
        WHERE status = 'new' AND expires_at IS NOT NULL AND expires_at <= ${now} ${scope} ${one}
        RETURNING *
      ), e AS (
        INSERT INTO order_events (order_id, type, actor)
        SELECT order_id, 'expired', ${actor} FROM expired
      )
      SELECT * FROM expired`.execute(ex);
    return rows;
  },

  /** Appends an entry to the order's history. */
  async addEvent(
    ex: Executor,
    orderId: number,
    type: string,
    actor: string,
    detail: Record<string, unknown> | null = null,
  ): Promise<void> {
    await ex
      .insertInto('order_events')
      .values({ order_id: orderId, type, actor, detail: json(detail) })
      .execute();
  },

  /** The order's history, oldest first. */
  events(ex: Executor, orderId: number) {
    return ex
      .selectFrom('order_events')
      .select(['type', 'actor', 'detail', 'created_at'])
      .where('order_id', '=', orderId)
      .orderBy('event_id')
      .execute();
  },

  /**
   * Status-changing history entries (`created`, `paid`, `done`, `canceled`, `refunded`, `expired`) of the user's
   * orders in the project, or of one order: after entry `afterId`, at most `limit`, oldest or newest first.
   */
  statusEvents(
    ex: Executor,
    q: {
      projectId: number;
      userId: string;
      orderId?: number;
      afterId: number;
      limit: number;
      newestFirst: boolean;
    },
  ) {
    let query = ex
      .selectFrom('order_events as e')
      .innerJoin('orders as o', 'o.order_id', 'e.order_id')
      .select(['e.event_id', 'e.order_id', 'e.type'])
      .where('o.project_id', '=', q.projectId)
      .where('o.user_id', '=', q.userId)
      .where('e.type', 'in', STATUS_EVENT_TYPES)
      .where('e.event_id', '>', String(q.afterId));
    if (q.orderId !== undefined) query = query.where('o.order_id', '=', q.orderId);
    return query
      .orderBy('e.event_id', q.newestFirst ? 'desc' : 'asc')
      .limit(q.limit)
      .execute();
  },

  /** A fresh invoice id for a payment made in the sandbox pay station (digits). */
  async nextInvoiceId(ex: Executor): Promise<string> {
    const { rows } = await sql<{ id: string }>`SELECT nextval('order_invoice_seq')::text AS id`.execute(ex);
    return rows[0].id;
  },

  /** The token's order reference when the token exists and has not expired at `now`. */
  findToken(ex: Executor, token: string, now: Date) {
    return ex
      .selectFrom('payment_tokens')
      .select(['token', 'project_id', 'order_id', 'sandbox', 'expires_at'])
      .where('token', '=', token)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  },

  /** The order and buyer a payment token of `projectId` opens, when the token exists and has not expired. */
  tokenOwner(ex: Executor, projectId: number, token: string, now: Date) {
    return ex
      .selectFrom('payment_tokens as t')
      .innerJoin('orders as o', 'o.order_id', 't.order_id')
      .select(['o.order_id', 'o.user_id', 'o.user_email'])
      .where('t.token', '=', token)
      .where('t.project_id', '=', projectId)
      .where('t.expires_at', '>', now)
      .executeTakeFirst();
  },

  /**
   * A page of the project's orders created in [from, until], oldest first (then by id), with the total count of
   * the period.
   */
  async search(
    ex: Executor,
    q: { projectId: number; from?: Date; until?: Date; limit: number; offset: number },
  ): Promise<{ rows: OrderRow[]; total: number }> {
    let base = ex.selectFrom('orders').where('project_id', '=', q.projectId);
    if (q.from) base = base.where('created_at', '>=', q.from);
    if (q.until) base = base.where('created_at', '<=', q.until);
    const rows = (await base
      .selectAll()
      .orderBy('created_at')
      .orderBy('order_id')
      .limit(q.limit)
      .offset(q.offset)
      .execute()) as OrderRow[];
    const { count } = await base
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .executeTakeFirstOrThrow();
    return { rows, total: Number(count) };
  },

  // ---------- what other modules read of orders (this repository owns orders, order_items, order_events and
  // payment_tokens; other modules call these instead of querying the tables) ----------

  /**
   * Delivery's view (inventory): the order's project, buyer and mode, locking its row until the transaction ends
   * (delivery and refund of one order are serialized); undefined when there is no such order.
   */
  forDelivery(ex: Executor, orderId: number) {
    return ex
      .selectFrom('orders')
      .select(['order_id', 'project_id', 'user_id', 'mode'])
      .where('order_id', '=', orderId)
      .forUpdate()
      .executeTakeFirst();
  },

  /** The order's lines as delivery grants them (unit quantities), in position order. */
  deliveryLines(ex: Executor, orderId: number) {
    return ex
      .selectFrom('order_items')
      .select(['position', 'item_id', 'sku', 'type', 'quantity'])
      .where('order_id', '=', orderId)
      .orderBy('position')
      .execute();
  },

  /**
   * Notifications' view of the order's lines (webhooks), in order, with what the catalog still knows of their
   * items (null when deleted).
   */
  notificationLines(ex: Executor, orderId: number) {
    return ex
      .selectFrom('order_items as l')
      .leftJoin('items as i', 'i.item_id', 'l.item_id')
      .select([
        'l.position',
        'l.item_id',
        'l.sku',
        'l.type',
        'l.quantity',
        'l.amount',
        'l.is_free',
        'i.custom_attributes',
        'i.pre_order',
      ])
      .where('l.order_id', '=', orderId)
      .orderBy('l.position')
      .execute();
  },

  /** Notifications' view (webhooks): the order row, whatever its project, with the project's merchant id. */
  async forNotification(
    ex: Executor,
    orderId: number,
  ): Promise<(OrderRow & { merchant_id: number }) | undefined> {
    return (await ex
      .selectFrom('orders as o')
      .innerJoin('projects as p', 'p.project_id', 'o.project_id')
      .selectAll('o')
      .select('p.merchant_id')
      .where('o.order_id', '=', orderId)
      .executeTakeFirst()) as (OrderRow & { merchant_id: number }) | undefined;
  },

  /** Whether the user has any order in the project (limits: the project knows the user). */
  async hasOrdersOf(ex: Executor, projectId: number, userId: string): Promise<boolean> {
    const row = await ex
      .selectFrom('orders')
      .select('order_id')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },
};
