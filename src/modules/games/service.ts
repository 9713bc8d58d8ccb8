/**
 * Games and game keys (spec groups game-keys-admin / game-keys-catalog; seed-details.md D, E, F, J, K, L).
 *
 * A game is an `items` row of type `game` (`unit_type` 'game'); its game keys (`unit_items`) are rows of type
 * `game_key` with `parent_item_id` = the game, one per DRM (`drm_sku`), each with its own prices, virtual prices,
 * limits, periods, regions and pre-order settings. Both are written through the shared item rules
 * (ItemsService.normalize) and the shared repository, in one catalog write (transaction + catalog_version bump).
 *
 * Each key has a pool of codes (`game_codes`, one row per code). `claimCode` / `claimCodes` hand codes out with
 * `FOR UPDATE SKIP LOCKED` + a conditional UPDATE, so no code ever goes to two receivers (DESIGN §5); they run in
 * the caller's transaction and are what orders (purchase), admin code requests and redemption use. An order
 * reserves its codes when it is created (`reserveCodes`, the same claim marked reserved), payment sells them
 * (`sellReservedCodes`) and expiry or cancellation gives them back (`releaseReservedCodes`) — ADR 0040. A reserved
 * code is taken for every other reader: `has_keys`, the admin counters (`used`), claims and deletions of free codes.
 */
import type { AvailabilityService } from '../availability/service.js';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CatalogStore } from '../../catalog/store.js';
import type { UnitOfWork, WriteOptions } from '../../db/unit-of-work.js';
import type { CatalogWriter } from '../catalog/writer.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError, invalid, itemNotFoundById, itemNotFoundBySku, skuExists } from '../../errors/app-error.js';
import { formatIsoWithOffset, parseIsoWithOffset } from '../../lib/dates.js';
import { adminItemView } from '../items/admin-view.js';
import type { ItemRecord } from '../items/model.js';
import { itemsRepository, type ItemWrite } from '../items/repository.js';
import type { ItemBody } from '../items/schemas.js';
import type { ItemKind, ItemsService } from '../items/service.js';
import { findDrm } from './drm.js';
import type { PreOrder } from './model.js';
import { gamesRepository as repo, type ClaimedCode, type KeyStats } from './repository.js';

export type { ClaimedCode } from './repository.js';
export { isPreOrder, releaseDateOf, type PreOrder } from './model.js';

/** The game row of a game (admin `type: "unit"`, `unit_type: "game"`). */
export const GAME: ItemKind = { type: 'game' };
/** A game key (admin/catalog `type: "game_key"`), child of a game. */
export const GAME_KEY: ItemKind = { type: 'game_key' };

/** Largest code upload accepted in one request, in bytes (≈ 1,000,000 codes of 60 characters). */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
/** Longest code kept by an upload, in characters; longer lines are skipped. */
export const MAX_CODE_LENGTH = 1024;

/** An item reference from a path: by SKU, or by numeric id given as a string (spec: `item_id` is a string). */
export type ItemRef = { sku: string } | { id: string };

/** A unit item of a create/update body (the shared item body plus the key's own fields). */
export type UnitItemInput = Omit<ItemBody, 'name' | 'limits'> & {
  name?: ItemBody['name'];
  drm_sku: string;
  pre_order?: { is_enabled: boolean; release_date: string; description?: string | null } | null;
  limits?:
    | (Omit<NonNullable<ItemBody['limits']>, 'per_item'> & {
        per_item?: number | { total: number } | null;
      })
    | null;
};

/** Body of admin-create-game / admin-update-game-* (seed K). */
export type GameInput = Omit<ItemBody, 'prices' | 'vc_prices' | 'limits' | 'periods' | 'regions'> & {
  unit_items: UnitItemInput[];
};

/** Session view of an upload (admin-upload-codes-*, admin-get-codes-session). */
export interface CodesSessionView {
  session_id: string;
  count_uploaded: number;
  count_total: number;
  count_skipped: number;
  status: string;
}

