/**
 * SQL of webhooks: the project's settings, the outbox of events and the log of delivery attempts, plus the reads
 * of an order that the webhook body is built from. Every method takes the executor (db or transaction) first.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, WebhookOutboxTable, WebhookSettingsTable } from '../../db/types.js';
import { ordersRepository } from '../orders/repository.js';

export type WebhookSettingsRow = Selectable<WebhookSettingsTable>;
export type OutboxRow = Selectable<WebhookOutboxTable>;

/** An outbox row claimed by a worker (its claim token set, its lease running). */
export interface ClaimedEvent {
  event_id: string;
  project_id: number;
  order_id: number | null;
  notification_type: string;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
  retry_delays_ms: number[];
}

/** A claimed event with its project's webhook settings as they are now (nulls: the project has none). */
export interface ClaimedDelivery extends ClaimedEvent {
  url: string | null;
  secret: string | null;
  is_enabled: boolean | null;
}

/** What a finished attempt changes on its outbox row. */
export interface EventOutcome {
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  /** Wait before the next attempt (status pending), ms. */
  retryInMs?: number;
  last_status_code: number | null;
  last_error: string | null;
}

export interface NewAttempt {
  event_id: string;
  attempt: number;
  url: string;
  attempted_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_snippet: string | null;
  outcome: 'delivered' | 'retry' | 'failed';
}

const afterMs = (ms: number) =>
  sql<Date>`clock_timestamp() + (${Math.max(0, Math.round(ms))}::bigint * interval '1 millisecond')`;

