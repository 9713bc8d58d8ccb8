/**
 * The player's inventory: delivery of paid orders, virtual-currency balances, consumption, and the admin's
 * grants and revocations (docs/decisions/0010-player-inventory.md).
 *
 * What a user holds, per project and user id (the JWT `sub`, or `guest:<id>` for guest game-key buyers):
 * - virtual goods (`inventory_items`): a consumable counts units; a non-consumable is held once (quantity 1); a
 *   time-limited item (`inventory_options.expiration_period`, "non-renewing subscription") is held while its
 *   expiry is in the future, and buying it again extends the expiry (Xsolla's time-limited items);
 * - virtual currencies (`balances`): integer amounts, never below 0;
 * - games: a game-key unit hands out one code of the key's pool and an entitlement to the game (`entitlements`,
 *   source `purchase`, drm = the key's DRM short name).
 *
 * Every change is one statement — an upsert that adds, or a conditional UPDATE that subtracts only what is there
 * (DESIGN §5) — run in the caller's transaction: the methods of the purchase flow take a `WriteContext` (or its
 * `trx`) and never open a transaction of their own, so a failed delivery rolls the whole purchase back.
 *
 * Game codes are reserved when the order is created (`reserveCodes`), sold when it is delivered, and given back
 * when an unpaid order ends (`releaseCodes`) — docs/decisions/0040-game-keys-reserved-at-order-creation.md. The
 * delivery of a payment the provider already took (`bestEffort`) never fails for what cannot be delivered: it
 * delivers the rest and returns what is missing, for the orders service to record.
 */
import type { Kysely } from 'kysely';
import type { CatalogStore } from '../../catalog/store.js';
import { DEFAULT_VIRTUAL_ITEM_IMAGE, defaultImage, imageOf } from '../../catalog/render.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError, invalid } from '../../errors/app-error.js';
import type { UnitOfWork, WriteContext, WriteOptions } from '../../db/unit-of-work.js';
import { pickLocalized, requestLocale, type Localized } from '../../lib/locale.js';
import { entitlementsRepository } from '../entitlements/repository.js';
import { findDrm } from '../games/drm.js';
import {
  claimCodes,
  releaseReservedCodes,
  reserveCodes,
  sellReservedCodes,
  type GamesService,
} from '../games/service.js';
import type { UndeliveredItem } from '../orders/model.js';
import { virtualItemTypeOf, type InventoryOptions, type ItemRecord } from '../items/model.js';
import {
  inventoryRepository as repo,
  type HoldingKey,
  type ItemMeta,
  type NewGrant,
  type OrderLine,
} from './repository.js';

/** Deepest bundle nesting delivery follows (bundles cannot contain themselves; this is a safety net). */
const MAX_BUNDLE_DEPTH = 16;
/** Operations of one reward/revoke request that are processed; the rest are ignored (Inventory API docs). */
export const MAX_OPERATIONS = 50;

/** One item of an admin reward / revoke operation. */
export interface ItemQuantity {
  sku: string;
  quantity: number;
}

/** One operation of add-item-to-inventory / revoke-item (a user and what to give or take). */
export interface InventoryOperation {
  user: { id: string };
  comment?: string | null;
  platform?: string | null;
  items: ItemQuantity[];
}

/** Answer of add-item-to-inventory / revoke-item: per operation, each item with the user's balance after it. */
export interface OperationsResult {
  count: number;
  operations: {
    user_id: string;
    platform: string | null;
    comment: string | null;
    items: { sku: string; quantity: number; balance: number }[];
  }[];
}

/** Body of consume-item (`quantity` for countable items, `instance_id` for instances — Itemshop has none). */
export interface ConsumeRequest {
  sku?: string;
  quantity?: number | null;
  instance_id?: string | null;
}

/** One entry of get-user-inventory. */
export interface InventoryItemView {
  sku: string;
  type: 'virtual_good' | 'virtual_currency';
  name: string;
  description: string | null;
  /** The item's image, else the default of its type (catalog/render.ts defaultImage). */
  image_url: string;
  attributes: { external_id: string; name: string; values: { external_id: string; value: string }[] }[];
  groups: { external_id: string; name: string }[];
  instance_id: null;
  quantity: number;
  remaining_uses: number | null;
  virtual_item_type: string | null;
}

