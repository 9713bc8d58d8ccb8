/**
 * SQL of the player's inventory: holdings of virtual goods (`inventory_items`), virtual-currency balances
 * (`balances`) and the grant records of deliveries and admin rewards (`inventory_grants`). Every change of a
 * quantity or balance is ONE statement — an upsert that adds, or a conditional UPDATE that subtracts only what is
 * there (DESIGN §5); nothing here reads a value to decide a write. Every method takes the executor first; nothing
 * here knows HTTP or rules.
 */
import { sql, type Selectable } from 'kysely';
import type { Executor, InventoryGrantsTable } from '../../db/types.js';
import type { InventoryOptions, ItemType } from '../items/model.js';
import { ordersRepository } from '../orders/repository.js';

/** What delivery needs to know about an item: its kind, options and (bundles) content. */
export interface ItemMeta {
  item_id: number;
  sku: string;
  type: ItemType;
  is_enabled: boolean;
  bundle_type: string | null;
  inventory_options: InventoryOptions | null;
  drm_sku: string | null;
  parent_item_id: number | null;
  content: { item_id: number; quantity: number }[];
}

/** One line of an order, as delivery reads it. */
export interface OrderLine {
  position: number;
  item_id: number;
  sku: string;
  type: string;
  quantity: number;
}

/** A grant to record (quantities are integers; see migration 0005). */
export interface NewGrant {
  project_id: number;
  user_id: string;
  order_id: number | null;
  line_position: number | null;
  source: 'order' | 'admin';
  kind: 'item' | 'currency' | 'game_code' | 'entitlement';
  item_id: number;
  sku: string;
  quantity: number;
  period?: string | null;
  code_id?: string | null;
  code?: string | null;
  entitlement_id?: number | null;
  comment?: string | null;
}

/** A recorded grant not yet revoked. */
export type GrantRow = Pick<
  Selectable<InventoryGrantsTable>,
  'grant_id' | 'project_id' | 'user_id' | 'kind' | 'item_id' | 'sku' | 'period' | 'code' | 'entitlement_id'
> & {
  /** bigint in the table, an integer here (quantities fit; migration 0005). */
  quantity: number;
};

/** One holding of the inventory list: a virtual good or a currency balance, with its item's columns. */
export interface HoldingRow {
  item_id: number;
  sku: string;
  type: ItemType;
  name: Record<string, string>;
  description: Record<string, string> | null;
  image_url: string | null;
  inventory_options: InventoryOptions | null;
  quantity: number;
  expires_at: Date | null;
}

/** Key of one user's holding. */
export interface HoldingKey {
  projectId: number;
  userId: string;
  itemId: number;
}

const int = (v: string | number | bigint | null | undefined) =>
  v === null || v === undefined ? 0 : Number(v);

/** A counter a user holds: units of an item (inventory_items) or a currency balance (balances). */
interface Counter {
  table: 'inventory_items' | 'balances';
  value: 'quantity' | 'amount';
  itemColumn: 'item_id' | 'currency_item_id';
}
const UNITS: Counter = { table: 'inventory_items', value: 'quantity', itemColumn: 'item_id' };
const BALANCE: Counter = { table: 'balances', value: 'amount', itemColumn: 'currency_item_id' };

/**
 * Subtracts `q` from the counter only if it covers it: ONE conditional UPDATE (DESIGN §5). Returns what is left,
 * or undefined when the counter is missing or too small (then nothing changed).
 */
async function takeIfCovered(ex: Executor, c: Counter, k: HoldingKey, q: number) {
  const value = sql.ref(c.value);
  const { rows } = await sql<{ remaining: string }>`
    UPDATE ${sql.table(c.table)} SET ${value} = ${value} - ${q}, updated_at = clock_timestamp()
    WHERE project_id = ${k.projectId} AND user_id = ${k.userId} AND ${sql.ref(c.itemColumn)} = ${k.itemId}
      AND ${value} >= ${q}
    RETURNING ${value}::text AS remaining`.execute(ex);
  return rows.length === 0 ? undefined : int(rows[0].remaining);
}

/** Subtracts up to `q` from the counter (never below 0); returns how much was really taken. */
async function takeUpTo(ex: Executor, c: Counter, k: HoldingKey, q: number): Promise<number> {
  const table = sql.table(c.table);
  const value = sql.ref(c.value);
  const key = sql`project_id = ${k.projectId} AND user_id = ${k.userId} AND ${sql.ref(c.itemColumn)} = ${k.itemId}`;
  const { rows } = await sql<{ taken: string }>`
    WITH old AS (SELECT ${value} AS v FROM ${table} WHERE ${key} FOR UPDATE)
    UPDATE ${table} SET ${value} = GREATEST(${value} - ${q}, 0), updated_at = clock_timestamp()
    FROM old WHERE ${key}
    RETURNING (old.v - ${value})::text AS taken`.execute(ex);
  return int(rows[0]?.taken);
}

