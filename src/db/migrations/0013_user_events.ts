/**
 * 0013 — the webhook outbox becomes the log of every order event, per user (issue 12 item 2, ADR 0031): the Event
 * API (`GET /events`, `POST /events/{id}/processed`) lists a user's unprocessed `order_paid` / `order_canceled`
 * events from it, so an event is written for every paid or refunded order — also in projects without a webhook,
 * where it is never sent (status `unsent`).
 *
 * - `user_id`: the order's user (the JWT `sub`) the event belongs to. Rows written before this migration keep NULL
 *   and are never listed: the Event API starts with the events after the upgrade.
 * - `processed_at`: when the user's client marked the event processed (NULL: not yet).
 * Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE webhook_outbox ADD COLUMN user_id text;
    ALTER TABLE webhook_outbox ADD COLUMN processed_at timestamptz;
    ALTER TABLE webhook_outbox DROP CONSTRAINT webhook_outbox_status_check;
    ALTER TABLE webhook_outbox ADD CONSTRAINT webhook_outbox_status_check
      CHECK (status IN ('pending', 'delivered', 'failed', 'discarded', 'unsent'));
    CREATE INDEX webhook_outbox_user_unprocessed_idx ON webhook_outbox (project_id, user_id, event_id)
      WHERE processed_at IS NULL AND user_id IS NOT NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS webhook_outbox_user_unprocessed_idx;
    DELETE FROM webhook_outbox WHERE status = 'unsent';
    ALTER TABLE webhook_outbox DROP CONSTRAINT webhook_outbox_status_check;
    ALTER TABLE webhook_outbox ADD CONSTRAINT webhook_outbox_status_check
      CHECK (status IN ('pending', 'delivered', 'failed', 'discarded'));
    ALTER TABLE webhook_outbox DROP COLUMN processed_at;
    ALTER TABLE webhook_outbox DROP COLUMN user_id;
  `.execute(db);
}