/**
 * Claims one unclaimed code of the game key `unitItemId` for `userId` (and `orderId`) inside the caller's
 * transaction `ex` (`SELECT … FOR UPDATE SKIP LOCKED LIMIT 1` + UPDATE; DESIGN §5). Returns the code, or null when
 * the key has no free code left (of `regionId` or of no region, when a region is given). Concurrent claims never
 * return the same code. The claim is undone if the caller's transaction rolls back. After commit, call
 * `GamesService.refreshAvailability` so the catalog's `has_keys` follows the pool.
 */
export async function claimCode(
  ex: Executor,
  r: { unitItemId: number; userId: string; orderId?: number | null; regionId?: number | null },
): Promise<ClaimedCode | null> {
  const [code] = await repo.claim(ex, {
    unitItemId: r.unitItemId,
    quantity: 1,
    claimedBy: r.userId,
    orderId: r.orderId ?? null,
    regionId: r.regionId ?? null,
  });
  return code ?? null;
}

/** Claims up to `quantity` codes at once, with the same guarantees as claimCode (fewer when the pool runs out). */
export function claimCodes(
  ex: Executor,
  r: {
    unitItemId: number;
    quantity: number;
    claimedBy: string;
    reason?: string | null;
    orderId?: number | null;
    regionId?: number | null;
  },
): Promise<ClaimedCode[]> {
  return repo.claim(ex, r);
}

/**
 * Reserves up to `quantity` free codes of the key `unitItemId` for the unpaid order `orderId` of `userId`, inside
 * the order's transaction (the claimCodes statement, rows marked reserved). Fewer when the pool runs out; the
 * caller refuses the order then. After commit, call `GamesService.refreshAvailability`.
 */
export function reserveCodes(
  ex: Executor,
  r: { unitItemId: number; quantity: number; userId: string; orderId: number },
): Promise<ClaimedCode[]> {
  return repo.claim(ex, {
    unitItemId: r.unitItemId,
    quantity: r.quantity,
    claimedBy: r.userId,
    orderId: r.orderId,
    reason: 'purchase',
    reserve: true,
  });
}

/**
 * Sells up to `quantity` of the codes the key `unitItemId` holds for order `orderId` (its payment), in the caller's
 * transaction; returns them. Fewer when codes reserved for it are gone (the key or its codes deleted meanwhile) or
 * were never reserved (an order created before reservations existed).
 */
export function sellReservedCodes(
  ex: Executor,
  r: { unitItemId: number; quantity: number; orderId: number },
): Promise<ClaimedCode[]> {
  return repo.sellReserved(ex, { orderId: r.orderId, itemId: r.unitItemId, quantity: r.quantity });
}

/**
 * Gives the codes held by the unpaid orders `orderIds` (expired, canceled, voided) back to their pools, in the
 * caller's transaction. Returns the keys that got codes back, per project (for refreshAvailability after commit).
 */
export async function releaseReservedCodes(ex: Executor, orderIds: number[]): Promise<Map<number, number[]>> {
  const byProject = new Map<number, number[]>();
  for (const r of await repo.releaseReserved(ex, orderIds)) {
    const keys = byProject.get(r.project_id) ?? [];
    keys.push(r.item_id);
    byProject.set(r.project_id, keys);
  }
  return byProject;
}

