/**
 * An immutable in-memory snapshot of one project's catalog at one `catalog_version` (DESIGN §4): every item
 * record, indexes by id, sku, type and group, the project's groups and regions, and the next instant at which
 * a sale period starts or ends (when rendered views must be rebuilt).
 */
import type { Localized } from '../lib/locale.js';
import type { ItemRecord, ItemType } from '../modules/items/model.js';
import { releaseInstant } from '../modules/games/model.js';
import { nextResetAt } from '../modules/limits/schedule.js';
import type { ProjectInfo } from '../modules/tenancy/service.js';

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

export class CatalogSnapshot {
  readonly byId = new Map<number, ItemRecord>();
  readonly bySku = new Map<string, ItemRecord>();
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

  constructor(
    readonly project: ProjectInfo,
    readonly version: number,
    items: ItemRecord[],
    groups: GroupInfo[],
    regions: RegionInfo[],
  ) {
    this.ordered = items;
    for (const item of items) {
      this.byId.set(item.item_id, item);
      this.bySku.set(item.sku, item);
    }
    this.groups = groups;
    for (const g of groups) {
      this.groupsByExternalId.set(g.external_id, g);
      this.groupsById.set(g.group_id, g);
    }
    for (const r of regions) this.regions.set(r.region_id, r);
    const positions = new Map<number, Map<number, number>>();
    items.forEach((item) => {
      for (const link of item.groups) {
        let members = this.groupMembers.get(link.group_id);
        if (!members) this.groupMembers.set(link.group_id, (members = []));
        members.push(item);
        let pos = positions.get(link.group_id);
        if (!pos) positions.set(link.group_id, (pos = new Map()));
        pos.set(item.item_id, link.item_order_in_group);
      }
    });
    const catalogIndex = new Map(items.map((it, i) => [it.item_id, i]));
    for (const [groupId, members] of this.groupMembers) {
      const pos = positions.get(groupId)!;
      members.sort(
        (a, b) =>
          pos.get(a.item_id)! - pos.get(b.item_id)! ||
          catalogIndex.get(a.item_id)! - catalogIndex.get(b.item_id)!,
      );
    }
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
