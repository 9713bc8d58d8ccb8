/**
 * Carts (spec groups cart-client-side and cart-server-side; docs/decisions/0017-carts.md): a user's current
 * cart and carts by id, fill / put / delete / clear, the client view with prices and totals, the server-side
 * fill for a user named by `x-user-for` / `x-user-id`, and `takeForOrder`, which turns a cart into order lines.
 *
 * - Carts belong to one user of one project and live in the database (migration 0004). Every `{cart_id}` call
 *   answers 404/1401 unless the cart is the caller's and still open (Xsolla error list: 1401 "Cart not found").
 * - A by-id write (fill, put) to an id nobody uses creates that cart for the caller (the spec's ids are the
 *   client's own, e.g. `custom_id`); `/cart` without an id addresses the user's current cart, created on demand.
 * - Writes take the caller's transaction (the Idempotency-Key runner's) and lock the cart row first, so
 *   concurrent fills and puts on one cart serialize. Reads render from the catalog snapshot (no item SQL).
 * - What may be put: an existing, enabled, shown, in-period item of a sellable type, priced in real money or
 *   free; else 404/4001 (unknown, disabled, hidden, out of period) or 422/1421 (a game, an item sold only for
 *   virtual currency, a non-game-key item in a guest cart). Guests (AuthForCart guest mode) and server-side
 *   `x-user-id` users may only put game keys (seed-details §1.3; spec header x-user-id).
 * - Quantities are integers 0…1 000 000 (422/1102 `Item quantity must be non-negative integer` otherwise);
 *   0 removes the line; a cart holds at most 500 skus.
 */
import { randomInt } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Decimal } from 'decimal.js';
import type { Kysely } from 'kysely';
import type { CatalogSnapshot } from '../../catalog/snapshot.js';
import type { UnitOfWork, WriteOptions } from '../../db/unit-of-work.js';
import type { CatalogStore } from '../../catalog/store.js';
import { enabledGameOf } from '../../catalog/render-games.js';
import { renderItem } from '../../catalog/render.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError } from '../../errors/app-error.js';
import { SERVICE_PREFIX } from '../../errors/codes.js';
import { isInPeriod, type ItemRecord } from '../items/model.js';
import type { CartForOrder } from '../orders/model.js';
import { assertWithinLimits } from '../limits/service.js';
import type { ProjectRecord, TenancyService, UserIdentity } from '../tenancy/service.js';
import { cartRepository as repo, type CartLine, type CartRow } from './repository.js';
import { priceCart, renderCart, type CartWarning } from './view.js';

/** Item types a cart takes (games are sold through their keys). */
export const CART_TYPES: readonly ItemRecord['type'][] = [
  'virtual_good',
  'virtual_currency',
  'bundle',
  'game_key',
];
/** Largest quantity of one line. */
export const MAX_QUANTITY = 1_000_000;
/** Most skus in one cart. */
export const MAX_LINES = 500;
/** Ids a client may give its own carts. */
const CART_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/** How a cart is shown: language (two letters), buyer's country, requested currency (ISO 4217). */
export interface CartViewOptions {
  locale: string;
  country: string | null;
  currency?: string;
}

/** A requested line of a fill. */
export interface FillLine {
  sku: string;
  quantity: number;
}

/** A cart turned into order lines: the port's type (orders/model.ts), re-exported for callers of the cart. */
export type { CartForOrder };

const cartNotFound = () => new AppError('CART_NOT_FOUND');
const itemNotFound = (projectId: number, sku: string) =>
  new AppError('ITEM_NOT_FOUND', `Item with Project Id = ${projectId} and Sku = ${sku} not found`);
const badQuantity = (property: string, message = 'Item quantity must be non-negative integer') =>
  new AppError('VALIDATION', message, [{ property, message }]);

