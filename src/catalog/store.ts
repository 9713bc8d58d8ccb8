/**
 * The catalog read path (DESIGN §4): one immutable snapshot per project, loaded once per catalog_version, and
 * rendered pages cached as bytes in a bounded LRU. A catalog request runs no SQL once its project's snapshot
 * is loaded; an admin write invalidates the project (after commit) and the next read reloads it. Views expire
 * at the next sale-period boundary. Pages at any offset cost the same: a view holds every listed item already
 * serialized, and a page joins a slice of it.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { DB } from '../db/types.js';
import { itemsRepository } from '../modules/items/repository.js';
import { gamesRepository } from '../modules/games/repository.js';
import type { ItemRecord } from '../modules/items/model.js';
import type { ProjectInfo } from '../modules/tenancy/service.js';
import { isListed, renderItem, type AdditionalField, type RenderContext } from './render.js';
import { CatalogSnapshot, type GroupInfo, type RegionInfo } from './snapshot.js';

/** What a list view selects, before locale/country rendering. */
export interface ViewSpec {
  /** A stable name of the selection, part of the cache key (e.g. `virtual_good`, `group:armour`). */
  key: string;
  /** Picks the candidate items from the snapshot (in display order). */
  select: (s: CatalogSnapshot) => ItemRecord[];
}

export interface ViewOptions {
  locale: string;
  country: string | null;
  fields: AdditionalField[];
  showInactive: boolean;
}

/** A rendered view: every listed item serialized once. */
interface RenderedView {
  items: string[];
  etagBase: string;
}

interface Entry {
  snapshot: CatalogSnapshot;
  /** The instant views must be re-rendered (next period boundary). */
  expiresAt: number;
  epoch: number;
  views: Map<string, RenderedView>;
}

export class CatalogStore {
  private readonly entries = new Map<number, Entry>();
  private readonly loading = new Map<number, Promise<Entry | null>>();
  /** Highest catalog_version announced per project (admin writes, notifications). */
  private readonly announced = new Map<number, number>();
  private readonly pages: LRUCache<string, string>;

  constructor(
    private readonly db: Kysely<DB>,
    opts: { pageCacheEntries?: number; clock?: () => number } = {},
  ) {
    this.pages = new LRUCache({ max: opts.pageCacheEntries ?? 5000 });
    this.now = opts.clock ?? Date.now;
  }

  readonly now: () => number;

  /** Marks the project's snapshot stale; `version` is the new catalog_version when known. */
  invalidate(projectId: number, version?: number): void {
    if (version !== undefined)
      this.announced.set(projectId, Math.max(version, this.announced.get(projectId) ?? 0));
    this.entries.delete(projectId);
  }

  /** The project's snapshot, loading it when absent or stale; null for an unknown project. */
  async snapshot(projectId: number): Promise<CatalogSnapshot | null> {
    return (await this.entry(projectId))?.snapshot ?? null;
  }

  /** The project info served from the snapshot (no SQL once loaded). */
  async project(projectId: number): Promise<ProjectInfo | undefined> {
    return (await this.snapshot(projectId))?.project;
  }

  /**
   * A page of a list view as JSON bytes `{"has_more":…,"items":[…]}` plus its ETag.
   * `has_more` is true exactly when items exist after this page.
   */
  async page(projectId: number, spec: ViewSpec, opts: ViewOptions, limit: number, offset: number) {
    const entry = await this.entry(projectId);
    if (!entry) return null;
    const viewKey = this.viewKey(spec.key, opts);
    const view = this.view(entry, viewKey, () => {
      const ctx = this.context(entry.snapshot, opts);
      return spec
        .select(entry.snapshot)
        .filter((i) => isListed(i, ctx, opts.showInactive))
        .map((i) => JSON.stringify(renderItem(i, ctx)));
    });
    const pageKey = `${projectId}|${entry.snapshot.version}|${entry.epoch}|${viewKey}|${limit}|${offset}`;
    let body = this.pages.get(pageKey);
    if (body === undefined) {
      const slice = view.items.slice(offset, offset + limit);
      const hasMore = offset + slice.length < view.items.length;
      body = `{"has_more":${hasMore},"items":[${slice.join(',')}]}`;
      this.pages.set(pageKey, body);
    }
    return { body, etag: `"${view.etagBase}-${limit}-${offset}"`, total: view.items.length };
  }

  /** Every listed item of a view (no paging), already rendered as objects — for small whole-catalog calls. */
  async all(projectId: number, spec: ViewSpec, opts: ViewOptions): Promise<ItemRecord[] | null> {
    const entry = await this.entry(projectId);
    if (!entry) return null;
    const ctx = this.context(entry.snapshot, opts);
    return spec.select(entry.snapshot).filter((i) => isListed(i, ctx, opts.showInactive));
  }

