/**
 * Item groups: the admin API (create, replace, delete, reorder groups and the items in them, admin reads with
 * item counts) and the client view of the group tree (get-item-groups). Rules and their sources are in
 * docs/decisions/0008-item-group-admin-api.md; in short:
 * - groups nest through `parent_external_id`, three levels at most (level 0–2, the depth the spec's
 *   get-item-groups schema describes); moving a group under itself or its descendants is refused;
 * - siblings are listed by `order` ascending, equal orders newest first (the rule the docs give for items and
 *   groups); admin lists are flat, parents before their children;
 * - deleting a group unlinks its items and moves its child groups up to its own parent;
 * - reorders set `order` (groups) or `item_order_in_group` (items) of the entries given; others keep theirs.
 * Every write runs through CatalogWriter (one transaction, catalog_version bump, snapshot invalidation).
 */
import type { WriteOptions } from '../../db/unit-of-work.js';
import type { Kysely } from 'kysely';
import type { CatalogSnapshot, GroupInfo } from '../../catalog/snapshot.js';
import type { CatalogWriter } from '../catalog/writer.js';
import type { DB, Executor } from '../../db/types.js';
import { groupNotFound, invalid } from '../../errors/app-error.js';
import { toAppError } from '../../errors/postgres.js';
import { normalizeLocalized, pickLocalized, type Localized } from '../../lib/locale.js';
import { tenancyRepository } from '../tenancy/repository.js';
import { groupsRepository as repo, type CountFilter, type GroupRow, type GroupWrite } from './repository.js';
import type {
  CatalogGroupView,
  GroupBodyInput,
  GroupOrderInput,
  ItemOrderInput,
  ItemTypePath,
} from './schemas.js';

/** Deepest nesting level (0 = top level): the three levels the spec's get-item-groups schema describes. */
export const MAX_GROUP_LEVEL = 2;

/** Which items `items_count` counts for each `item_type` of the type-filtered reads. */
export const ITEM_TYPE_FILTERS: Record<ItemTypePath, CountFilter> = {
  virtual_items: { type: 'virtual_good' },
  virtual_currency: { type: 'virtual_currency' },
  'virtual_currency/package': { type: 'bundle', bundleType: 'virtual_currency_package' },
  bundle: { type: 'bundle', bundleType: 'standard' },
  game: { type: 'game' },
  'game/key': { type: 'game_key' },
  // Item types Itemshop does not sell: their groups hold none of them.
  value_points: { none: true },
  subscription_plans: { none: true },
};

/** An admin group view (`items_count` counts direct members; `is_contains_any_items` only on typed reads). */
export interface AdminGroupView {
  id: number;
  external_id: string;
  name: Localized | null;
  description: Localized | null;
  image_url: string | null;
  is_enabled: boolean;
  items_count: number;
  order: number;
  parent_external_id: string | null;
  level: number;
  is_contains_any_items?: boolean;
}

interface TreeGroup {
  group_id: number;
  external_id: string;
  parent_group_id: number | null;
}

/**
 * Nesting of `groups` (given in display order): each group's level, and the groups in display order with
 * every parent directly followed by its subtree (depth first).
 */
export function groupTree<G extends TreeGroup>(groups: readonly G[]) {
  const byId = new Map(groups.map((g) => [g.group_id, g]));
  const children = new Map<number | null, G[]>();
  for (const g of groups) {
    const parent = g.parent_group_id !== null && byId.has(g.parent_group_id) ? g.parent_group_id : null;
    const list = children.get(parent);
    if (list) list.push(g);
    else children.set(parent, [g]);
  }
  const level = new Map<number, number>();
  const ordered: G[] = [];
  const walk = (parent: number | null, depth: number) => {
    for (const g of children.get(parent) ?? []) {
      if (level.has(g.group_id)) continue; // never loops, even on corrupt data
      level.set(g.group_id, depth);
      ordered.push(g);
      walk(g.group_id, depth + 1);
    }
  };
  walk(null, 0);
  /** Levels below `groupId` (0 for a leaf). */
  const height = (groupId: number): number =>
    Math.max(0, ...(children.get(groupId) ?? []).map((c) => 1 + height(c.group_id)));
  /** Whether `groupId` is `ancestorId` or lies below it. */
  const isWithin = (groupId: number, ancestorId: number): boolean => {
    for (let g = byId.get(groupId), hops = 0; g && hops <= groups.length; hops++) {
      if (g.group_id === ancestorId) return true;
      g = g.parent_group_id === null ? undefined : byId.get(g.parent_group_id);
    }
    return false;
  };
  return { byId, children, level, ordered, height, isWithin };
}

