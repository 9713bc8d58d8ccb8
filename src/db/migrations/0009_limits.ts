/**
 * 0009 — purchase limits and pre-order quantities (endpoints.tsv groups user-limits-admin, common-pre-orders;
 * docs/decisions/0018-purchase-limits-pre-orders.md). Counters are changed only by conditional UPDATEs (DESIGN §5) and
 * guarded by CHECKs, so no interleaving can sell more than exists:
 * - user_item_limits: what one user bought of one limited item in the current reset window (`window_end` is the
 *   next recurrent reset when the count was made, NULL without a schedule; a count past its window is 0);
 * - pre_order_limits: the pre-order quantity of an item (available / reserved / sold);
 * - limit_reservations: what each order holds of each limited item, so a cancel or expiry gives exactly that
 *   back and a payment turns exactly that into "sold".
 * Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE user_item_limits (
      item_id     integer NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
      user_id     text NOT NULL,
      used        integer NOT NULL CHECK (used >= 0),
      window_end  timestamptz,
      PRIMARY KEY (item_id, user_id)
    );
    CREATE INDEX user_item_limits_user_idx ON user_item_limits (user_id);

    CREATE TABLE pre_order_limits (
      item_id     integer PRIMARY KEY REFERENCES items(item_id) ON DELETE CASCADE,
      is_enabled  boolean NOT NULL DEFAULT true,
      available   integer NOT NULL DEFAULT 0 CHECK (available >= 0),
      reserved    integer NOT NULL DEFAULT 0 CHECK (reserved >= 0),
      sold        integer NOT NULL DEFAULT 0 CHECK (sold >= 0)
    );

    CREATE TABLE limit_reservations (
      order_id    integer NOT NULL REFERENCES orders(order_id) ON DELETE CASCADE,
      item_id     integer NOT NULL REFERENCES items(item_id) ON DELETE CASCADE,
      project_id  integer NOT NULL,
      user_id     text NOT NULL,
      quantity    integer NOT NULL CHECK (quantity > 0),
      per_item    boolean NOT NULL,
      pre_order   boolean NOT NULL,
      per_user    boolean NOT NULL,
      -- the per-user window the quantity was counted in (released only while it is still that window)
      window_end  timestamptz,
      state       text NOT NULL DEFAULT 'reserved' CHECK (state IN ('reserved','sold','released')),
      PRIMARY KEY (order_id, item_id)
    );
    CREATE INDEX limit_reservations_open_idx ON limit_reservations (project_id, user_id, item_id)
      WHERE state = 'reserved';
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS limit_reservations, pre_order_limits, user_item_limits`.execute(db);
}
