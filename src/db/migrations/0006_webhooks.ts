/**
 * 0006 — webhooks: the project's webhook settings (get-webhook / update-webhook), the transactional outbox of
 * order events (written in the same transaction as the order's status change, DESIGN §5) and the log of every
 * delivery attempt. Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    -- One row per project once an admin has set it (PUT …/admin/webhook); version 2 adds per-item flags.
    CREATE TABLE webhook_settings (
      project_id   integer PRIMARY KEY REFERENCES projects(project_id) ON DELETE CASCADE,
      url          text NOT NULL,
      secret       text NOT NULL,
      is_enabled   boolean NOT NULL DEFAULT true,
      version      smallint NOT NULL DEFAULT 1 CHECK (version IN (1, 2)),
      updated_at   timestamptz NOT NULL DEFAULT clock_timestamp()
    );

    -- The outbox: one row per event to send. body holds the exact bytes that are sent and signed.
    -- A worker claims due rows (status pending, next_attempt_at reached) with FOR UPDATE SKIP LOCKED and pushes
    -- next_attempt_at forward by a lease while it sends, so two processes never send one row at the same time and
    -- a row claimed by a process that died is sent again once the lease is over.
    -- retry_delays_ms: the waits (ms) after each failed attempt, fixed when the event is written.
    -- No foreign key to orders: an acknowledged event outlives anything that happens to its order.
    CREATE TABLE webhook_outbox (
      event_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id        integer NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
      order_id          integer,
      notification_type text NOT NULL,
      body              text NOT NULL,
      status            text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'delivered', 'failed', 'discarded')),
      attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
      retry_delays_ms   jsonb NOT NULL DEFAULT '[]',
      next_attempt_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
      claim_token       text,
      last_status_code  integer,
      last_error        text,
      created_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
      delivered_at      timestamptz
    );
    CREATE INDEX webhook_outbox_due_idx ON webhook_outbox (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX webhook_outbox_project_idx ON webhook_outbox (project_id, event_id);
    CREATE INDEX webhook_outbox_order_idx ON webhook_outbox (project_id, order_id, event_id);

    -- Every HTTP attempt, as the admin sees it (status code or network error, start of the response body).
    CREATE TABLE webhook_attempts (
      attempt_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id          bigint NOT NULL REFERENCES webhook_outbox(event_id) ON DELETE CASCADE,
      attempt           integer NOT NULL,
      url               text NOT NULL,
      attempted_at      timestamptz NOT NULL,
      duration_ms       integer NOT NULL,
      status_code       integer,
      error             text,
      response_snippet  text,
      outcome           text NOT NULL CHECK (outcome IN ('delivered', 'retry', 'failed'))
    );
    CREATE INDEX webhook_attempts_event_idx ON webhook_attempts (event_id, attempt_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS webhook_attempts, webhook_outbox, webhook_settings CASCADE;`.execute(db);
}
