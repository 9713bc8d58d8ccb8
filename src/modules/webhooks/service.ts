/**
 * Webhooks (spec operations get-webhook / update-webhook, common-webhooks): the project's webhook settings, the
 * order events other areas enqueue in their own transactions (transactional outbox, DESIGN §5), the delivery
 * worker (worker.ts) and the delivery log admins read (Itemshop extension).
 *
 * Contract used by the orders area (cross-engineer contract of the purchase-flow issue):
 *   enqueueOrderEvent(ctx, 'order_paid' | 'order_canceled', orderId) — in ctx.trx, after the order's status change;
 *   writes nothing when the project has no enabled webhook; wakes the worker after commit.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { AppError, invalid } from '../../errors/app-error.js';
import type { UnitOfWork, WriteContext, WriteOptions } from '../../db/unit-of-work.js';
import { formatIsoWithOffset } from '../../lib/dates.js';
import { isPreOrder } from '../games/model.js';
import { externalIdOf } from '../orders/settings.js';
import {
  buildOrderWebhookBody,
  type OrderEventType,
  type WebhookLineFacts,
  type WebhookOrderFacts,
  type WebhookVersion,
} from './payload.js';
import { webhooksRepository as repo } from './repository.js';
import { WebhookWorker, type WebhookWorkerOptions } from './worker.js';

/** get-webhook answer (the spec's fields, plus the `version` update-webhook sets). */
export interface WebhookSettingsView {
  url: string;
  secret: string;
  is_enabled: boolean;
  version: WebhookVersion;
}

/** update-webhook body. */
export interface WebhookSettingsInput {
  url: string;
  secret: string;
  is_enabled: boolean;
  version?: WebhookVersion;
}

/** One attempt as the admin sees it. */
export interface DeliveryAttemptView {
  attempt: number;
  attempted_at: string;
  url: string;
  status_code: number | null;
  error: string | null;
  response: string | null;
  duration_ms: number;
  outcome: 'delivered' | 'retry' | 'failed';
}

/** One outbox event with its attempts. */
export interface DeliveryView {
  event_id: number;
  order_id: number | null;
  notification_type: string;
  status: 'pending' | 'delivered' | 'failed' | 'discarded';
  attempts_count: number;
  created_at: string;
  next_attempt_at: string | null;
  delivered_at: string | null;
  last_error: string | null;
  attempts: DeliveryAttemptView[];
}

export interface WebhooksServiceOptions extends WebhookWorkerOptions {
  /** Waits before each retry, ms (parsed WEBHOOK_RETRY_SCHEDULE); stored with every event. */
  retryDelaysMs: number[];
  /** Clock for `is_pre_order` (ms since epoch). */
  clock?: () => number;
}

/** One event of the Event API. */
export interface UserEventView {
  id: number;
  /** The webhook body plus `settings: {project_id, merchant_id}`. */
  data: Record<string, unknown>;
  /** 0: not processed. */
  status: number;
  /** ISO 8601 with offset. */
  created_at: string;
}

/** Most events one get-events answer lists. */
export const EVENTS_PAGE = 100;

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());
const asObject = (v: unknown): Record<string, unknown> | null =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

