/**
 * An immutable in-memory snapshot of one project's catalog at one `catalog_version` (DESIGN §4): every item
 * record, indexes by id, sku, type and group, the project's groups and regions, and the next instant at which
 * a sale period starts or ends (when rendered views must be rebuilt).
 */
import type { Localized } from '../lib/locale.js';
import type { ItemRecord, ItemType } from '../model/item.js';
import { releaseInstant } from '../model/game.js';

/**
 * The project a snapshot belongs to, as the catalog holds it (the same shape as tenancy's `ProjectInfo`, declared
 * here so the catalog imports no module): ids and display name. Secrets are not here: auth reads them from the
 * project directory (modules/tenancy/directory.ts), never from the catalog.
 */
export interface ProjectInfo {
  project_id: number;
  merchant_id: number;
  name: string;
}
import { nextResetAt } from '../model/schedule.js';

export interface GroupInfo {
  group_id: number;
  external_id: string;
  name: Localized;
  parent_group_id: number | null;
  is_enabled: boolean;
  order: number;
  description: Localized | null;
  image_url: string | null;
  created_at: Date;
}

export interface RegionInfo {
  region_id: number;
  countries: string[];
}

/**
 * Catalog order (itemsRepository.load): `order` ascending, then newest first, then the higher item_id first. Times
 * compare at millisecond precision here (the database orders by microseconds; two items created within one
 * millisecond fall back to item_id, which follows creation).
 */
export function catalogOrder(a: ItemRecord, b: ItemRecord): number {
  return a.order - b.order || b.created_at.getTime() - a.created_at.getTime() || b.item_id - a.item_id;
}

/** Changed entries a derived index carries over its base before it is flattened into a new Map. */
const FLATTEN_AT = 4096;

/**
 * A read-only index of a snapshot's items (by id or by sku): a flat Map, plus the entries changed by delta reloads
 * on top (null: deleted). Snapshots are immutable, so a delta shares its base's Map instead of copying 100k
 * entries; past FLATTEN_AT changes a new flat Map is built.
 */
export class ItemIndex<K> {
  constructor(
    private readonly base: Map<K, ItemRecord>,
    private readonly changes: Map<K, ItemRecord | null> = new Map(),
  ) {}

  get(key: K): ItemRecord | undefined {
    const c = this.changes.get(key);
    return c === undefined ? this.base.get(key) : (c ?? undefined);
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /** This index with `changes` applied (later entries win). */
  with(changes: Map<K, ItemRecord | null>): ItemIndex<K> {
    const merged = new Map(this.changes);
    for (const [k, v] of changes) merged.set(k, v);
    if (merged.size < FLATTEN_AT) return new ItemIndex(this.base, merged);
    const flat = new Map(this.base);
    for (const [k, v] of merged) {
      if (v === null) flat.delete(k);
      else flat.set(k, v);
    }
    return new ItemIndex(flat);
  }
}

export class CatalogSnapshot {
  readonly byId: ItemIndex<number>;
  readonly bySku: ItemIndex<string>;
  readonly groupsByExternalId = new Map<string, GroupInfo>();
  readonly groupsById = new Map<number, GroupInfo>();
  /** Every group of the project in display order (`order` asc, newest first). */
  readonly groups: readonly GroupInfo[];
  /** group_id → its items ordered by item_order_in_group, then the catalog order. */
  readonly groupMembers = new Map<number, ItemRecord[]>();
  readonly regions = new Map<number, RegionInfo>();
  /** Unclaimed codes per game key (item_id → count) when loaded; the store fills it before publishing (has_keys). */
  readonly availableKeys = new Map<number, number>();
  /** Every item in catalog order (`order` asc, newest first). */
  readonly ordered: readonly ItemRecord[];

  /**
   * @param patch when set, the snapshot is `patch.base` with the items `patch.changed` replaced by `patch.fresh`
   *   (`items` is already the merged list): indexes are copied from the base and only what changed is redone.
   */
  constructor(
    readonly project: ProjectInfo,
    readonly version: number,
    items: ItemRecord[],
    groups: GroupInfo[],
    regions: RegionInfo[],
    patch?: { base: CatalogSnapshot; changed: ReadonlySet<number>; fresh: ItemRecord[] },
  ) {
    this.ordered = items;
    this.groups = groups;
    for (const g of groups) {
      this.groupsByExternalId.set(g.external_id, g);
      this.groupsById.set(g.group_id, g);
    }
    for (const r of regions) this.regions.set(r.region_id, r);
    if (!patch) {
      const byId = new Map<number, ItemRecord>();
      const bySku = new Map<string, ItemRecord>();
      for (const item of items) {
        byId.set(item.item_id, item);
        bySku.set(item.sku, item);
      }
      this.byId = new ItemIndex(byId);
      this.bySku = new ItemIndex(bySku);
      this.buildGroupMembers(null);
      return;
    }
    const { base, changed, fresh } = patch;
    const ids = new Map<number, ItemRecord | null>();
    const skus = new Map<string, ItemRecord | null>();
    const touched = new Set<number>(); // groups whose member lists change
    for (const id of changed) {
      const old = base.byId.get(id);
      if (!old) continue;
      ids.set(id, null);
      skus.set(old.sku, null);
      for (const link of old.groups) touched.add(link.group_id);
    }
    for (const item of fresh) {
      ids.set(item.item_id, item);
      skus.set(item.sku, item);
      for (const link of item.groups) touched.add(link.group_id);
    }
    this.byId = base.byId.with(ids);
    this.bySku = base.bySku.with(skus);
    for (const [groupId, members] of base.groupMembers)
      if (!touched.has(groupId)) this.groupMembers.set(groupId, members);
    this.buildGroupMembers(touched);
  }