export const webhooksRepository = {
  /** Events waiting to be sent (status pending, every project) and the age of the oldest, in seconds (0 when none). */
  async pendingStats(ex: Executor): Promise<{ pending: number; oldestAgeSeconds: number }> {
    const row = await ex
      .selectFrom('webhook_outbox')
      .select([
        sql<string>`count(*)`.as('pending'),
        sql<string | null>`extract(epoch from clock_timestamp() - min(created_at))`.as('age'),
      ])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { pending: Number(row.pending), oldestAgeSeconds: row.age === null ? 0 : Number(row.age) };
  },

  /** The project's webhook settings, or undefined when never set. */
  settings(ex: Executor, projectId: number): Promise<WebhookSettingsRow | undefined> {
    return ex
      .selectFrom('webhook_settings')
      .selectAll()
      .where('project_id', '=', projectId)
      .executeTakeFirst();
  },

  /** Creates or replaces the project's settings. */
  async upsertSettings(
    ex: Executor,
    projectId: number,
    s: { url: string; secret: string; is_enabled: boolean; version: number },
  ): Promise<void> {
    await ex
      .insertInto('webhook_settings')
      .values({ project_id: projectId, ...s })
      .onConflict((oc) => oc.column('project_id').doUpdateSet({ ...s, updated_at: sql`clock_timestamp()` }))
      .execute();
  },

  /** The order row with its project's merchant id, or undefined (read through the orders repository, its owner). */
  order(ex: Executor, orderId: number) {
    return ordersRepository.forNotification(ex, orderId);
  },

  /** The order's lines in order, with what the catalog still knows of their items (its owner, the orders repository). */
  orderLines(ex: Executor, orderId: number) {
    return ordersRepository.notificationLines(ex, orderId);
  },

  /** Content of the bundles `bundleItemIds`, in each bundle's order. */
  bundleContents(ex: Executor, bundleItemIds: number[]) {
    if (bundleItemIds.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('bundle_contents as b')
      .innerJoin('items as i', 'i.item_id', 'b.content_item_id')
      .select(['b.bundle_item_id', 'b.quantity', 'i.sku', 'i.type', 'i.custom_attributes', 'i.pre_order'])
      .where('b.bundle_item_id', 'in', bundleItemIds)
      .orderBy('b.bundle_item_id')
      .orderBy('b.position')
      .execute();
  },

  /**
   * Writes an event to the outbox; returns its id. `pending` (the default) is due now; `unsent` is never sent (the
   * project had no enabled webhook) and exists for the Event API only.
   */
  async insertEvent(
    ex: Executor,
    e: {
      project_id: number;
      order_id: number | null;
      user_id: string;
      notification_type: string;
      body: string;
      retry_delays_ms: number[];
      status?: 'pending' | 'unsent';
    },
  ): Promise<string> {
    const row = await ex
      .insertInto('webhook_outbox')
      .values({ ...e, retry_delays_ms: JSON.stringify(e.retry_delays_ms) })
      .returning('event_id')
      .executeTakeFirstOrThrow();
    return String(row.event_id);
  },

  /**
   * Claims the next due event (oldest due first) for ONE delivery attempt, leased for `leaseMs`: a row another
   * transaction holds is skipped (FOR UPDATE SKIP LOCKED), and the claimed row is not due again before the lease
   * ends. Returns it with its project's current webhook settings, or undefined when nothing is due. One statement,
   * committed before the attempt starts: a claimed row is a delivery in flight (issue 13 §6).
   */
  async claimNext(ex: Executor, o: { leaseMs: number; token: string }): Promise<ClaimedDelivery | undefined> {
    const { rows } = await sql<ClaimedDelivery>`
      UPDATE webhook_outbox AS o
         SET next_attempt_at = ${afterMs(o.leaseMs)}, claim_token = ${o.token}
        FROM (SELECT event_id, project_id FROM webhook_outbox
               WHERE status = 'pending' AND next_attempt_at <= clock_timestamp()
               ORDER BY next_attempt_at, event_id
               LIMIT 1
               FOR UPDATE SKIP LOCKED) AS due
        LEFT JOIN webhook_settings s ON s.project_id = due.project_id
       WHERE o.event_id = due.event_id
   RETURNING o.event_id, o.project_id, o.order_id, o.notification_type, o.body, o.attempts, o.retry_delays_ms,
             s.url, s.secret, s.is_enabled`.execute(ex);
    return rows[0] && { ...rows[0], event_id: String(rows[0].event_id) };
  },

  /**
   * Milliseconds until the next pending event is due (0 when one is due now), or null when none is pending.
   * (GREATEST ignores NULLs: an empty outbox must give NULL, not 0, or the worker polls at its shortest wait.)
   */
  async msUntilNextDue(ex: Executor): Promise<number | null> {
    const { rows } = await sql<{ ms: string | number | null }>`
      SELECT CASE WHEN min(next_attempt_at) IS NULL THEN NULL
                  ELSE GREATEST(0, EXTRACT(EPOCH FROM (min(next_attempt_at) - clock_timestamp())) * 1000) END AS ms
        FROM webhook_outbox WHERE status = 'pending'`.execute(ex);
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Number(ms);
  },

  /**
   * Records an attempt: its outcome on the event (if `token` still holds the claim) and the attempt in the log —
   * ONE statement, so the window between the receiver's answer and the record is one round trip. True when the
   * claim was still held.
   */
  async finish(
    ex: Executor,
    eventId: string,
    token: string,
    o: EventOutcome,
    attempt: Omit<NewAttempt, 'event_id' | 'attempt'>,
  ): Promise<boolean> {
    const delivered = o.status === 'delivered' ? sql`clock_timestamp()` : sql`delivered_at`;
    const next = o.status === 'pending' ? afterMs(o.retryInMs ?? 0) : sql`next_attempt_at`;
    const { rows } = await sql<{ held: number }>`
      WITH f AS (
        UPDATE webhook_outbox
           SET status = ${o.status}, attempts = ${o.attempts}, last_status_code = ${o.last_status_code},
               last_error = ${o.last_error}, claim_token = NULL, delivered_at = ${delivered},
               next_attempt_at = ${next}
         WHERE event_id = ${eventId} AND claim_token = ${token}
        RETURNING event_id
      ), a AS (
        INSERT INTO webhook_attempts (event_id, attempt, url, attempted_at, duration_ms, status_code, error,
                                      response_snippet, outcome)
        VALUES (${eventId}, ${o.attempts}, ${attempt.url}, ${attempt.attempted_at}, ${attempt.duration_ms},
                ${attempt.status_code}, ${attempt.error}, ${attempt.response_snippet}, ${attempt.outcome})
      )
      SELECT count(*)::int AS held FROM f`.execute(ex);
    return (rows[0]?.held ?? 0) > 0;
  },

  /** Drops a claimed event without sending it (webhooks disabled or removed since it was written). */
  async discard(ex: Executor, eventId: string, token: string, reason: string): Promise<void> {
    await ex
      .updateTable('webhook_outbox')
      .set({ status: 'discarded', last_error: reason, claim_token: null })
      .where('event_id', '=', eventId)
      .where('claim_token', '=', token)
      .execute();
  },

  /**
   * A page of the project's webhook events (not the `unsent` ones), newest first (one more row than `limit` tells
   * whether there are more).
   */
  listEvents(ex: Executor, projectId: number, q: { orderId?: number; limit: number; offset: number }) {
    let query = ex
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('status', '!=', 'unsent');
    if (q.orderId !== undefined) query = query.where('order_id', '=', q.orderId);
    return query
      .orderBy('event_id', 'desc')
      .limit(q.limit + 1)
      .offset(q.offset)
      .execute();
  },

  /**
   * The user's unprocessed events (Event API), oldest first: at most `limit`, after event `afterId`, of the
   * notification types `types` (all when undefined).
   */
  unprocessedOf(
    ex: Executor,
    q: { projectId: number; userId: string; afterId: number; types?: string[]; limit: number },
  ) {
    let query = ex
      .selectFrom('webhook_outbox')
      .select(['event_id', 'notification_type', 'body', 'created_at'])
      .where('project_id', '=', q.projectId)
      .where('user_id', '=', q.userId)
      .where('processed_at', 'is', null)
      .where('event_id', '>', String(q.afterId));
    if (q.types) query = query.where('notification_type', 'in', q.types);
    return query.orderBy('event_id').limit(q.limit).execute();
  },

  /**
   * Marks the user's event processed (Event API). Returns whether the event is the user's (processed now or
   * before); false when no such event of the user exists.
   */
  async markProcessed(
    ex: Executor,
    q: { projectId: number; userId: string; eventId: number },
  ): Promise<boolean> {
    const row = await ex
      .updateTable('webhook_outbox')
      .set({ processed_at: sql<Date>`coalesce(processed_at, clock_timestamp())` })
      .where('event_id', '=', String(q.eventId))
      .where('project_id', '=', q.projectId)
      .where('user_id', '=', q.userId)
      .returning('event_id')
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Attempts of the events `eventIds`, oldest first. */
  attemptsOf(ex: Executor, eventIds: string[]) {
    if (eventIds.length === 0) return Promise.resolve([]);
    return ex
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('event_id', 'in', eventIds)
      .orderBy('attempt_id')
      .execute();
  },
};
