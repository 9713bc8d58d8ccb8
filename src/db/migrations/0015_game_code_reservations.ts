/**
 * 0015 — game codes reserved by unpaid orders (issue 13 §1; docs/decisions/0040-game-keys-reserved-at-order-creation.md).
 * A code an order will deliver is taken from the pool when the order is created, in the order's transaction: the
 * claim (FOR UPDATE SKIP LOCKED) sets `claimed_at`, `claimed_by` (the buyer) and `order_id` as before, plus
 * `reserved = true`. Payment turns it into a sale (`reserved = false`); expiry, cancellation and voiding give it
 * back to the pool (every claim column cleared). A reserved code counts as taken everywhere (has_keys, admin
 * counters, claims, deletions of free codes), because `claimed_at` is set. Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE game_codes ADD COLUMN reserved boolean NOT NULL DEFAULT false;
    -- a reserved code always belongs to an order
    ALTER TABLE game_codes ADD CONSTRAINT game_codes_reserved_order_chk
      CHECK (NOT reserved OR (order_id IS NOT NULL AND claimed_at IS NOT NULL));
    -- What payment sells and expiry/cancellation releases: the reserved codes of an order.
    CREATE INDEX game_codes_reserved_idx ON game_codes (order_id, item_id, code_id) WHERE reserved;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS game_codes_reserved_idx;
    ALTER TABLE game_codes DROP CONSTRAINT IF EXISTS game_codes_reserved_order_chk;
    ALTER TABLE game_codes DROP COLUMN IF EXISTS reserved;
  `.execute(db);
}