/** Splits an uploaded file into codes: one per line, trimmed, empty lines ignored (a leading BOM is dropped). */
export function parseCodes(content: string): string[] {
  return content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

const numericId = (raw: string): number | undefined =>
  /^\d{1,10}$/.test(raw) && Number(raw) <= 2_147_483_647 ? Number(raw) : undefined;

const notFound = (ref: ItemRef) => ('sku' in ref ? itemNotFoundBySku(ref.sku) : itemNotFoundById(ref.id));

/** Prefixes the properties of a 422 raised for `unit_items[i]` (the shared rules name the field alone). */
function inUnitItem(e: unknown, i: number): unknown {
  if (!(e instanceof AppError) || e.kind !== 'VALIDATION' || !e.extended) return e;
  return new AppError(
    e.kind,
    e.message,
    e.extended.map((d) => ({ ...d, property: `unit_items[${i}].${d.property}` })),
  );
}

function preOrderOf(input: UnitItemInput['pre_order'], i: number): PreOrder | null {
  if (!input) return null;
  const release = parseIsoWithOffset(input.release_date);
  if (!release)
    throw invalid(`unit_items[${i}].pre_order.release_date`, 'Must be an ISO 8601 date-time with offset');
  return {
    is_enabled: input.is_enabled,
    release_date: formatIsoWithOffset(release.date, release.offsetMinutes),
    description: input.description ?? null,
  };
}

/** The admin view of the pre-order settings (always an object, as in seed J). */
const preOrderView = (p: unknown) => {
  const po = p as Partial<PreOrder> | null;
  return {
    is_enabled: po?.is_enabled ?? false,
    release_date: po?.release_date ?? null,
    description: po?.description ?? null,
  };
};

const sortKeys = (keys: ItemRecord[]) => [...keys].sort((a, b) => a.order - b.order || a.item_id - b.item_id);

export class GamesService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: CatalogWriter,
    private readonly items: ItemsService,
    private readonly catalog: CatalogStore,
    private readonly availability: Pick<AvailabilityService, 'keysChanged'>,
    private readonly uow: UnitOfWork,
  ) {}

  // ---------- games ----------

  /**
   * Creates a game and its keys (seed K). Returns `{item_id, sku}` of the game.
   * @throws 422/4002 when the game's or a key's sku exists; 422/1102 (unknown or repeated DRM, bad dates, duplicate
   *         key skus, unknown virtual currency); 404/4403 (unknown group)
   */
  async create(
    projectId: number,
    body: GameInput,
    write: WriteOptions = {},
  ): Promise<{ item_id: number; sku: string }> {
    return this.items.write(projectId, body.sku, write, async (trx) => {
      const taken = await itemsRepository.resolveSkus(trx, projectId, this.skusOf(body));
      if (taken.size > 0) throw skuExists([...taken.keys()][0], projectId);
      const { game, keys } = await this.normalize(trx, projectId, body);
      const gameId = await itemsRepository.insert(trx, projectId, game);
      for (const key of keys)
        await itemsRepository.insert(trx, projectId, { ...key, parent_item_id: gameId });
      return { item_id: gameId, sku: body.sku };
    });
  }

  /**
   * Replaces the game `ref` and its keys with `body` (admin PUT replaces; spec/NOTES.md). A key of the body keeps
   * the existing key of the same sku, else of the same DRM (so its codes survive a sku change); existing keys left
   * out are deleted with their codes.
   * @throws 404/4001 (no such game); 422/4002 (sku of another item); 422/1102 (as create, or a removed key is
   *         content of a bundle)
   */
  async update(projectId: number, ref: ItemRef, body: GameInput, write: WriteOptions = {}): Promise<void> {
    await this.items.write(projectId, body.sku, write, async (trx) => {
      const current = await this.findGame(trx, projectId, ref);
      const existing = await repo.keysOf(trx, current.item_id);
      const own = new Set([current.sku, ...existing.map((k) => k.sku)]);
      const taken = await itemsRepository.resolveSkus(trx, projectId, this.skusOf(body));
      const foreign = [...taken.keys()].find((sku) => !own.has(sku));
      if (foreign) throw skuExists(foreign, projectId);

      const { game, keys } = await this.normalize(trx, projectId, body, current.sku);
      await itemsRepository.replace(trx, current.item_id, game);
      const bySku = new Map(existing.map((k) => [k.sku, k.item_id]));
      const drmOf = new Map(existing.map((k) => [k.item_id, findDrm(k.drm_sku)?.drm_id]));
      const kept = new Set<number>();
      const pending: ItemWrite[] = [];
      for (const key of keys) {
        const id = bySku.get(key.sku);
        if (id !== undefined) kept.add(id);
        else pending.push(key);
      }
      for (const key of pending) {
        const drmId = findDrm(key.drm_sku)?.drm_id;
        const reuse = existing.find((k) => !kept.has(k.item_id) && drmOf.get(k.item_id) === drmId);
        if (reuse) kept.add(reuse.item_id);
        const write = { ...key, parent_item_id: current.item_id };
        if (reuse) await itemsRepository.replace(trx, reuse.item_id, write);
        else await itemsRepository.insert(trx, projectId, write);
      }
      for (const key of keys) {
        const id = bySku.get(key.sku);
        if (id !== undefined)
          await itemsRepository.replace(trx, id, { ...key, parent_item_id: current.item_id });
      }
      for (const old of existing.filter((k) => !kept.has(k.item_id))) {
        await this.assertUnused(trx, old.item_id, old.sku);
        await itemsRepository.delete(trx, old.item_id);
      }
    });
  }

  /**
   * Deletes the game `ref` with its keys and their codes (entitlements to it go too).
   * @throws 404/4001; 422/1102 while a bundle holds the game or one of its keys
   */
  async remove(projectId: number, ref: ItemRef, write: WriteOptions = {}): Promise<void> {
    await this.writer.run(projectId, write, async (trx) => {
      const game = await this.findGame(trx, projectId, ref);
      await this.assertUnused(trx, game.item_id, game.sku);
      for (const key of await repo.keysOf(trx, game.item_id))
        await this.assertUnused(trx, key.item_id, key.sku);
      await itemsRepository.delete(trx, game.item_id);
    });
  }

  /** The admin view of the game `ref` (seed J item). @throws 404/4001 */
  async get(projectId: number, ref: ItemRef) {
    const id = 'id' in ref ? numericId(ref.id) : undefined;
    if ('id' in ref && id === undefined) throw notFound(ref);
    const [game] = await itemsRepository.load(this.db, projectId, {
      types: ['game'],
      ...('sku' in ref ? { sku: ref.sku } : { itemId: id }),
    });
    if (!game) throw notFound(ref);
    return (await this.adminViews(projectId, [game]))[0];
  }

  /** A page of the project's games, enabled or not (seed J). */
  async list(projectId: number, page: { limit: number; offset: number }) {
    const games = await itemsRepository.load(this.db, projectId, { types: ['game'], ...page });
    return this.adminViews(projectId, games);
  }

  // ---------- codes ----------

  /**
   * Stores the codes of `content` (one per line) in the pool of the key `ref`, in one transaction, and records the
   * upload session. Codes the key already has, codes repeated in the file and lines longer than MAX_CODE_LENGTH are
   * skipped: `count_total` = non-empty lines = `count_uploaded` + `count_skipped`.
   * @throws 404/4001 (no such key, or no such region)
   */
  async upload(
    projectId: number,
    ref: ItemRef,
    content: string,
    regionId: number | null,
    write: WriteOptions = {},
  ) {
    const lines = parseCodes(content);
    const unique = [...new Set(lines.filter((c) => c.length <= MAX_CODE_LENGTH))];
    return this.writer.run(projectId, write, async (trx, change): Promise<CodesSessionView> => {
      const key = await this.findKey(trx, projectId, ref);
      change.items(key.item_id);
      await this.assertRegion(trx, projectId, regionId);
      const session_id = randomBytes(16).toString('hex');
      const uploaded = await repo.insertCodes(trx, {
        projectId,
        itemId: key.item_id,
        regionId,
        sessionId: session_id,
        codes: unique,
      });
      const view = {
        session_id,
        count_uploaded: uploaded,
        count_total: lines.length,
        count_skipped: lines.length - uploaded,
        status: 'finished',
      };
      await repo.insertSession(trx, {
        ...view,
        project_id: projectId,
        item_id: key.item_id,
        region_id: regionId,
      });
      return view;
    });
  }

  /** The upload session `sessionId`. @throws 404 when the project has no such session */
  async session(projectId: number, sessionId: string): Promise<CodesSessionView> {
    const s = await repo.findSession(this.db, projectId, sessionId);
    if (!s) throw new AppError('CODES_SESSION_NOT_FOUND');
    return s;
  }

  /**
   * Hands `quantity` codes of the key `ref` to `userEmail` (admin-get-codes-*): claims them like a purchase does,
   * recording the receiver and `reason`. Returns fewer codes when the pool runs out (none when it is empty).
   * @throws 404/4001 (no such key or region)
   */
  async requestCodes(
    projectId: number,
    ref: ItemRef,
    q: { userEmail: string; quantity: number; reason: string; regionId: number | null },
    write: WriteOptions = {},
  ): Promise<string[]> {
    const { keyId, codes } = await this.uow.run(write, async ({ trx }) => {
      const key = await this.findKey(trx, projectId, ref);
      await this.assertRegion(trx, projectId, q.regionId);
      const claimed = await claimCodes(trx, {
        unitItemId: key.item_id,
        quantity: q.quantity,
        claimedBy: q.userEmail,
        reason: q.reason,
        regionId: q.regionId,
      });
      return { keyId: key.item_id, codes: claimed.map((c) => c.code) };
    });
    await this.refreshAvailability(projectId, [keyId]);
    return codes;
  }

  /**
   * Deletes every unclaimed code of the key `ref` (of `regionId` only, when given) and returns them. Codes already
   * handed out are kept: they are the record of what buyers received.
   * @throws 404/4001 (no such key or region)
   */
  async deleteCodes(
    projectId: number,
    ref: ItemRef,
    regionId: number | null,
    write: WriteOptions = {},
  ): Promise<string[]> {
    return this.writer.run(projectId, write, async (trx, change) => {
      const key = await this.findKey(trx, projectId, ref);
      change.items(key.item_id);
      await this.assertRegion(trx, projectId, regionId);
      return repo.deleteFree(trx, key.item_id, regionId);
    });
  }

  /**
   * Call after committing claims or releases of codes: the availability service re-reads the pools of these keys
   * and the catalog shows the new `has_keys` on its next read, in every process — no catalog write, no version
   * bump (issue 14 §3).
   */
  async refreshAvailability(projectId: number, unitItemIds: number[]): Promise<void> {
    await this.availability.keysChanged(projectId, unitItemIds);
  }

  // ---------- helpers ----------

  /** The game `ref` (locked), or 404/4001. */
  async findGame(ex: Executor, projectId: number, ref: ItemRef) {
    return this.findTyped(ex, projectId, ref, 'game');
  }

  /** The game key `ref` (locked), or 404/4001. */
  async findKey(ex: Executor, projectId: number, ref: ItemRef) {
    return this.findTyped(ex, projectId, ref, 'game_key');
  }

  private async findTyped(ex: Executor, projectId: number, ref: ItemRef, type: string) {
    const id = 'id' in ref ? numericId(ref.id) : undefined;
    if ('id' in ref && id === undefined) throw notFound(ref);
    const row = await repo.findItem(ex, projectId, 'sku' in ref ? { sku: ref.sku } : { id });
    if (!row || row.type !== type) throw notFound(ref);
    return row;
  }

  private async assertRegion(ex: Executor, projectId: number, regionId: number | null) {
    if (regionId !== null && !(await repo.regionExists(ex, projectId, regionId)))
      throw new AppError('ITEM_NOT_FOUND', `Region with id = ${regionId} not found`);
  }

  /** 422 when a bundle holds the item or items are priced in it (the delete would break them). */
  private async assertUnused(ex: Executor, itemId: number, sku: string) {
    const blockers = await itemsRepository.dependents(ex, itemId);
    if (blockers.length)
      throw invalid('sku', `Item with sku = '${sku}' is used by: ${blockers.slice(0, 10).join(', ')}`);
  }

  private skusOf(body: GameInput): string[] {
    return [...new Set([body.sku, ...body.unit_items.map((u) => u.sku)])];
  }

  /**
   * The writes of a game body: the game row through the shared item rules, and one key row per unit item (its
   * name defaults to the game's; `per_item` given as an object counts its `total`).
   * @throws 422/1102 (unknown or repeated DRM, repeated sku, bad pre-order date, or any shared rule)
   */
  private async normalize(ex: Executor, projectId: number, body: GameInput, selfSku?: string) {
    const { unit_items, ...gameBody } = body;
    const game = await this.items.normalize(ex, projectId, GAME, gameBody as ItemBody, selfSku);
    game.unit_type = 'game';
    const skus = new Set([body.sku]);
    const drms = new Set<number>();
    const keys: ItemWrite[] = [];
    for (const [i, u] of unit_items.entries()) {
      const drm = findDrm(u.drm_sku);
      if (!drm) throw invalid(`unit_items[${i}].drm_sku`, `DRM with sku = '${u.drm_sku}' not found`);
      if (drms.has(drm.drm_id))
        throw invalid(`unit_items[${i}].drm_sku`, `The game already has a key for DRM '${u.drm_sku}'`);
      if (skus.has(u.sku)) throw invalid(`unit_items[${i}].sku`, `The sku '${u.sku}' is used twice`);
      drms.add(drm.drm_id);
      skus.add(u.sku);
      const pre_order = preOrderOf(u.pre_order, i);
      const perItem = u.limits?.per_item;
      const keyBody = {
        ...u,
        name: u.name ?? body.name,
        limits: u.limits
          ? { ...u.limits, per_item: typeof perItem === 'object' && perItem ? perItem.total : perItem }
          : u.limits,
      } as ItemBody;
      let key: ItemWrite;
      try {
        key = await this.items.normalize(ex, projectId, GAME_KEY, keyBody);
      } catch (e) {
        throw inUnitItem(e, i);
      }
      keys.push({ ...key, drm_sku: u.drm_sku, pre_order: pre_order as Record<string, unknown> | null });
    }
    return { game, keys };
  }

  /** Admin views of `games` (seed J): each with its keys, their DRM and code counters. */
  private async adminViews(projectId: number, games: ItemRecord[]) {
    const keysOf = new Map<number, ItemRecord[]>();
    for (const g of games) {
      const keys = await itemsRepository.load(this.db, projectId, {
        types: ['game_key'],
        parentItemId: g.item_id,
      });
      keysOf.set(g.item_id, sortKeys(keys));
    }
    const allKeys = [...keysOf.values()].flat();
    const stats = await repo.stats(
      this.db,
      allKeys.map((k) => k.item_id),
    );
    const currencies = await this.items.byIds(
      projectId,
      allKeys.flatMap((k) => k.vc_prices.map((p) => p.currency_item_id)),
    );
    return games.map((g) => {
      const v = adminItemView(g);
      return {
        item_id: v.item_id,
        sku: v.sku,
        type: 'unit' as const,
        unit_type: 'game' as const,
        name: v.name,
        description: v.description,
        long_description: v.long_description,
        image_url: v.image_url,
        media_list: v.media_list,
        groups: v.groups,
        attributes: v.attributes,
        is_enabled: v.is_enabled,
        is_show_in_store: v.is_show_in_store,
        is_free: v.is_free,
        order: v.order,
        custom_attributes: v.custom_attributes,
        unit_items: (keysOf.get(g.item_id) ?? []).map((k) =>
          this.adminKeyView(k, stats.get(k.item_id), currencies),
        ),
      };
    });
  }

  private adminKeyView(key: ItemRecord, stats: KeyStats | undefined, currencies: Map<number, ItemRecord>) {
    const v = adminItemView(key);
    const drm = findDrm(key.drm_sku);
    const keys = stats ?? { total: 0, available: 0, used: 0 };
    return {
      item_id: v.item_id,
      sku: v.sku,
      type: 'game_key' as const,
      name: v.name,
      long_description: v.long_description,
      is_enabled: v.is_enabled,
      is_show_in_store: v.is_show_in_store,
      is_free: v.is_free,
      order: v.order,
      groups: v.groups,
      attributes: v.attributes,
      prices: v.prices,
      virtual_prices: key.vc_prices.map((p) => {
        const vc = currencies.get(p.currency_item_id);
        return {
          sku: p.sku,
          type: 'virtual_currency',
          name: vc?.name ?? null,
          description: vc?.description ?? null,
          image_url: vc?.image_url ?? null,
          amount: p.amount,
          is_default: p.is_default,
          is_enabled: p.is_enabled,
        };
      }),
      regions: v.regions,
      limits: v.limits,
      periods: v.periods,
      drm_sku: key.drm_sku ?? '',
      drm_name: drm?.name ?? key.drm_sku ?? '',
      drm_id: drm?.drm_id ?? 0,
      drm_image: drm?.image ?? null,
      keys,
      is_sales_exist: keys.used > 0,
      pre_order: preOrderView(key.pre_order),
    };
  }
}
