/**
 * Helpers of the webhook tests: a real HTTP receiver on 127.0.0.1 that keeps the raw bytes of every webhook and
 * answers as told, orders written straight into the order tables, and the commit of an order event the way the
 * orders area does it (status change + enqueueOrderEvent in one transaction, after-commit hooks run after).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { WriteContext } from '../../src/db/unit-of-work.js';
import type { OrderEventType } from '../../src/modules/webhooks/payload.js';
import { verifyWebhookSignature } from '../../src/modules/webhooks/signature.js';

export interface ReceivedWebhook {
  /** The exact bytes received. */
  raw: Buffer;
  headers: IncomingHttpHeaders;
  method: string;
  /** Parsed JSON body. */
  body: { notification_type: string; order: { id: number; status: string }; [k: string]: unknown };
  /** The status this receiver answered. */
  answered: number;
}

/** What the receiver answers to its n-th request (from 1): a status, optionally late. */
export type Answer = number | { status: number; body?: string; delayMs?: number };

/** A webhook receiver as a merchant's game server would run one. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    public answer: (w: Omit<ReceivedWebhook, 'answered'>, n: number) => Answer,
  ) {}

  static async start(
    answer: (w: Omit<ReceivedWebhook, 'answered'>, n: number) => Answer = () => 204,
    path = '/xsolla/webhook',
  ): Promise<WebhookReceiver> {
    const holder: { self?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        let body: ReceivedWebhook['body'];
        try {
          body = JSON.parse(raw.toString('utf8')) as ReceivedWebhook['body'];
        } catch {
          body = { notification_type: '?', order: { id: 0, status: '?' } };
        }
        const w = { raw, headers: req.headers, method: req.method ?? '', body };
        const a = holder.self!.answer(w, holder.self!.received.length + 1);
        const { status, body: text, delayMs } = typeof a === 'number' ? { status: a } : a;
        holder.self!.received.push({ ...w, answered: status });
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(text ?? (status === 204 ? undefined : JSON.stringify({ status })));
        };
        if (delayMs) setTimeout(reply, delayMs).unref();
        else reply();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    holder.self = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`, answer);
    return holder.self;
  }

  /** Webhooks received for `orderId`. */
  of(orderId: number): ReceivedWebhook[] {
    return this.received.filter((w) => w.body.order?.id === orderId);
  }

  /** Whether the webhook carries a valid signature for `secret`, computed over the raw bytes received. */
  static signed(w: ReceivedWebhook, secret: string): boolean {
    const auth = w.headers.authorization;
    return verifyWebhookSignature(w.raw, Array.isArray(auth) ? auth[0] : auth, secret);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs` with `what`). */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Sleeps `ms` (used only to show that nothing more happens, never to wait for something to happen). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface TestOrderLine {
  item_id?: number;
  sku: string;
  type?: string;
  quantity?: number;
  /** Unit price. */
  amount?: string;
  is_free?: boolean;
}

export interface TestOrder {
  userId?: string;
  email?: string | null;
  country?: string | null;
  status?: 'new' | 'paid' | 'done' | 'canceled' | 'expired';
  mode?: 'default' | 'sandbox';
  currencyType?: 'real' | 'virtual' | 'unknown';
  currency?: string | null;
  customParameters?: Record<string, unknown> | null;
  invoiceId?: string | null;
  lines: TestOrderLine[];
}

/** Writes an order and its lines straight into the tables; returns its id. */
export async function insertOrder(app: FastifyInstance, projectId: number, o: TestOrder): Promise<number> {
  const { db } = app.services.database;
  const lines = o.lines.map((l, i) => ({
    position: i,
    item_id: l.item_id ?? 1,
    sku: l.sku,
    type: l.type ?? 'virtual_good',
    quantity: l.quantity ?? 1,
    amount: l.amount ?? '1.99',
    is_free: l.is_free ?? false,
  }));
  const total = lines.reduce((acc, l) => acc + Math.round(Number(l.amount) * 10000) * l.quantity, 0) / 10000;
  const row = await db
    .insertInto('orders')
    .values({
      project_id: projectId,
      user_id: o.userId ?? 'player-1',
      user_email: o.email === undefined ? 'player@example.com' : o.email,
      user_country: o.country === undefined ? 'US' : o.country,
      status: o.status ?? 'new',
      mode: o.mode ?? 'sandbox',
      currency_type: o.currencyType ?? 'real',
      currency: o.currency === undefined ? 'USD' : o.currency,
      amount: String(total),
      amount_without_discount: String(total),
      source: 'cart',
      custom_parameters: o.customParameters ? JSON.stringify(o.customParameters) : null,
      invoice_id: o.invoiceId ?? null,
    })
    .returning('order_id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('order_items')
    .values(lines.map((l) => ({ ...l, order_id: row.order_id })))
    .execute();
  return row.order_id;
}

/**
 * What the orders area does when an order is paid (or refunded): one transaction moves the status and enqueues
 * the event; the after-commit hooks (waking the worker) run once it committed. `fail` rolls it back after the
 * enqueue. Returns whether the transaction committed.
 */
export async function commitOrderEvent(
  app: FastifyInstance,
  type: OrderEventType,
  orderId: number,
  opts: { fail?: boolean } = {},
): Promise<boolean> {
  const hooks: (() => void | Promise<void>)[] = [];
  try {
    await app.services.database.db.transaction().execute(async (trx) => {
      const ctx: WriteContext = { trx, afterCommit: (fn) => hooks.push(fn) };
      await trx
        .updateTable('orders')
        .set({ status: type === 'order_paid' ? 'paid' : 'canceled' })
        .where('order_id', '=', orderId)
        .execute();
      await app.services.webhooks.enqueueOrderEvent(ctx, type, orderId);
      if (opts.fail) throw new Error('rolled back after the enqueue');
    });
  } catch (e) {
    if (opts.fail) return false;
    throw e;
  }
  for (const fn of hooks) await fn();
  return true;
}

/** Outbox rows of an order. */
export function outboxOf(app: FastifyInstance, orderId: number) {
  return app.services.database.db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('event_id')
    .execute();
}