  /** Fills groupMembers for every group (`only` null) or only for the groups of `only`, in group order. */
  private buildGroupMembers(only: ReadonlySet<number> | null) {
    if (only?.size === 0) return;
    const positions = new Map<number, Map<number, number>>();
    const catalogIndex = new Map<number, number>();
    this.ordered.forEach((item, i) => {
      let member = false;
      for (const link of item.groups) {
        if (only && !only.has(link.group_id)) continue;
        member = true;
        let members = this.groupMembers.get(link.group_id);
        if (!members) this.groupMembers.set(link.group_id, (members = []));
        members.push(item);
        let pos = positions.get(link.group_id);
        if (!pos) positions.set(link.group_id, (pos = new Map()));
        pos.set(item.item_id, link.item_order_in_group);
      }
      if (member) catalogIndex.set(item.item_id, i);
    });
    for (const [groupId, pos] of positions) {
      this.groupMembers
        .get(groupId)!
        .sort(
          (a, b) =>
            pos.get(a.item_id)! - pos.get(b.item_id)! ||
            catalogIndex.get(a.item_id)! - catalogIndex.get(b.item_id)!,
        );
    }
  }

  /**
   * The snapshot at `version` that differs from this one only in the items `changedIds`: each is replaced by its
   * record in `fresh`, or left out when `fresh` has none (deleted), with `groups` and `regions` as read now (a
   * write that changes them is never a delta; re-reading them is cheap). O(N) merge; the caller fills
   * `availableKeys`.
   */
  withItems(
    project: ProjectInfo,
    version: number,
    changedIds: ReadonlySet<number>,
    fresh: ItemRecord[],
    groups: GroupInfo[],
    regions: RegionInfo[],
  ): CatalogSnapshot {
    const added = [...fresh].sort(catalogOrder);
    const items: ItemRecord[] = [];
    let k = 0;
    for (const item of this.ordered) {
      if (changedIds.has(item.item_id)) continue;
      while (k < added.length && catalogOrder(added[k], item) < 0) items.push(added[k++]);
      items.push(item);
    }
    while (k < added.length) items.push(added[k++]);
    return new CatalogSnapshot(project, version, items, groups, regions, {
      base: this,
      changed: changedIds,
      fresh,
    });
  }

  /** Items of the given types in catalog order. */
  ofTypes(types: readonly ItemType[]): ItemRecord[] {
    return this.ordered.filter((i) => types.includes(i.type));
  }

  /** The first sale-period boundary strictly after `now` (ms), or Infinity. */
  nextBoundaryAfter(now: number): number {
    let next = Infinity;
    for (const item of this.ordered) {
      for (const p of item.periods) {
        for (const d of [p.date_from, p.date_until]) {
          const t = d?.getTime();
          if (t !== undefined && t > now && t < next) next = t;
        }
      }
      // Views show the next recurrent limit reset (`reset_next_date`): they change when it passes.
      if (item.limits?.recurrent) next = Math.min(next, nextResetAt(item.limits.recurrent, now));
      // A game key stops being a pre-order at its release date (`is_pre_order`).
      const release = item.type === 'game_key' ? releaseInstant(item.pre_order) : null;
      if (release !== null && release > now) next = Math.min(next, release);
    }
    return next;
  }

  /** True when the group and all its ancestors are enabled (a disabled group hides its subtree from the catalog). */
  groupEnabled(group: GroupInfo): boolean {
    for (let g: GroupInfo | undefined = group, hops = 0; g && hops < 100; hops++) {
      if (!g.is_enabled) return false;
      g = g.parent_group_id === null ? undefined : this.groupsById.get(g.parent_group_id);
    }
    return true;
  }

  /** True when an item restricted to regions may be sold to `country` (seed-details §2.10: none = everywhere). */
  soldIn(item: ItemRecord, country: string | null): boolean {
    if (item.regions.length === 0) return true;
    if (!country) return false;
    return item.regions.some((id) => this.regions.get(id)?.countries.includes(country) ?? false);
  }
}
