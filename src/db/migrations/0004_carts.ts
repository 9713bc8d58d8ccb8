/**
 * 0004 — carts: one row per cart of a user in a project, and its lines (one per sku). A user has at most one
 * current cart (the one `/cart` without an id addresses); other carts are addressed by their `cart_id`. A cart
 * that became an order is kept with status `ordered` and is read-only from then on.
 * Immutable once landed.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE carts (
      cart_pk     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      project_id  integer NOT NULL REFERENCES projects(project_id) ON DELETE CASCADE,
      -- the public id (a string, spec/NOTES.md): generated digits, or the client's own id on a by-id write
      cart_id     text NOT NULL CHECK (length(cart_id) BETWEEN 1 AND 64),
      -- JWT sub, guest:<x-unauthorized-id>, or the server-side x-user-id
      user_id     text NOT NULL,
      status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ordered')),
      is_current  boolean NOT NULL DEFAULT false,
      -- currency and country last asked for by a fill (ISO 4217 / ISO 3166-1 alpha-2), NULL = derive
      currency    text CHECK (currency ~ '^[A-Z]{3}$'),
      country     text CHECK (country ~ '^[A-Z]{2}$'),
      created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
      updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
      ordered_at  timestamptz,
      UNIQUE (project_id, cart_id),
      CHECK (NOT (is_current AND status <> 'open'))
    );
    -- At most one current cart per user and project (get-or-create races end in ON CONFLICT DO NOTHING).
    CREATE UNIQUE INDEX carts_current_idx ON carts (project_id, user_id) WHERE is_current;

    CREATE TABLE cart_items (
      cart_pk   bigint NOT NULL REFERENCES carts(cart_pk) ON DELETE CASCADE,
      sku       text NOT NULL,
      quantity  integer NOT NULL CHECK (quantity > 0),
      -- display order: the order in which skus entered the cart
      position  integer NOT NULL,
      PRIMARY KEY (cart_pk, sku)
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE IF EXISTS cart_items, carts CASCADE;`.execute(db);
}