  /** One item (by sku or id) rendered, or null when absent or not sellable. */
  async item(projectId: number, find: (s: CatalogSnapshot) => ItemRecord | undefined, opts: ViewOptions) {
    const entry = await this.entry(projectId);
    if (!entry) return { found: false as const, project: false as const };
    const item = find(entry.snapshot);
    const ctx = this.context(entry.snapshot, opts);
    if (!item || !isListed(item, ctx, opts.showInactive))
      return { found: false as const, project: true as const };
    return {
      found: true as const,
      view: renderItem(item, ctx),
      etag: `"${entry.snapshot.version}.${entry.expiresAt}.${item.item_id}.${this.hash(this.viewKey('one', opts))}"`,
    };
  }

  /** A render context over the current snapshot (for callers that render themselves). */
  context(snapshot: CatalogSnapshot, opts: ViewOptions): RenderContext {
    return {
      snapshot,
      locale: opts.locale,
      country: opts.country,
      fields: new Set(opts.fields),
      now: this.now(),
    };
  }

  private viewKey(key: string, o: ViewOptions) {
    return `${key}|${o.locale}|${o.country ?? ''}|${[...o.fields].sort().join(',')}|${o.showInactive ? 1 : 0}`;
  }

  private hash(s: string) {
    return createHash('sha1').update(s).digest('base64url').slice(0, 12);
  }

  private view(entry: Entry, viewKey: string, build: () => string[]): RenderedView {
    let v = entry.views.get(viewKey);
    if (!v) {
      v = { items: build(), etagBase: `${entry.snapshot.version}.${entry.expiresAt}.${this.hash(viewKey)}` };
      if (entry.views.size > 2000) entry.views.clear();
      entry.views.set(viewKey, v);
    }
    return v;
  }

  private async entry(projectId: number): Promise<Entry | null> {
    const now = this.now();
    let entry = this.entries.get(projectId);
    if (entry && entry.snapshot.version < (this.announced.get(projectId) ?? 0)) {
      this.entries.delete(projectId);
      entry = undefined;
    }
    if (entry) {
      if (now >= entry.expiresAt) {
        entry.epoch += 1;
        entry.views.clear();
        entry.expiresAt = entry.snapshot.nextBoundaryAfter(now);
      }
      return entry;
    }
    let pending = this.loading.get(projectId);
    if (!pending) {
      pending = this.load(projectId).finally(() => this.loading.delete(projectId));
      this.loading.set(projectId, pending);
    }
    return pending;
  }

  private async load(projectId: number): Promise<Entry | null> {
    let availableKeys = new Map<number, number>(); // unclaimed game codes per key (has_keys)
    const loaded = await this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const project = await trx
          .selectFrom('projects')
          .select(['project_id', 'merchant_id', 'name', 'catalog_version', 'jwt_secret', 'jwks_url'])
          .where('project_id', '=', projectId)
          .executeTakeFirst();
        if (!project) return null;
        const [items, groups, regions] = await Promise.all([
          itemsRepository.load(trx, projectId),
          trx
            .selectFrom('item_groups')
            .select(['group_id', 'external_id', 'name', 'parent_group_id', 'is_enabled', 'order'])
            .select(['description', 'image_url', 'created_at'])
            .where('project_id', '=', projectId)
            .orderBy('order')
            .orderBy('created_at', 'desc')
            .orderBy('group_id', 'desc')
            .execute(),
          trx
            .selectFrom('regions')
            .select(['region_id', 'countries'])
            .where('project_id', '=', projectId)
            .execute(),
        ]);
        availableKeys = await gamesRepository.availableCounts(trx, projectId);
        return { project, items, groups: groups as GroupInfo[], regions: regions as RegionInfo[] };
      });
    if (!loaded) return null;
    const { project, items, groups, regions } = loaded;
    const info: ProjectInfo = {
      project_id: project.project_id,
      merchant_id: project.merchant_id,
      name: project.name,
      jwt_secret: project.jwt_secret,
      jwks_url: project.jwks_url,
    };
    const snapshot = new CatalogSnapshot(info, Number(project.catalog_version), items, groups, regions);
    for (const [itemId, count] of availableKeys) snapshot.availableKeys.set(itemId, count);
    const entry: Entry = {
      snapshot,
      expiresAt: snapshot.nextBoundaryAfter(this.now()),
      epoch: 0,
      views: new Map(),
    };
    // Keep it only if no newer version was announced while loading.
    if (snapshot.version >= (this.announced.get(projectId) ?? 0)) this.entries.set(projectId, entry);
    return entry;
  }
}