function localized(property: string, value: Record<string, string | null> | null | undefined) {
  const { value: out, badKeys } = normalizeLocalized(value ?? null);
  if (badKeys.length) throw invalid(property, `Unknown language key(s): ${badKeys.join(', ')}`);
  return out;
}

const groupExists = (externalId: string) =>
  invalid('external_id', `Item group with external_id = '${externalId}' already exists`);

/**
 * The client tree of get-item-groups from the catalog snapshot (no SQL): enabled top-level groups in display
 * order, each with its enabled children nested; a disabled group hides its subtree. Texts are the `locale`
 * strings; a group without a description gets `""` (the spec types `description` as a non-null string).
 */
export function catalogGroupTree(snapshot: CatalogSnapshot, locale: string): CatalogGroupView[] {
  const { children } = groupTree(snapshot.groups);
  const view = (g: GroupInfo, level: number, parent: GroupInfo | null): CatalogGroupView => ({
    external_id: g.external_id,
    name: pickLocalized(g.name, locale) ?? g.external_id,
    description: pickLocalized(g.description, locale) ?? '',
    image_url: g.image_url,
    order: g.order,
    level,
    children: (children.get(g.group_id) ?? []).filter((c) => c.is_enabled).map((c) => view(c, level + 1, g)),
    parent_external_id: parent?.external_id ?? null,
  });
  return (children.get(null) ?? []).filter((g) => g.is_enabled).map((g) => view(g, 0, null));
}