/** One entry of get-user-virtual-balance. */
export interface BalanceView {
  sku: string;
  type: 'virtual_currency';
  name: string;
  description: string | null;
  /** The currency's image, else the default image (catalog/render.ts imageOf). */
  image_url: string;
  amount: number;
}

/** One entry of get-user-time-limited-items (`expired_at`: unix seconds). */
export interface TimeLimitedView {
  sku: string;
  type: string;
  name: string;
  description: string | null;
  image_url: string;
  virtual_item_type: 'non_renewing_subscription';
  status: 'active' | 'expired';
  expired_at: number | null;
}

/** A leaf of an order's content: one deliverable item of one order line, with its total quantity. */
interface Leaf {
  position: number | null;
  item: ItemMeta;
  quantity: number;
  /** The game of a game key. */
  game?: ItemMeta;
}

/** What a delivery could not give: the 422/404 it would have thrown, as a record. */
function undeliveredOf(e: AppError, line: OrderLine): UndeliveredItem {
  return {
    position: line.position,
    sku: line.sku,
    quantity: line.quantity,
    reason: e.kind === 'ITEM_NOT_FOUND' ? 'item_not_found' : 'not_deliverable',
    message: e.message,
  };
}

const notInInventory = (projectId: number, sku: string) =>
  new AppError('ITEM_NOT_FOUND', `Item with Project Id = ${projectId} and Sku = ${sku} not found`);

/** `{type, value}` × `times` as a PostgreSQL interval (`30 day`, `2 month`). */
function periodOf(options: InventoryOptions | null, times: number): string | null {
  const p = options?.expiration_period;
  if (!p) return null;
  return `${p.value * times} ${p.type}`;
}

function assertCount(value: number, property: string) {
  if (!Number.isSafeInteger(value) || value < 0)
    throw invalid(property, 'Must be a non-negative integer within the safe range');
}