export const inventoryRepository = {
  // ---------- orders (owned by the orders repository; read and locked by delivery through it) ----------

  /** The order's owner and mode, locking its row for the rest of the transaction; undefined when absent. */
  lockOrder(ex: Executor, orderId: number) {
    return ordersRepository.forDelivery(ex, orderId);
  },

  /** The order's lines in position order. */
  async orderLines(ex: Executor, orderId: number): Promise<OrderLine[]> {
    const rows = await ordersRepository.deliveryLines(ex, orderId);
    return rows.map((r) => ({ ...r, quantity: int(r.quantity) }));
  },

  /** Whether the order has any grant recorded (i.e. it was delivered). */
  async hasGrants(ex: Executor, orderId: number): Promise<boolean> {
    const row = await ex
      .selectFrom('inventory_grants')
      .select('grant_id')
      .where('order_id', '=', orderId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** The order's grants not yet revoked, locked, in grant order. */
  async liveGrantsOfOrder(ex: Executor, orderId: number): Promise<GrantRow[]> {
    const rows = await ex
      .selectFrom('inventory_grants')
      .select([
        'grant_id',
        'project_id',
        'user_id',
        'kind',
        'item_id',
        'sku',
        'quantity',
        'period',
        'code',
        'entitlement_id',
      ])
      .where('order_id', '=', orderId)
      .where('revoked_at', 'is', null)
      .orderBy('grant_id')
      .forUpdate()
      .execute();
    return rows.map((r) => ({ ...r, grant_id: String(r.grant_id), quantity: int(r.quantity) }));
  },

  /** Game codes an order delivered (in grant order), with their key's sku. */
  async codesOfOrder(ex: Executor, orderId: number): Promise<{ sku: string; code: string }[]> {
    const rows = await ex
      .selectFrom('inventory_grants')
      .select(['sku', 'code'])
      .where('order_id', '=', orderId)
      .where('kind', '=', 'game_code')
      .orderBy('grant_id')
      .execute();
    return rows.flatMap((r) => (r.code === null ? [] : [{ sku: r.sku, code: r.code }]));
  },

  // ---------- items ----------

  /** Delivery metadata of the project's items `ids` (with their bundle content), by id. */
  async itemsMeta(ex: Executor, projectId: number, ids: number[]): Promise<Map<number, ItemMeta>> {
    const out = new Map<number, ItemMeta>();
    if (ids.length === 0) return out;
    const rows = await ex
      .selectFrom('items')
      .select([
        'item_id',
        'sku',
        'type',
        'is_enabled',
        'bundle_type',
        'inventory_options',
        'drm_sku',
        'parent_item_id',
      ])
      .where('project_id', '=', projectId)
      .where('item_id', '=', sql<number>`any(${[...new Set(ids)]}::integer[])`)
      .execute();
    for (const r of rows)
      out.set(r.item_id, {
        ...r,
        type: r.type as ItemType,
        inventory_options: r.inventory_options as InventoryOptions | null,
        content: [],
      });
    const bundles = rows.filter((r) => r.type === 'bundle').map((r) => r.item_id);
    if (bundles.length) {
      const content = await ex
        .selectFrom('bundle_contents')
        .select(['bundle_item_id', 'content_item_id', 'quantity'])
        .where('bundle_item_id', '=', sql<number>`any(${bundles}::integer[])`)
        .orderBy('bundle_item_id')
        .orderBy('position')
        .execute();
      for (const c of content)
        out.get(c.bundle_item_id)!.content.push({ item_id: c.content_item_id, quantity: c.quantity });
    }
    return out;
  },

  /** The project's item `sku` (id, type, options), or undefined. */
  itemBySku(ex: Executor, projectId: number, sku: string) {
    return ex
      .selectFrom('items')
      .select(['item_id', 'sku', 'type', 'inventory_options'])
      .where('project_id', '=', projectId)
      .where('sku', '=', sku)
      .executeTakeFirst();
  },

  // ---------- virtual goods ----------

  /** Adds `quantity` units of a consumable (creating the holding); returns the new quantity. */
  async addUnits(ex: Executor, k: HoldingKey, quantity: number): Promise<number> {
    const { rows } = await sql<{ quantity: string }>`
      INSERT INTO inventory_items AS t (project_id, user_id, item_id, quantity)
      VALUES (${k.projectId}, ${k.userId}, ${k.itemId}, ${quantity})
      ON CONFLICT (project_id, user_id, item_id)
      DO UPDATE SET quantity = t.quantity + excluded.quantity, updated_at = clock_timestamp()
      RETURNING t.quantity::text AS quantity
    `.execute(ex);
    return int(rows[0]?.quantity);
  },

  /**
   * Gives a non-consumable once: the holding becomes 1 unless the user already holds it. Returns 1 when this call
   * added it, 0 when the user already had it (one statement: the conflict branch only updates a holding of 0).
   */
  async addOnce(ex: Executor, k: HoldingKey): Promise<0 | 1> {
    const { rows } = await sql<{ quantity: string }>`
      INSERT INTO inventory_items AS t (project_id, user_id, item_id, quantity)
      VALUES (${k.projectId}, ${k.userId}, ${k.itemId}, 1)
      ON CONFLICT (project_id, user_id, item_id)
      DO UPDATE SET quantity = 1, updated_at = clock_timestamp() WHERE t.quantity = 0
      RETURNING t.quantity::text AS quantity
    `.execute(ex);
    return rows.length ? 1 : 0;
  },

  /**
   * Extends a time-limited item by `period` (a PostgreSQL interval such as `30 day`): from its current expiry
   * when still active, else from now. Returns the new expiry.
   */
  async extend(ex: Executor, k: HoldingKey, period: string): Promise<Date> {
    const { rows } = await sql<{ expires_at: Date }>`
      INSERT INTO inventory_items AS t (project_id, user_id, item_id, quantity, expires_at)
      VALUES (${k.projectId}, ${k.userId}, ${k.itemId}, 1, clock_timestamp() + ${period}::interval)
      ON CONFLICT (project_id, user_id, item_id)
      DO UPDATE SET quantity = 1,
        expires_at = GREATEST(COALESCE(t.expires_at, clock_timestamp()), clock_timestamp()) + ${period}::interval,
        updated_at = clock_timestamp()
      RETURNING t.expires_at
    `.execute(ex);
    return new Date(rows[0].expires_at);
  },

  /**
   * Takes `quantity` units only if the user holds at least that many (conditional UPDATE); returns what is left,
   * or undefined when nothing was taken.
   */
  takeUnits(ex: Executor, k: HoldingKey, quantity: number): Promise<number | undefined> {
    return takeIfCovered(ex, UNITS, k, quantity);
  },

  /** Takes up to `quantity` units (never below 0); returns how many were really taken. */
  takeUnitsUpTo(ex: Executor, k: HoldingKey, quantity: number): Promise<number> {
    return takeUpTo(ex, UNITS, k, quantity);
  },

  /** Shortens a time-limited item by `period` (it is expired once its expiry is not in the future). */
  async shorten(ex: Executor, k: HoldingKey, period: string): Promise<void> {
    await sql`
      UPDATE inventory_items SET expires_at = expires_at - ${period}::interval, updated_at = clock_timestamp()
      WHERE project_id = ${k.projectId} AND user_id = ${k.userId} AND item_id = ${k.itemId}
        AND expires_at IS NOT NULL
    `.execute(ex);
  },

  /** Ends an active time-limited item now; false when it was not active. */
  async expireNow(ex: Executor, k: HoldingKey): Promise<boolean> {
    const res = await ex
      .updateTable('inventory_items')
      .set({ expires_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
      .where('project_id', '=', k.projectId)
      .where('user_id', '=', k.userId)
      .where('item_id', '=', k.itemId)
      .where('expires_at', '>', sql<Date>`clock_timestamp()`)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  },

  /** The user's holding of one item: quantity and expiry (0 / null when none). */
  async holding(ex: Executor, k: HoldingKey): Promise<{ quantity: number; expires_at: Date | null }> {
    const row = await ex
      .selectFrom('inventory_items')
      .select(['quantity', 'expires_at'])
      .where('project_id', '=', k.projectId)
      .where('user_id', '=', k.userId)
      .where('item_id', '=', k.itemId)
      .executeTakeFirst();
    return { quantity: int(row?.quantity), expires_at: row?.expires_at ?? null };
  },

  // ---------- balances ----------

  /** Adds `amount` to the balance (creating it); returns the new balance. */
  async credit(ex: Executor, k: HoldingKey, amount: number): Promise<number> {
    const { rows } = await sql<{ amount: string }>`
      INSERT INTO balances AS b (project_id, user_id, currency_item_id, amount)
      VALUES (${k.projectId}, ${k.userId}, ${k.itemId}, ${amount})
      ON CONFLICT (project_id, user_id, currency_item_id)
      DO UPDATE SET amount = b.amount + excluded.amount, updated_at = clock_timestamp()
      RETURNING b.amount::text AS amount
    `.execute(ex);
    return int(rows[0]?.amount);
  },

  /**
   * Subtracts `amount` only if the balance covers it: ONE conditional UPDATE (DESIGN §5). Returns the new balance,
   * or undefined when the balance is missing or too small (then nothing changed).
   */
  debit(ex: Executor, k: HoldingKey, amount: number): Promise<number | undefined> {
    return takeIfCovered(ex, BALANCE, k, amount);
  },

  /** Subtracts up to `amount` (never below 0); returns how much was really taken. */
  debitUpTo(ex: Executor, k: HoldingKey, amount: number): Promise<number> {
    return takeUpTo(ex, BALANCE, k, amount);
  },

  /** The user's balance of one currency (0 when none). */
  async balance(ex: Executor, k: HoldingKey): Promise<number> {
    const row = await ex
      .selectFrom('balances')
      .select('amount')
      .where('project_id', '=', k.projectId)
      .where('user_id', '=', k.userId)
      .where('currency_item_id', '=', k.itemId)
      .executeTakeFirst();
    return int(row?.amount);
  },

  /** Every balance of the user: currency item id → amount. */
  async balances(ex: Executor, projectId: number, userId: string): Promise<Map<number, number>> {
    const rows = await ex
      .selectFrom('balances')
      .select(['currency_item_id', 'amount'])
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .execute();
    return new Map(rows.map((r) => [r.currency_item_id, int(r.amount)]));
  },

  // ---------- lists ----------

  /**
   * A page of what the user holds: virtual goods with units left (time-limited ones while active), then
   * currencies with a positive balance; each group oldest first.
   */
  async holdingsPage(
    ex: Executor,
    q: { projectId: number; userId: string; limit: number; offset: number },
  ): Promise<HoldingRow[]> {
    const { rows } = await sql<HoldingRow & { quantity: string }>`
      SELECT i.item_id, i.sku, i.type, i.name, i.description, i.image_url, i.inventory_options,
             h.quantity::text AS quantity, h.expires_at
      FROM (
        SELECT item_id, quantity, expires_at, created_at, 0 AS part FROM inventory_items
        WHERE project_id = ${q.projectId} AND user_id = ${q.userId} AND quantity > 0
          AND (expires_at IS NULL OR expires_at > clock_timestamp())
        UNION ALL
        SELECT currency_item_id, amount, NULL, created_at, 1 FROM balances
        WHERE project_id = ${q.projectId} AND user_id = ${q.userId} AND amount > 0
      ) h
      JOIN items i ON i.item_id = h.item_id
      ORDER BY h.part, h.created_at, h.item_id
      LIMIT ${q.limit} OFFSET ${q.offset}
    `.execute(ex);
    return rows.map((r) => ({ ...r, quantity: int(r.quantity) }));
  },

  /** The user's time-limited items (active or expired), oldest first. */
  async timeLimited(ex: Executor, projectId: number, userId: string) {
    return ex
      .selectFrom('inventory_items as h')
      .innerJoin('items as i', 'i.item_id', 'h.item_id')
      .select([
        'i.item_id',
        'i.sku',
        'i.type',
        'i.name',
        'i.description',
        'i.image_url',
        'h.expires_at',
        sql<boolean>`h.expires_at > clock_timestamp()`.as('active'),
      ])
      .where('h.project_id', '=', projectId)
      .where('h.user_id', '=', userId)
      .where('h.expires_at', 'is not', null)
      .orderBy('h.created_at')
      .orderBy('h.item_id')
      .execute();
  },

  // ---------- grants ----------

  /** Records grants (in the caller's transaction). */
  async insertGrants(ex: Executor, grants: NewGrant[]): Promise<void> {
    if (grants.length === 0) return;
    await ex
      .insertInto('inventory_grants')
      .values(
        grants.map((g) => ({
          ...g,
          period: g.period ?? null,
          code_id: g.code_id ?? null,
          code: g.code ?? null,
          entitlement_id: g.entitlement_id ?? null,
          comment: g.comment ?? null,
        })),
      )
      .execute();
  },

  /** Marks a grant revoked, with what was really taken back. */
  async markRevoked(ex: Executor, grantId: string, revokedQuantity: number): Promise<void> {
    await ex
      .updateTable('inventory_grants')
      .set({ revoked_at: sql`clock_timestamp()`, revoked_quantity: revokedQuantity })
      .where('grant_id', '=', sql<string>`${grantId}::bigint`)
      .execute();
  },
};