export class GroupsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly writer: CatalogWriter,
  ) {}

  /**
   * Every group of the project, flat, parents before their children (siblings in display order).
   * With `itemType`, `items_count` counts only items of that type and `is_contains_any_items` is added.
   */
  async list(projectId: number, itemType?: ItemTypePath): Promise<AdminGroupView[]> {
    const rows = await repo.all(this.db, projectId, itemType ? ITEM_TYPE_FILTERS[itemType] : undefined);
    const tree = groupTree(rows);
    return tree.ordered.map((g) => this.view(g, tree, itemType !== undefined));
  }

  /** One group by external id (optionally counting one item type). @throws 404/4403 */
  async get(projectId: number, externalId: string, itemType?: ItemTypePath): Promise<AdminGroupView> {
    const group = (await this.list(projectId, itemType)).find((g) => g.external_id === externalId);
    if (!group) throw groupNotFound();
    return group;
  }

  /**
   * Creates a group. @returns `{external_id}`.
   * @throws 422/1102 taken external id, bad language keys, unknown parent, nesting deeper than 3 levels
   */
  async create(
    projectId: number,
    body: GroupBodyInput,
    write: WriteOptions = {},
  ): Promise<{ external_id: string }> {
    return this.write(projectId, body.external_id, write, async (trx) => {
      const rows = await repo.all(trx, projectId, { none: true });
      if (rows.some((r) => r.external_id === body.external_id)) throw groupExists(body.external_id);
      const tree = groupTree(rows);
      const parentId = this.parentOf(rows, body.parent_external_id ?? null);
      if (parentId !== null && tree.level.get(parentId)! + 1 > MAX_GROUP_LEVEL) throw tooDeep();
      await repo.insert(trx, projectId, this.normalize(body, parentId));
      return { external_id: body.external_id };
    });
  }

  /**
   * Replaces the group `externalId` with `body` (admin PUT replaces: left-out documented fields take their
   * defaults); `body.external_id` may rename it; `parent_external_id` left out keeps the current parent.
   * @throws 404/4403 unknown group; 422/1102 taken external id, unknown parent, a cycle, nesting too deep
   */
  async update(
    projectId: number,
    externalId: string,
    body: GroupBodyInput,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.write(projectId, body.external_id, write, async (trx) => {
      const rows = await repo.all(trx, projectId, { none: true });
      const current = rows.find((r) => r.external_id === externalId);
      if (!current) throw groupNotFound();
      if (body.external_id !== externalId && rows.some((r) => r.external_id === body.external_id))
        throw groupExists(body.external_id);
      const tree = groupTree(rows);
      const parentId =
        body.parent_external_id === undefined
          ? current.parent_group_id
          : this.parentOf(rows, body.parent_external_id);
      if (parentId !== null) {
        if (tree.isWithin(parentId, current.group_id))
          throw invalid('parent_external_id', 'A group cannot be nested in itself or in one of its children');
        if (tree.level.get(parentId)! + 1 + tree.height(current.group_id) > MAX_GROUP_LEVEL) throw tooDeep();
      }
      await repo.update(trx, current.group_id, this.normalize(body, parentId));
    });
  }

  /**
   * Deletes the group `externalId`: its items leave it (they are not deleted) and its child groups move up to
   * its parent (or the top level). @throws 404/4403
   */
  async remove(projectId: number, externalId: string, write: WriteOptions = {}): Promise<void> {
    await this.write(projectId, externalId, write, async (trx) => {
      const current = await repo.find(trx, projectId, { externalId });
      if (!current) throw groupNotFound();
      await repo.delete(trx, current.group_id, current.parent_group_id);
    });
  }

  /**
   * Sets `order` of the groups listed (by `external_id` or `id`); the others keep theirs.
   * @throws 404/4403 a group is unknown; 422/1102 a group is listed twice
   */
  async reorderGroups(
    projectId: number,
    entries: GroupOrderInput[],
    write: WriteOptions = {},
  ): Promise<void> {
    await this.write(projectId, '', write, async (trx) => {
      const rows = await repo.all(trx, projectId, { none: true });
      const seen = new Set<number>();
      const orders = entries.map((e, i) => {
        const g = rows.find((r) => ('id' in e ? r.group_id === e.id : r.external_id === e.external_id));
        if (!g) throw groupNotFound();
        if (seen.has(g.group_id)) throw invalid(`[${i}]`, `Item group '${g.external_id}' is listed twice`);
        seen.add(g.group_id);
        return { group_id: g.group_id, order: e.order };
      });
      await repo.setOrders(trx, orders);
    });
  }

  /**
   * Sets the position in the group (`item_order_in_group`) of the items listed (by `item_id` or `sku`); the
   * other members keep theirs. The group is found by external id or numeric id.
   * @throws 404/4403 unknown group; 422/1102 an item is not in the group or is listed twice
   */
  async reorderItems(
    projectId: number,
    by: { externalId: string } | { groupId: number },
    entries: ItemOrderInput[],
    write: WriteOptions = {},
  ): Promise<void> {
    await this.write(projectId, '', write, async (trx) => {
      const group = await repo.find(trx, projectId, by);
      if (!group) throw groupNotFound();
      const members = await repo.members(trx, group.group_id);
      const seen = new Set<number>();
      const orders = entries.map((e, i) => {
        const item = members.find((m) => ('item_id' in e ? m.item_id === e.item_id : m.sku === e.sku));
        const label = 'item_id' in e ? `item_id = ${e.item_id}` : `sku = '${e.sku}'`;
        if (!item)
          throw invalid(`[${i}]`, `Item with ${label} is not in the item group '${group.external_id}'`);
        if (seen.has(item.item_id)) throw invalid(`[${i}]`, `Item with ${label} is listed twice`);
        seen.add(item.item_id);
        return { item_id: item.item_id, order: e.order };
      });
      await repo.setItemOrders(trx, group.group_id, orders);
    });
  }

  /** Runs `fn` as a catalog write holding the project's group lock; a unique violation becomes 422. */
  private async write<T>(
    projectId: number,
    externalId: string,
    write: WriteOptions,
    fn: (trx: Executor) => Promise<T>,
  ) {
    try {
      return await this.writer.run(projectId, write, async (trx) => {
        await tenancyRepository.lockProject(trx, projectId);
        return fn(trx);
      });
    } catch (e) {
      throw toAppError(e, { uniqueViolation: () => groupExists(externalId) });
    }
  }

  private parentOf(rows: GroupRow[], parentExternalId: string | null): number | null {
    if (parentExternalId === null) return null;
    const parent = rows.find((r) => r.external_id === parentExternalId);
    if (!parent)
      throw invalid('parent_external_id', `Item group with external_id = '${parentExternalId}' not found`);
    return parent.group_id;
  }

  private normalize(body: GroupBodyInput, parentId: number | null): GroupWrite {
    const name = localized('name', body.name);
    if (!name) throw invalid('name', 'The property `name` is required');
    return {
      external_id: body.external_id,
      parent_group_id: parentId,
      name,
      description: localized('description', body.description),
      image_url: body.iconUrl ?? null,
      is_enabled: body.isEnabled ?? true,
      order: body.order ?? 1,
    };
  }

  private view(g: GroupRow, tree: ReturnType<typeof groupTree<GroupRow>>, typed: boolean): AdminGroupView {
    const parent = g.parent_group_id === null ? undefined : tree.byId.get(g.parent_group_id);
    return {
      id: g.group_id,
      external_id: g.external_id,
      name: g.name,
      description: g.description,
      image_url: g.image_url,
      is_enabled: g.is_enabled,
      items_count: g.items_count,
      order: g.order,
      parent_external_id: parent?.external_id ?? null,
      level: tree.level.get(g.group_id) ?? 0,
      ...(typed ? { is_contains_any_items: g.all_items_count > 0 } : {}),
    };
  }
}

const tooDeep = () =>
  invalid('parent_external_id', `Item groups nest at most ${MAX_GROUP_LEVEL + 1} levels deep`);