export class InventoryService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly catalog: CatalogStore,
    private readonly games: GamesService,
  ) {}

  // ---------- the purchase flow (caller's transaction) ----------

  /**
   * Reserves the game codes a new order will deliver, in its creation transaction (ADR 0040): the lines are
   * expanded as delivery expands them (bundles recursively) and each game key takes its units from the pool with
   * the `FOR UPDATE SKIP LOCKED` claim, marked reserved for `order.orderId`. Orders without game keys or bundles
   * cost nothing here. After commit, `has_keys` follows the pool (GamesService.refreshAvailability).
   * @throws 422/1411 GAME_CODES_EXHAUSTED naming the sku when a key has fewer free codes than the order needs
   *         (the caller's transaction rolls back: nothing is reserved); 404/4001 when an item of the order no
   *         longer exists; 422/1102 for a line that cannot be delivered
   */
  async reserveCodes(
    ctx: WriteContext,
    order: { projectId: number; userId: string; orderId: number },
    lines: OrderLine[],
  ): Promise<void> {
    if (!lines.some((l) => l.type === 'game_key' || l.type === 'bundle')) return;
    const need = new Map<number, { sku: string; quantity: number }>();
    for (const { item, quantity } of await this.expand(ctx.trx, order.projectId, lines)) {
      if (item.type !== 'game_key') continue;
      const n = need.get(item.item_id);
      if (n) n.quantity += quantity;
      else need.set(item.item_id, { sku: item.sku, quantity });
    }
    if (need.size === 0) return;
    const keyIds = [...need.keys()].sort((a, b) => a - b);
    for (const unitItemId of keyIds) {
      const { sku, quantity } = need.get(unitItemId)!;
      const got = await reserveCodes(ctx.trx, {
        unitItemId,
        quantity,
        userId: order.userId,
        orderId: order.orderId,
      });
      if (got.length < quantity) throw codesExhausted(sku);
    }
    ctx.afterCommit(() => this.games.refreshAvailability(order.projectId, keyIds));
  }

  /**
   * Gives the game codes reserved by the unpaid orders `orderIds` (expired, canceled, voided) back to their pools,
   * in the caller's transaction; `has_keys` follows after commit. Orders without reservations cost one UPDATE.
   */
  async releaseCodes(ctx: WriteContext, orderIds: number[]): Promise<void> {
    if (orderIds.length === 0) return;
    const released = await releaseReservedCodes(ctx.trx, orderIds);
    for (const [projectId, keyIds] of released)
      ctx.afterCommit(() => this.games.refreshAvailability(projectId, keyIds));
  }

  /**
   * Grants order `orderId` to its user, in the caller's transaction: every line is expanded (standard bundles and
   * virtual-currency packages recursively, content × quantity; disabled content is skipped as the catalog shows
   * it — seed-details §8 rule 6), then each leaf is granted — consumables add units, a non-consumable is held
   * once, a time-limited item gains its period × quantity, currencies add to the balance, a game-key unit takes
   * a code the order reserved (`sellReservedCodes`; else one still free in the pool) and gives the game's
   * entitlement. Every grant is recorded for `revokeOrder`. A second call for the same order changes nothing (the
   * order row is locked and its grants checked first). After commit, the game keys' availability is refreshed
   * (GamesService.refreshAvailability).
   *
   * `bestEffort` is for a payment the provider already took (ADR 0040): nothing that cannot be delivered throws —
   * a line whose item is gone or cannot be delivered, a game key whose codes are gone — the rest is delivered and
   * what is missing is returned. Without it the delivery is all or nothing.
   * @returns what could not be delivered (always empty without `bestEffort`)
   * @throws without `bestEffort`: 422/1411 when a game key has fewer codes than units bought; 404/4001 when an
   *         item of the order no longer exists; 422/1102 for a line that cannot be delivered (a game row). Always:
   *         500 for an unknown order. Any throw rolls the caller's whole transaction back.
   */
  async deliverOrder(
    ctx: WriteContext,
    orderId: number,
    opts: { bestEffort?: boolean } = {},
  ): Promise<UndeliveredItem[]> {
    const { trx } = ctx;
    const order = await repo.lockOrder(trx, orderId);
    if (!order) throw new AppError('INTERNAL', `Order ${orderId} does not exist`);
    if (await repo.hasGrants(trx, orderId)) return [];
    const lines = await repo.orderLines(trx, orderId);
    const missing: UndeliveredItem[] | undefined = opts.bestEffort ? [] : undefined;
    const leaves = await this.expand(trx, order.project_id, lines, missing);
    const keyIds = await this.grantLeaves(
      trx,
      leaves,
      {
        projectId: order.project_id,
        userId: order.user_id,
        orderId,
        sandbox: order.mode === 'sandbox',
        source: 'order',
        comment: null,
      },
      missing,
    );
    if (keyIds.length) ctx.afterCommit(() => this.games.refreshAvailability(order.project_id, keyIds));
    return missing ?? [];
  }

  /**
   * Takes back what `deliverOrder` gave for `orderId` (refund), in the caller's transaction. Quantities and
   * balances go down by what the order added but never below 0: units already consumed and currency already
   * spent stay consumed/spent (the recorded `revoked_quantity` says what was really taken back). A time-limited
   * item loses the period the order added (it ends when its expiry passes). Entitlements the order created are
   * deleted; game codes stay claimed — the buyer has seen them (deactivate them on the DRM platform). Revoking
   * twice takes nothing the second time.
   * @throws 500 for an unknown order
   */
  async revokeOrder(ctx: WriteContext, orderId: number): Promise<void> {
    const { trx } = ctx;
    const order = await repo.lockOrder(trx, orderId);
    if (!order) throw new AppError('INTERNAL', `Order ${orderId} does not exist`);
    for (const g of await repo.liveGrantsOfOrder(trx, orderId)) {
      const k: HoldingKey = { projectId: g.project_id, userId: g.user_id, itemId: g.item_id };
      let taken = 0;
      if (g.kind === 'item' && g.period) {
        await repo.shorten(trx, k, g.period);
        taken = g.quantity;
      } else if (g.kind === 'item') taken = await repo.takeUnitsUpTo(trx, k, g.quantity);
      else if (g.kind === 'currency') taken = await repo.debitUpTo(trx, k, g.quantity);
      else if (g.kind === 'entitlement' && g.entitlement_id !== null)
        taken = (await entitlementsRepository.deleteById(trx, g.entitlement_id)) ? 1 : 0;
      await repo.markRevoked(trx, g.grant_id, taken);
    }
  }

  /**
   * Charges `amount` (integer units) of the currency `currencyItemId` from `userId`'s balance with ONE conditional
   * UPDATE (`… SET amount = amount - $a WHERE … AND amount >= $a`, DESIGN §5), in the caller's transaction.
   * Returns the balance left. Charging 0 changes nothing.
   * @throws 422/5006 `Not enough virtual currency` when the balance is missing or smaller (nothing is charged);
   *         422/1102 for a negative or non-integer amount
   */
  async chargeVirtualCurrency(
    trx: Executor,
    projectId: number,
    userId: string,
    currencyItemId: number,
    amount: number | string | bigint,
  ): Promise<number> {
    const a = Number(amount);
    assertCount(a, 'amount');
    const k = { projectId, userId, itemId: currencyItemId };
    if (a === 0) return repo.balance(trx, k);
    const left = await repo.debit(trx, k, a);
    if (left === undefined) throw new AppError('NOT_ENOUGH_VIRTUAL_CURRENCY');
    return left;
  }

  /** Game codes an order delivered (e.g. for the pay station's receipt), in delivery order. */
  codesOfOrder(ex: Executor | undefined, orderId: number): Promise<{ sku: string; code: string }[]> {
    return repo.codesOfOrder(ex ?? this.db, orderId);
  }

  // ---------- player calls ----------

  /**
   * Consumes `quantity` units of the consumable `sku` (or of a virtual currency) held by `userId`, with one
   * conditional UPDATE: never below 0, and nothing changes when the user holds fewer (Inventory API consume-item).
   * @throws 422/5002 without `sku`, or with neither `quantity` nor `instance_id`; 422/1102 with both, or for an
   *         item that is not consumable; 404/4001 for an unknown sku, an instance (Itemshop has none), an item the
   *         user does not hold, or more units than held
   */
  async consume(
    projectId: number,
    userId: string,
    body: ConsumeRequest,
    write: WriteOptions = {},
  ): Promise<void> {
    return this.uow.run(write, ({ trx }) => this.consumeIn(trx, projectId, userId, body));
  }

  /** `consume` as a step inside a caller's unit of work (`trx`); same errors. */
  async consumeIn(trx: Executor, projectId: number, userId: string, body: ConsumeRequest): Promise<void> {
    const { sku, quantity, instance_id } = body;
    if (!sku || ((quantity === undefined || quantity === null) && !instance_id))
      throw new AppError('CONSUME_PARAMS_REQUIRED');
    if (quantity !== undefined && quantity !== null && instance_id)
      throw invalid('instance_id', 'Pass either quantity or instance_id, not both');
    const item = await repo.itemBySku(trx, projectId, sku);
    if (!item || instance_id) throw notInInventory(projectId, sku);
    const k = { projectId, userId, itemId: item.item_id };
    const q = quantity as number;
    if (item.type === 'virtual_currency') {
      if ((await repo.debit(trx, k, q)) === undefined) throw notInInventory(projectId, sku);
      return;
    }
    if (item.type !== 'virtual_good') throw notInInventory(projectId, sku);
    if (virtualItemTypeOf(item.inventory_options as InventoryOptions | null) !== 'consumable')
      throw invalid('sku', `Item with sku = '${sku}' is not consumable`);
    if ((await repo.takeUnits(trx, k, q)) === undefined) throw notInInventory(projectId, sku);
  }

  /**
   * A page of what `userId` holds (get-user-inventory): virtual goods with units left (time-limited items while
   * active), then currencies with a positive balance. Texts in `locale` (default `en`); groups and attributes as
   * the catalog shows them.
   */
  async listItems(
    projectId: number,
    userId: string,
    q: { limit: number; offset: number; locale?: string },
  ): Promise<{ items: InventoryItemView[] }> {
    const locale = requestLocale(q.locale);
    const rows = await repo.holdingsPage(this.db, { projectId, userId, limit: q.limit, offset: q.offset });
    const snapshot = await this.catalog.snapshot(projectId);
    return {
      items: rows.map((r) => {
        const record = snapshot?.byId.get(r.item_id);
        const good = r.type === 'virtual_good';
        const vit = good ? virtualItemTypeOf(r.inventory_options) : null;
        return {
          sku: r.sku,
          type: good ? 'virtual_good' : 'virtual_currency',
          name: pickLocalized(r.name, locale) ?? r.sku,
          description: pickLocalized(r.description, locale),
          image_url: r.image_url || defaultImage(r.type),
          attributes: attributesView(record, locale),
          groups: groupsView(record, locale),
          instance_id: null,
          quantity: r.quantity,
          remaining_uses: vit === null ? null : vit === 'consumable' ? r.quantity : 1,
          virtual_item_type: vit,
        };
      }),
    };
  }

  /**
   * `userId`'s balance of every virtual currency of the project (get-user-virtual-balance), in catalog order:
   * enabled currencies (0 when never credited) and any other currency the user holds.
   */
  async listBalances(projectId: number, userId: string, locale?: string): Promise<{ items: BalanceView[] }> {
    const lang = requestLocale(locale);
    const [amounts, snapshot] = await Promise.all([
      repo.balances(this.db, projectId, userId),
      this.catalog.snapshot(projectId),
    ]);
    const currencies = (snapshot?.ofTypes(['virtual_currency']) ?? []).filter(
      (c) => c.is_enabled || (amounts.get(c.item_id) ?? 0) > 0,
    );
    return {
      items: currencies.map((c) => ({
        sku: c.sku,
        type: 'virtual_currency',
        name: pickLocalized(c.name, lang) ?? c.sku,
        description: pickLocalized(c.description, lang),
        image_url: imageOf(c),
        amount: amounts.get(c.item_id) ?? 0,
      })),
    };
  }

  /** `userId`'s time-limited items, active or expired (get-user-time-limited-items). */
  async listTimeLimited(
    projectId: number,
    userId: string,
    locale?: string,
  ): Promise<{ items: TimeLimitedView[] }> {
    const lang = requestLocale(locale);
    const rows = await repo.timeLimited(this.db, projectId, userId);
    return {
      items: rows.map((r) => ({
        sku: r.sku,
        type: r.type,
        name: pickLocalized(r.name as Localized, lang) ?? r.sku,
        description: pickLocalized(r.description as Localized | null, lang),
        image_url: r.image_url || DEFAULT_VIRTUAL_ITEM_IMAGE,
        virtual_item_type: 'non_renewing_subscription',
        status: r.active ? 'active' : 'expired',
        expired_at: r.expires_at ? Math.floor(new Date(r.expires_at).getTime() / 1000) : null,
      })),
    };
  }

  // ---------- admin ----------

  /**
   * Grants items to users (add-item-to-inventory), all in the caller's transaction: virtual goods and virtual
   * currencies by sku, with the same rules as delivery; each grant is recorded (source `admin`, the comment).
   * Only the first 50 operations are processed. Answers each item with the user's holding after it.
   * @throws 404/4001 for a sku that is not a virtual good or currency of the project (nothing is granted)
   */
  async reward(
    projectId: number,
    ops: InventoryOperation[],
    write: WriteOptions = {},
  ): Promise<OperationsResult> {
    return this.uow.run(write, ({ trx }) =>
      this.eachItem(trx, projectId, ops, async (op, it, item) => {
        await this.grantLeaves(trx, [{ position: null, item, quantity: it.quantity }], {
          projectId,
          userId: op.user.id,
          orderId: null,
          sandbox: false,
          source: 'admin',
          comment: op.comment ?? null,
        });
      }),
    );
  }

  /**
   * Takes items back from users (revoke-item), all in the caller's transaction: `quantity` units of a virtual good
   * or currency, only when the user holds that many (conditional UPDATE); a time-limited item ends now. Only the
   * first 50 operations are processed. Answers each item with what the user holds after it.
   * @throws 404/4001 for an unknown sku, or when a user holds fewer than asked (then nothing is revoked at all)
   */
  async revokeItems(
    projectId: number,
    ops: InventoryOperation[],
    write: WriteOptions = {},
  ): Promise<OperationsResult> {
    return this.uow.run(write, ({ trx }) =>
      this.eachItem(trx, projectId, ops, async (op, it, item) => {
        const k = { projectId, userId: op.user.id, itemId: item.item_id };
        let ok: boolean;
        if (item.type === 'virtual_currency') ok = (await repo.debit(trx, k, it.quantity)) !== undefined;
        else if (periodOf(item.inventory_options, 1)) ok = await repo.expireNow(trx, k);
        else ok = (await repo.takeUnits(trx, k, it.quantity)) !== undefined;
        if (!ok)
          throw new AppError(
            'ITEM_NOT_FOUND',
            `Failed to remove ${it.quantity} of sku = '${it.sku}' from user '${op.user.id}': not enough items`,
          );
      }),
    );
  }

  /**
   * The loop of the admin inventory operations (reward, revoke): the first MAX_OPERATIONS operations, their skus
   * resolved at once (404/4001 for an unknown one), `apply` run for each item in order, and each item answered with
   * what the user holds after it.
   */
  private async eachItem(
    trx: Executor,
    projectId: number,
    ops: InventoryOperation[],
    apply: (op: InventoryOperation, it: InventoryOperation['items'][number], item: ItemMeta) => Promise<void>,
  ): Promise<OperationsResult> {
    const taken = ops.slice(0, MAX_OPERATIONS);
    const items = await this.resolveInventoryItems(trx, projectId, taken);
    const operations: OperationsResult['operations'] = [];
    for (const op of taken) {
      const out: OperationsResult['operations'][number]['items'] = [];
      for (const it of op.items) {
        const item = items.get(it.sku)!;
        await apply(op, it, item);
        out.push({
          sku: it.sku,
          quantity: it.quantity,
          balance: await this.holdingOf(trx, projectId, op.user.id, item),
        });
      }
      operations.push({
        user_id: op.user.id,
        platform: op.platform ?? null,
        comment: op.comment ?? null,
        items: out,
      });
    }
    return { count: operations.length, operations };
  }

  /**
   * Credits `amount` of the currency `currencySku` to `userId` in a transaction of its own (seeding, tests, the
   * demo store); returns the new balance.
   * @throws 404/4001 when `currencySku` is not a virtual currency of the project
   */
  async creditBalance(
    projectId: number,
    userId: string,
    currencySku: string,
    amount: number,
  ): Promise<number> {
    assertCount(amount, 'amount');
    return this.uow.run({}, async ({ trx }) => {
      const item = await repo.itemBySku(trx, projectId, currencySku);
      if (item?.type !== 'virtual_currency') throw notInInventory(projectId, currencySku);
      return repo.credit(trx, { projectId, userId, itemId: item.item_id }, amount);
    });
  }

  /** `userId`'s balance of the currency `currencyItemId` (0 when none). */
  balanceOf(ex: Executor | undefined, projectId: number, userId: string, currencyItemId: number) {
    return repo.balance(ex ?? this.db, { projectId, userId, itemId: currencyItemId });
  }

  // ---------- internals ----------

  /**
   * The leaves of `lines`: each line's item, or for a bundle its content × quantity, recursively; content items
   * that are disabled are skipped (the catalog does not show them either). Leaves of one line are merged per item.
   * With `skipped`, a line that cannot be expanded (item gone, a game row, nested too deeply) is left out and
   * recorded there instead of thrown.
   * @throws 404/4001 an item is gone; 422/1102 a line cannot be delivered (without `skipped`)
   */
  private async expand(
    trx: Executor,
    projectId: number,
    lines: OrderLine[],
    skipped?: UndeliveredItem[],
  ): Promise<Leaf[]> {
    const meta = new Map<number, ItemMeta>();
    let wanted = lines.map((l) => l.item_id);
    for (let depth = 0; wanted.length && depth <= MAX_BUNDLE_DEPTH + 1; depth++) {
      const loaded = await repo.itemsMeta(
        trx,
        projectId,
        wanted.filter((id) => !meta.has(id)),
      );
      for (const [id, m] of loaded) meta.set(id, m);
      wanted = [...loaded.values()].flatMap((m) => [
        ...m.content.map((c) => c.item_id),
        ...(m.type === 'game_key' && m.parent_item_id !== null ? [m.parent_item_id] : []),
      ]);
      wanted = wanted.filter((id) => !meta.has(id));
    }
    const leaves = new Map<string, Leaf>();
    let lineLeaves = new Map<string, Leaf>();
    const walk = (line: OrderLine, itemId: number, quantity: number, depth: number, top: boolean) => {
      const item = meta.get(itemId);
      if (!item) throw new AppError('ITEM_NOT_FOUND', `Item with sku = '${line.sku}' not found`);
      if (!top && !item.is_enabled) return;
      if (!Number.isSafeInteger(quantity)) throw invalid('quantity', `Too many units of '${item.sku}'`);
      if (item.type === 'bundle') {
        if (depth >= MAX_BUNDLE_DEPTH) throw invalid('sku', `Bundle '${line.sku}' is nested too deeply`);
        for (const c of item.content) walk(line, c.item_id, quantity * c.quantity, depth + 1, false);
        return;
      }
      if (item.type === 'game') throw invalid('sku', `Item with sku = '${item.sku}' cannot be delivered`);
      const key = `${line.position}:${item.item_id}`;
      const leaf = lineLeaves.get(key);
      if (leaf) leaf.quantity += quantity;
      else {
        const game = item.parent_item_id === null ? undefined : meta.get(item.parent_item_id);
        lineLeaves.set(key, { position: line.position, item, quantity, game });
      }
    };
    for (const line of lines) {
      lineLeaves = new Map();
      try {
        walk(line, line.item_id, line.quantity, 0, true);
      } catch (e) {
        if (!skipped || !(e instanceof AppError)) throw e;
        skipped.push(undeliveredOf(e, line));
        continue;
      }
      for (const [key, leaf] of lineLeaves) leaves.set(key, leaf);
    }
    return [...leaves.values()];
  }

  /**
   * Grants each leaf to the user and records it; returns the game keys whose pool was drawn from. A game-key unit
   * takes a code the order reserved, else one still free in the pool. With `missing`, codes that cannot be found
   * are recorded there (the entitlement is still given: the game was paid for) instead of thrown.
   * @throws 422/1411 when a key has fewer codes than units (without `missing`)
   */
  private async grantLeaves(
    trx: Executor,
    leaves: Leaf[],
    c: {
      projectId: number;
      userId: string;
      orderId: number | null;
      sandbox: boolean;
      source: 'order' | 'admin';
      comment: string | null;
    },
    missing?: UndeliveredItem[],
  ): Promise<number[]> {
    const grants: NewGrant[] = [];
    const keyIds: number[] = [];
    const base = {
      project_id: c.projectId,
      user_id: c.userId,
      order_id: c.orderId,
      source: c.source,
      comment: c.comment,
    };
    for (const { position, item, quantity, game } of leaves) {
      const k = { projectId: c.projectId, userId: c.userId, itemId: item.item_id };
      const g = { ...base, line_position: position, item_id: item.item_id, sku: item.sku };
      if (item.type === 'virtual_currency') {
        await repo.credit(trx, k, quantity);
        grants.push({ ...g, kind: 'currency', quantity });
      } else if (item.type === 'virtual_good') {
        const vit = virtualItemTypeOf(item.inventory_options);
        if (vit === 'non_renewing_subscription') {
          const period = periodOf(item.inventory_options, quantity)!;
          await repo.extend(trx, k, period);
          grants.push({ ...g, kind: 'item', quantity, period });
        } else if (vit === 'consumable') {
          await repo.addUnits(trx, k, quantity);
          grants.push({ ...g, kind: 'item', quantity });
        } else {
          grants.push({ ...g, kind: 'item', quantity: await repo.addOnce(trx, k) });
        }
      } else if (item.type === 'game_key') {
        const codes =
          c.orderId === null
            ? []
            : await sellReservedCodes(trx, { unitItemId: item.item_id, quantity, orderId: c.orderId });
        if (codes.length < quantity)
          codes.push(
            ...(await claimCodes(trx, {
              unitItemId: item.item_id,
              quantity: quantity - codes.length,
              claimedBy: c.userId,
              orderId: c.orderId,
              reason: 'purchase',
            })),
          );
        if (codes.length < quantity) {
          if (!missing) throw codesExhausted(item.sku);
          missing.push({
            position,
            sku: item.sku,
            quantity: quantity - codes.length,
            reason: 'no_game_code',
            message: `No game code left for sku = '${item.sku}'`,
          });
        }
        keyIds.push(item.item_id);
        for (const code of codes)
          grants.push({ ...g, kind: 'game_code', quantity: 1, code_id: code.code_id, code: code.code });
        if (game) {
          const entitlementId = await entitlementsRepository.insertReturningId(trx, {
            project_id: c.projectId,
            user_id: c.userId,
            game_item_id: game.item_id,
            unit_item_id: item.item_id,
            drm: findDrm(item.drm_sku)?.short ?? item.drm_sku ?? 'drmfree',
            sandbox: c.sandbox,
            code_id: codes[0]?.code_id ?? null,
            source: 'purchase',
          });
          if (entitlementId !== null)
            grants.push({
              ...g,
              kind: 'entitlement',
              item_id: game.item_id,
              sku: game.sku,
              quantity: 1,
              entitlement_id: entitlementId,
            });
        }
      }
    }
    await repo.insertGrants(trx, grants);
    return keyIds;
  }

  /**
   * The virtual goods and currencies named by `ops`, by sku.
   * @throws 404/4001 for a sku that is none of them
   */
  private async resolveInventoryItems(trx: Executor, projectId: number, ops: InventoryOperation[]) {
    const skus = [...new Set(ops.flatMap((op) => op.items.map((i) => i.sku)))];
    const out = new Map<string, ItemMeta>();
    for (const sku of skus) {
      const row = await repo.itemBySku(trx, projectId, sku);
      if (!row || (row.type !== 'virtual_good' && row.type !== 'virtual_currency'))
        throw notInInventory(projectId, sku);
      out.set(sku, (await repo.itemsMeta(trx, projectId, [row.item_id])).get(row.item_id)!);
    }
    return out;
  }

  /** What the user holds of `item` now: balance, units, or 1/0 for an active/ended time-limited item. */
  private async holdingOf(trx: Executor, projectId: number, userId: string, item: ItemMeta): Promise<number> {
    const k = { projectId, userId, itemId: item.item_id };
    if (item.type === 'virtual_currency') return repo.balance(trx, k);
    const h = await repo.holding(trx, k);
    if (h.expires_at !== null) return h.expires_at.getTime() > Date.now() ? 1 : 0;
    return h.quantity;
  }
}

/** 422/1411: the key's pool cannot cover the units (at order creation, or an all-or-nothing delivery). */
function codesExhausted(sku: string): AppError {
  return new AppError('GAME_CODES_EXHAUSTED', `Invalid item. No game codes left for sku = '${sku}'`, [
    { property: sku, message: 'No game codes left' },
  ]);
}

function groupsView(item: ItemRecord | undefined, locale: string) {
  return (item?.groups ?? []).map((g) => ({
    external_id: g.external_id,
    name: pickLocalized(g.name, locale) ?? g.external_id,
  }));
}

function attributesView(item: ItemRecord | undefined, locale: string) {
  return (item?.attributes ?? []).map((a) => ({
    external_id: a.external_id,
    name: pickLocalized(a.name, locale) ?? a.external_id,
    values: a.values.map((v) => ({
      external_id: v.external_id,
      value: pickLocalized(v.value, locale) ?? v.external_id,
    })),
  }));
}