/** Generated cart ids: 16 digits (a string, spec/NOTES.md). */
const newCartId = () =>
  `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;

export class CartService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly catalog: CatalogStore,
    private readonly tenancy: TenancyService,
  ) {}

  // ---------- reads ----------

  /**
   * get-user-cart / get-cart-by-id: the view `{cart_id, price, is_free, items[], promotions[]}`. Without an id
   * the user's current cart (created empty when missing).
   * @throws 404/1401 when `cartId` is not an open cart of the user.
   */
  async get(projectId: number, user: UserIdentity, cartId: string | undefined, opts: CartViewOptions) {
    const snapshot = await this.catalogOf(projectId);
    let cart: CartRow | undefined;
    if (cartId === undefined) cart = await this.current(this.db, projectId, user, false);
    else cart = this.owned(await repo.byId(this.db, projectId, cartId), user);
    return this.view(snapshot, cart, await repo.lines(this.db, cart.cart_pk), opts);
  }

  // ---------- writes (each one unit of work; WriteOptions carry the Idempotency-Key) ----------

  /**
   * cart-fill, cart-fill-by-id, admin-cart-fill, admin-fill-cart-by-id: replaces the cart's content with
   * `items` (a sku given twice keeps its last quantity; quantity 0 leaves it out). Lines that cannot be put are
   * skipped and reported in `warnings[]` with their error code (4001, 1421, 1411 past a purchase limit). `prefs` (a currency or country a
   * fill names) is remembered for later views and orders of this cart. Returns the cart view with `warnings`.
   * @throws 422/1102 for a quantity that is not an integer in 0…1 000 000 or more than 500 skus (nothing
   *         changes); 404/1401 for a cart id of another user or an ordered cart.
   */
  async fill(
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    items: FillLine[],
    opts: CartViewOptions,
    prefs: { currency?: string; country?: string } = {},
    write: WriteOptions = {},
  ) {
    const wanted = new Map<string, number>();
    items.forEach((line, i) => {
      checkQuantity(line.quantity, `items[${i}].quantity`);
      wanted.delete(line.sku); // the last occurrence wins and takes the last position
      if (line.quantity > 0) wanted.set(line.sku, line.quantity);
    });
    if (wanted.size > MAX_LINES)
      throw badQuantity('items', `A cart holds at most ${MAX_LINES} different items`);
    const snapshot = await this.catalogOf(projectId);
    return this.uow.run(write, async ({ trx }) => {
      const cart = await this.writable(trx, projectId, user, cartId, true);
      const accepted: CartLine[] = [];
      const warnings: CartWarning[] = [];
      for (const [sku, quantity] of wanted) {
        const why =
          rejection(snapshot, projectId, sku, user, this.catalog.now()) ??
          (await overLimit(trx, snapshot, user, sku, quantity, this.catalog.now()));
        if (why) warnings.push({ sku, quantity, errorCode: why.errorCode, errorMessage: prefixed(why) });
        else accepted.push({ sku, quantity });
      }
      await repo.replaceLines(trx, cart.cart_pk, accepted);
      await repo.touch(trx, cart.cart_pk, prefs);
      const stored = {
        ...cart,
        currency: prefs.currency ?? cart.currency,
        country: prefs.country ?? cart.country,
      };
      return this.view(snapshot, stored, accepted, opts, warnings);
    });
  }

  /**
   * put-item, put-item-by-cart-id: sets the quantity of `sku` (adds it at the end when absent; 0 removes it).
   * @throws 422/1102 (quantity), 404/4001 (unknown, disabled, hidden or out-of-period item), 422/1421 (an item this
   *         cart cannot take), 422/1411 (past a purchase limit of the user), 404/1401 (cart of another user or
   *         ordered).
   */
  async putItem(
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    sku: string,
    quantity: number,
    write: WriteOptions = {},
  ): Promise<void> {
    checkQuantity(quantity, 'quantity');
    const snapshot = await this.catalogOf(projectId);
    return this.uow.run(write, async ({ trx }) => {
      // the cart first: anyone but its owner gets 404 whatever the item (a new cart rolls back with an error)
      const cart = await this.writable(trx, projectId, user, cartId, quantity > 0);
      if (quantity === 0) await repo.deleteLine(trx, cart.cart_pk, sku);
      else {
        const why =
          rejection(snapshot, projectId, sku, user, this.catalog.now()) ??
          (await overLimit(trx, snapshot, user, sku, quantity, this.catalog.now()));
        if (why) throw why;
        const lines = await repo.lines(trx, cart.cart_pk);
        if (!lines.some((l) => l.sku === sku) && lines.length >= MAX_LINES)
          throw badQuantity('item_sku', `A cart holds at most ${MAX_LINES} different items`);
        await repo.upsertLine(trx, cart.cart_pk, sku, quantity);
      }
      await repo.touch(trx, cart.cart_pk);
    });
  }

  /**
   * delete-item, delete-item-by-cart-id: removes the line of `sku`.
   * @throws 404/4001 when the cart has no such line; 404/1401 (cart of another user, unknown or ordered).
   */
  async deleteItem(
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    sku: string,
    write: WriteOptions = {},
  ): Promise<void> {
    return this.uow.run(write, async ({ trx }) => {
      const cart = await this.writable(trx, projectId, user, cartId, false);
      if (!(await repo.deleteLine(trx, cart.cart_pk, sku))) throw itemNotFound(projectId, sku);
      await repo.touch(trx, cart.cart_pk);
    });
  }

  /**
   * cart-clear, cart-clear-by-id: removes every line.
   * @throws 404/1401 (cart of another user, unknown or ordered).
   */
  async clear(
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    write: WriteOptions = {},
  ): Promise<void> {
    return this.uow.run(write, async ({ trx }) => {
      const cart = await this.writable(trx, projectId, user, cartId, false);
      await repo.replaceLines(trx, cart.cart_pk, []);
      await repo.touch(trx, cart.cart_pk);
    });
  }

  /**
   * For the orders module: locks the cart (`FOR UPDATE`), validates every line against the current catalog
   * (sellable now for `opts.country`, priced in the cart's one currency unless free; who may buy what — guests
   * only game keys, paid orders no free items — is the orders module's rule, from the returned `type`/`is_free`),
   * marks the cart ordered (the user's next `/cart` call starts a new current cart) and returns its lines with
   * unit prices. `opts.currency` overrides the currency the cart remembers; pass `opts.snapshot` when the caller
   * read the catalog before its transaction (see `catalogOf`), else the cached snapshot is used.
   * @throws 404/1401 (the cart id is not the user's), 422/1401 (the cart was already ordered), 422/1417 (no
   *         lines), 422/1411 (an item that cannot be bought now or has no price in the currency).
   */
  async takeForOrder(
    trx: Executor,
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    opts: { currency?: string; locale?: string; country?: string | null; snapshot?: CatalogSnapshot },
  ): Promise<CartForOrder> {
    const snapshot = opts.snapshot ?? (await this.catalogOf(projectId));
    let cart: CartRow | undefined;
    if (cartId === undefined) {
      cart = await repo.current(trx, projectId, user.userId, true);
      if (!cart) throw new AppError('EMPTY_CART');
    } else {
      cart = await repo.byId(trx, projectId, cartId, true);
      if (!cart || cart.user_id !== user.userId) throw cartNotFound();
      if (cart.status !== 'open') throw new AppError('INVALID_CART', 'Invalid cart. It was already ordered');
    }
    const country = opts.country ?? cart.country;
    const currency = opts.currency ? opts.currency.toUpperCase() : undefined;
    const priced = priceCart(snapshot, await repo.lines(trx, cart.cart_pk), country, currency, cart.currency);
    if (priced.lines.length === 0) throw new AppError('EMPTY_CART');
    const now = this.catalog.now();
    const ctx = this.catalog.context(snapshot, {
      locale: opts.locale ?? 'en',
      country,
      fields: [],
      showInactive: false,
    });
    for (const line of priced.lines) {
      const why = rejection(snapshot, projectId, line.sku, { ...user, guest: false }, now);
      if (why || renderItem(line.item, ctx).can_be_bought !== true)
        throw new AppError('INVALID_ITEM', `Invalid item. Item ${line.sku} cannot be bought now`);
      if (!line.item.is_free && !line.price)
        throw new AppError(
          'INVALID_ITEM',
          `Invalid item. Item ${line.sku} has no price in ${priced.currency ?? 'the cart currency'}`,
        );
    }
    if (!(await repo.markOrdered(trx, cart.cart_pk))) throw new AppError('INVALID_CART');
    const total = priced.total.toFixed();
    return {
      cart_id: cart.cart_id,
      currency: priced.isFree ? null : priced.currency,
      lines: priced.lines.map((l) => ({
        item_id: l.item.item_id,
        sku: l.item.sku,
        type: l.item.type,
        quantity: l.quantity,
        amount: l.price && !l.item.is_free ? normalize(l.price.amount) : '0',
        amount_without_discount: l.price && !l.item.is_free ? normalize(l.price.amount) : '0',
        is_free: l.item.is_free,
      })),
      amount: total,
      amount_without_discount: total,
      is_free: priced.isFree,
    };
  }

  /**
   * The user of a server-side cart call: `x-user-for` (a user JWT of the project, or an unexpired payment token
   * of it) wins over `x-user-id` (the studio's own user id, ≤ 32 characters; such carts take game keys only).
   * @throws 404/5008 when neither identifies a user.
   */
  async serverUser(project: ProjectRecord, headers: IncomingHttpHeaders): Promise<UserIdentity> {
    const header = (name: string) => {
      const v = headers[name];
      const s = (Array.isArray(v) ? v[0] : v)?.trim();
      return s ? s : undefined;
    };
    const userFor = header('x-user-for');
    if (userFor) {
      const token = userFor.replace(/^Bearer\s+/i, '');
      try {
        return await this.tenancy.verifyUserToken(project, token);
      } catch {
        const userId = await repo.userOfPaymentToken(this.db, project.project_id, token);
        if (userId) return { userId, claims: {}, guest: userId.startsWith('guest:') };
        throw new AppError('USER_NOT_FOUND');
      }
    }
    const own = header('x-user-id');
    if (own && own.length <= 32) return { userId: own, claims: {}, guest: true };
    throw new AppError('USER_NOT_FOUND');
  }

  // ---------- internals ----------

  /**
   * The project's catalog snapshot (read before a unit of work: loading it uses the pool).
   * @throws 404 for an unknown project.
   */
  async catalogOf(projectId: number): Promise<CatalogSnapshot> {
    const s = await this.catalog.snapshot(projectId);
    if (!s) throw new AppError('PROJECT_NOT_FOUND', `Project with id = ${projectId} not found`);
    return s;
  }

  private view(
    snapshot: CatalogSnapshot,
    cart: CartRow,
    lines: CartLine[],
    opts: CartViewOptions,
    warnings?: CartWarning[],
  ) {
    const country = opts.country ?? cart.country;
    const priced = priceCart(snapshot, lines, country, opts.currency, cart.currency);
    const ctx = this.catalog.context(snapshot, {
      locale: opts.locale,
      country,
      fields: [],
      showInactive: false,
    });
    return renderCart(cart.cart_id, priced, ctx, warnings);
  }

  /** The user's current cart, created when missing (locked when `lock`). */
  private async current(
    ex: Executor,
    projectId: number,
    user: UserIdentity,
    lock: boolean,
  ): Promise<CartRow> {
    const found = await repo.current(ex, projectId, user.userId, lock);
    if (found) return found;
    await repo.insert(ex, { projectId, cartId: newCartId(), userId: user.userId, current: true });
    const created = await repo.current(ex, projectId, user.userId, lock);
    if (!created) throw new Error('current cart vanished after its insert');
    return created;
  }

  /** `cart` when it is an open cart of `user`; else 404/1401. */
  private owned(cart: CartRow | undefined, user: UserIdentity): CartRow {
    if (!cart || cart.user_id !== user.userId || cart.status !== 'open') throw cartNotFound();
    return cart;
  }

  /**
   * The cart a write changes, locked: the current cart, or the cart `cartId` of the user — created for the
   * user when `create` and nobody uses that id yet.
   */
  private async writable(
    trx: Executor,
    projectId: number,
    user: UserIdentity,
    cartId: string | undefined,
    create: boolean,
  ): Promise<CartRow> {
    if (cartId === undefined) return this.current(trx, projectId, user, true);
    let cart = await repo.byId(trx, projectId, cartId, true);
    if (!cart && create && CART_ID.test(cartId)) {
      await repo.insert(trx, { projectId, cartId, userId: user.userId, current: false });
      cart = await repo.byId(trx, projectId, cartId, true);
    }
    return this.owned(cart, user);
  }
}

/** 422/1102 unless `q` is an integer in 0…MAX_QUANTITY. */
function checkQuantity(q: number, property: string) {
  if (!Number.isInteger(q) || q < 0) throw badQuantity(property);
  if (q > MAX_QUANTITY) throw badQuantity(property, `Item quantity must be at most ${MAX_QUANTITY}`);
}

/** Why `sku` cannot be put to `user`'s cart now, or null when it can. */
function rejection(
  snapshot: CatalogSnapshot,
  projectId: number,
  sku: string,
  user: UserIdentity,
  now: number,
): AppError | null {
  const item = snapshot.bySku.get(sku);
  if (!item || !item.is_enabled || !item.is_show_in_store || !isInPeriod(item, now))
    return itemNotFound(projectId, sku);
  if (item.type === 'game_key' && !enabledGameOf(snapshot, item)) return itemNotFound(projectId, sku);
  if (!CART_TYPES.includes(item.type)) return new AppError('CART_ITEM_REJECTED');
  if (user.guest && item.type !== 'game_key')
    return new AppError(
      'CART_ITEM_REJECTED',
      'This type of item cannot be put to the cart. A cart without a user token takes game keys only.',
    );
  if (!item.is_free && !item.prices.some((p) => p.is_enabled))
    return new AppError(
      'CART_ITEM_REJECTED',
      `This type of item cannot be put to the cart. Item ${sku} is sold for virtual currency only.`,
    );
  return null;
}

/** 422/1411 when `quantity` of `sku` is past a purchase limit of the user (modules/limits), else null. */
async function overLimit(
  ex: Executor,
  snapshot: CatalogSnapshot,
  user: UserIdentity,
  sku: string,
  quantity: number,
  now: number,
): Promise<AppError | null> {
  const item = snapshot.bySku.get(sku);
  if (!item) return null;
  const line = { item_id: item.item_id, sku, quantity };
  return assertWithinLimits(ex, snapshot.project.project_id, user.userId, line, now).then(
    () => null,
    (e: unknown) => {
      if (e instanceof AppError) return e;
      throw e;
    },
  );
}

/** `[0401-<code>]: <message>` as in the error envelope (fill warnings carry the same text). */
const prefixed = (e: AppError) => `[${SERVICE_PREFIX}-${e.errorCode}]: ${e.message}`;

/** `"9.9900"` → `"9.99"` (exact decimal string without trailing zeros or exponent). */
const normalize = (amount: string) => new Decimal(amount).toFixed();
