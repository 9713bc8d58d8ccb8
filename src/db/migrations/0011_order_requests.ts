/**
 * 0011 — what the official SDKs' purchase requests need beyond 0003/0007:
 * - virtual-currency prices with a fraction (the spec types a game key's `vc_prices[].amount` as `number` and its
 *   example sends 35.5): `item_vc_prices.amount` becomes numeric with 4 decimals; buyers pay whole units
 *   (docs/decisions/0023-fractional-vc-prices.md);
 * - orders of the client-side payment token call of the Android and Unity SDKs (`POST /v2/project/{id}/payment`,
 *   lines described by the body, not catalog items): `source` 'payment' (docs/decisions/0024-client-payment-token.md).
 * Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE item_vc_prices ALTER COLUMN amount TYPE numeric(20,4);
    ALTER TABLE orders DROP CONSTRAINT orders_source_check;
    ALTER TABLE orders ADD CONSTRAINT orders_source_check
      CHECK (source IN ('cart','item','free_cart','free_item','virtual','server_token','payment'));
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM orders WHERE source = 'payment';
    ALTER TABLE orders DROP CONSTRAINT orders_source_check;
    ALTER TABLE orders ADD CONSTRAINT orders_source_check
      CHECK (source IN ('cart','item','free_cart','free_item','virtual','server_token'));
    ALTER TABLE item_vc_prices ALTER COLUMN amount TYPE bigint USING ceil(amount)::bigint;
  `.execute(db);
}