export class WebhooksService {
  /** The delivery worker of this process (started by the app when WEBHOOK_WORKER is on). */
  readonly worker: WebhookWorker;
  private readonly clock: () => number;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly options: WebhooksServiceOptions,
  ) {
    this.worker = new WebhookWorker(db, options);
    this.clock = options.clock ?? Date.now;
  }

  /**
   * The project's settings.
   * @throws 404/1102 when no webhook was ever set (spec get-webhook 404)
   */
  async getSettings(projectId: number): Promise<WebhookSettingsView> {
    const s = await repo.settings(this.db, projectId);
    if (!s) throw new AppError('WEBHOOK_NOT_FOUND');
    return { url: s.url, secret: s.secret, is_enabled: s.is_enabled, version: s.version === 2 ? 2 : 1 };
  }

  /**
   * Creates or replaces the settings (a self-hosted store has no other place where they are first created, so
   * this never answers the spec's 404). `version` defaults to 1, as in the spec. Events already in the outbox are
   * sent with the settings current when they fall due.
   * @throws 422/1102 when `url` is empty or not an absolute http(s) URL (spec: 422 "contains empty URL")
   */
  async updateSettings(
    projectId: number,
    input: WebhookSettingsInput,
    write: WriteOptions = {},
  ): Promise<void> {
    const url = input.url.trim();
    if (url === '') throw invalid('url', 'The webhook URL must not be empty');
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid('url', 'The webhook URL must be an absolute http or https URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw invalid('url', 'The webhook URL must be an absolute http or https URL');
    await this.uow.run(write, ({ trx }) =>
      repo.upsertSettings(trx, projectId, {
        url,
        secret: input.secret,
        is_enabled: input.is_enabled,
        version: input.version ?? 1,
      }),
    );
  }

  /**
   * Writes the `type` event of order `orderId` to the outbox in `ctx.trx` — after the order's status change, in
   * the same transaction, so the event exists exactly when the change does — for the order's user (Event API) and,
   * when the project has an enabled webhook, to be sent (`pending`; the worker is woken after commit). Without an
   * enabled webhook the event is written `unsent` (never sent; listed by the Event API only — ADR 0031). The body
   * is built now (payload.ts, in the settings' version; 1 without settings) and sent byte for byte.
   * `opts.comment` is the body's `order.comment` (the orders service names there what a paid order could not
   * deliver, ADR 0040; otherwise null as the real service sends it).
   * @throws Error when the order does not exist (a caller bug: it has just changed the order)
   */
  async enqueueOrderEvent(
    ctx: WriteContext,
    type: OrderEventType,
    orderId: number,
    opts: { comment?: string | null } = {},
  ): Promise<void> {
    const order = await repo.order(ctx.trx, orderId);
    if (!order) throw new Error(`enqueueOrderEvent: order ${orderId} does not exist`);
    const settings = await repo.settings(ctx.trx, order.project_id);
    const send = settings?.is_enabled === true;
    const body = await this.orderEventBody(
      ctx.trx,
      type,
      { ...order, comment: opts.comment ?? null },
      settings?.version === 2 ? 2 : 1,
    );
    await repo.insertEvent(ctx.trx, {
      project_id: order.project_id,
      order_id: order.order_id,
      user_id: order.user_id,
      notification_type: type,
      body: JSON.stringify(body),
      retry_delays_ms: this.options.retryDelaysMs,
      status: send ? 'pending' : 'unsent',
    });
    if (send) ctx.afterCommit(() => this.worker.wake());
  }

  /**
   * A page of the project's webhook events (newest first), each with its attempts — the delivery log
   * (Itemshop extension). `orderId` keeps the events of one order.
   */
  async listDeliveries(
    projectId: number,
    q: { orderId?: number; limit: number; offset: number },
  ): Promise<{ has_more: boolean; items: DeliveryView[] }> {
    const rows = await repo.listEvents(this.db, projectId, q);
    const page = rows.slice(0, q.limit);
    const attempts = await repo.attemptsOf(
      this.db,
      page.map((r) => String(r.event_id)),
    );
    const byEvent = new Map<string, DeliveryAttemptView[]>();
    for (const a of attempts) {
      const list = byEvent.get(String(a.event_id)) ?? [];
      list.push({
        attempt: a.attempt,
        attempted_at: new Date(a.attempted_at).toISOString(),
        url: a.url,
        status_code: a.status_code,
        error: a.error,
        response: a.response_snippet,
        duration_ms: a.duration_ms,
        outcome: a.outcome,
      });
      byEvent.set(String(a.event_id), list);
    }
    return {
      has_more: rows.length > q.limit,
      items: page.map((r) => ({
        event_id: Number(r.event_id),
        order_id: r.order_id,
        notification_type: r.notification_type,
        status: r.status as DeliveryView['status'], // `unsent` rows are not listed
        attempts_count: r.attempts,
        created_at: iso(r.created_at)!,
        next_attempt_at: r.status === 'pending' ? iso(r.next_attempt_at) : null,
        delivered_at: iso(r.delivered_at),
        last_error: r.last_error,
        attempts: byEvent.get(String(r.event_id)) ?? [],
      })),
    };
  }

  /** The outbox now, every project: events waiting to be sent and the age of the oldest, in seconds (metrics). */
  outboxStats(): Promise<{ pending: number; oldestAgeSeconds: number }> {
    return repo.pendingStats(this.db);
  }

  /**
   * Event API get-events: the user's unprocessed `order_paid` / `order_canceled` events, oldest first, at most
   * EVENTS_PAGE (100) — page on with `afterId` (the last id seen) or by marking events processed. Each event's
   * `data` is the webhook body with `settings: {project_id, merchant_id}` added (ADR 0031).
   */
  async userEvents(
    project: { project_id: number; merchant_id: number },
    userId: string,
    q: { afterId?: number; types?: string | string[] },
  ): Promise<{ events: UserEventView[] }> {
    const types =
      q.types === undefined
        ? undefined
        : (Array.isArray(q.types) ? q.types : [q.types])
            .flatMap((t) => t.split(','))
            .map((t) => t.trim())
            .filter((t) => t !== '');
    if (types?.length === 0) return { events: [] };
    const rows = await repo.unprocessedOf(this.db, {
      projectId: project.project_id,
      userId,
      afterId: q.afterId ?? 0,
      types,
      limit: EVENTS_PAGE,
    });
    const settings = { project_id: project.project_id, merchant_id: project.merchant_id };
    return {
      events: rows.map((r) => ({
        id: Number(r.event_id),
        data: { ...(JSON.parse(r.body) as Record<string, unknown>), settings },
        status: 0,
        created_at: formatIsoWithOffset(new Date(r.created_at)),
      })),
    };
  }

  /**
   * Event API mark-event-processed: the event is no longer listed for its user. Marking it again changes nothing.
   * @throws 404/1102 `Event not found` when the event is not one of the user's in the project
   */
  async markEventProcessed(
    projectId: number,
    userId: string,
    eventId: number,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.uow.run(write, async ({ trx }) => {
      if (!(await repo.markProcessed(trx, { projectId, userId, eventId })))
        throw new AppError('EVENT_NOT_FOUND');
    });
  }

  /** Starts the worker (the app calls this when ready). */
  start(log?: Parameters<WebhookWorker['start']>[0]): void {
    this.worker.start(log);
  }

  /** Stops the worker and flushes what this process committed (the app calls this on close). */
  stop(): Promise<void> {
    return this.worker.stop();
  }

  /** The facts of the order and builds the body. */
  private async orderEventBody(
    trx: WriteContext['trx'],
    type: OrderEventType,
    order: NonNullable<Awaited<ReturnType<typeof repo.order>>> & { comment: string | null },
    version: WebhookVersion,
  ) {
    const now = this.clock();
    const lines = await repo.orderLines(trx, order.order_id);
    const bundleIds = lines.filter((l) => l.type === 'bundle').map((l) => l.item_id);
    const contents = version === 2 ? await repo.bundleContents(trx, [...new Set(bundleIds)]) : [];
    const facts: WebhookOrderFacts = {
      order_id: order.order_id,
      mode: order.mode,
      currency_type: order.currency_type,
      currency: order.currency,
      amount: order.amount,
      platform: order.platform ?? 'xsolla',
      user_id: order.user_id,
      user_email: order.user_email,
      user_country: order.user_country,
      custom_parameters: asObject(order.custom_parameters),
      invoice_id: order.invoice_id,
      comment: order.comment,
    };
    const externalId = externalIdOf(asObject(order.settings));
    if (externalId !== null) {
      facts.billing = {
        project_id: order.project_id,
        merchant_id: order.merchant_id,
        external_id: externalId,
        payment_date: order.paid_at ? formatIsoWithOffset(new Date(order.paid_at)) : null,
      };
    }
    const lineFacts: WebhookLineFacts[] = lines.map((l) => ({
      sku: l.sku,
      type: l.type,
      quantity: l.quantity,
      amount: l.amount,
      is_free: l.is_free || order.is_free,
      is_pre_order: isPreOrder(l.pre_order, now),
      custom_attributes: asObject(l.custom_attributes),
      content: contents
        .filter((c) => c.bundle_item_id === l.item_id)
        .map((c) => ({
          sku: c.sku,
          type: c.type,
          quantity: c.quantity,
          is_pre_order: isPreOrder(c.pre_order, now),
          custom_attributes: asObject(c.custom_attributes),
        })),
    }));
    return buildOrderWebhookBody(type, facts, lineFacts, version);
  }
}
