/**
 * The catalog read path (DESIGN §4, ADR 0003, docs/performance.md): one immutable snapshot per project, loaded
 * once per catalog_version, and rendered pages cached as bytes (Buffers) in an LRU bounded in entries and bytes (lru-cache, evicting per entry).
 * A catalog request runs no SQL once its project's snapshot is loaded; an admin write announces the project's new
 * version (after commit, and in every process through catalog/sync.ts) and the next read brings the snapshot up to
 * it through the CatalogSource port (catalog/source.ts; no SQL here): by reloading only the items the change log
 * names (catalog/writes.ts, a delta of milliseconds at any catalog size), or the whole catalog when a write of unknown extent happened in between (ADR 0019). Views expire at the
 * next sale-period boundary. Pages at any offset cost the same: a view is the list of listed items, each item is
 * serialized the first time a page shows it (then kept), and a page joins a slice of those strings.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ItemRecord } from '../model/item.js';
import { isListed, renderItem, type AdditionalField, type RenderContext } from './render.js';
import { CatalogSnapshot } from './snapshot.js';
import type { CatalogSource } from './source.js';

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

/**
 * A view: the listed items of a selection for one set of options. Its items' JSON (by `id:i`) and its bodies (page
 * bodies by `id:offset*64+limit`, single-item bodies by `id:-item_id`) live in the store's byte-budgeted LRUs.
 */
interface RenderedView {
  /** Unique in the store: the key prefix of the view's cached JSON and bodies. */
  id: number;
  items: ItemRecord[];
  ctx: RenderContext;
  etagBase: string;
}

interface Entry {
  snapshot: CatalogSnapshot;
  /** The instant views must be re-rendered (next period boundary). */
  expiresAt: number;
  /** The instant `expiresAt` was computed at: a clock set back before it also re-renders. */
  validFrom: number;
  epoch: number;
  /**
   * A digest of which game keys have codes (set at load, and when a pool ran out or came back without a reload:
   * updateAvailableKeys): the same in every process for the same pools, part of the ETag.
   */
  keysTag: string;
  /** The project's views, an LRU of VIEWS_PER_PROJECT (evicting the least recently used view). */
  views: LRUCache<string, RenderedView>;
}

/** Views kept per project (selection × locale × country × fields); past it the least recently used goes. */
const VIEWS_PER_PROJECT = 256;
/** Bytes of serialized items kept across views (2 per UTF-16 character); past it the least recently used go. */
const RENDERED_BYTES_BUDGET = 128 * 2 ** 20;

/** A delta reload is used for up to this many changed items (or a tenth of the catalog, when more). */
const DELTA_MAX_ITEMS = 1000;

/** One snapshot load, as told to onLoad listeners (metrics). */
export interface CatalogLoad {
  projectId: number;
  /** `full`: the whole catalog read; `delta`: the previous snapshot plus the changed items. */
  kind: 'full' | 'delta';
  /** Wall time of the load (its transaction and the build of the snapshot), in seconds. */
  seconds: number;
  /** Items in the loaded snapshot. */
  items: number;
  /** Items read from the database by this load (all of them for a full load). */
  itemsRead: number;
}

/** Bytes of view lists kept per project (8 per listed item plus the view itself). */
const VIEW_BYTES_PER_PROJECT = 16 * 2 ** 20;

/** A digest of the game keys that have codes (`has_keys`), for ETags: `k<digest>.`. */
function keysTagOf(keys: ReadonlyMap<number, number>): string {
  const ids = [...keys.keys()].sort((a, b) => a - b).join(',');
  return `k${createHash('sha1').update(ids).digest('base64url').slice(0, 8)}.`;
}

/** The bytes of a page: `{"has_more":…,"items":[…]}` around the items' JSON. */
export function pageBody(hasMore: boolean, fragments: readonly string[]): Buffer {
  return Buffer.from(`{"has_more":${hasMore},"items":[${fragments.join(',')}]}`);
}

const newViews = () =>
  new LRUCache<string, RenderedView>({
    max: VIEWS_PER_PROJECT,
    maxSize: VIEW_BYTES_PER_PROJECT,
    sizeCalculation: (v, key) => 256 + key.length * 2 + v.items.length * 8,
  });

export class CatalogStore {
  /** Snapshot loads done, whole (`full`) and from the previous snapshot plus the changed items (`delta`). */
  readonly loads = { full: 0, delta: 0 };
  /** Page and item bodies served from the byte cache (`hits`) or rendered for the request (`misses`). */
  readonly pageCache = { hits: 0, misses: 0 };
  private readonly loadListeners = new Set<(load: CatalogLoad) => void>();
  private readonly entries = new Map<number, Entry>();
  private readonly loading = new Map<number, Promise<Entry | null>>();
  /** Highest catalog_version announced per project (admin writes, notifications). */
  private readonly announced = new Map<number, number>();
  /**
   * Serialized items of every view (`viewId:i` → JSON), one LRU with a byte budget across projects: evicting per
   * entry, so one large project cannot flush the others.
   */
  private readonly fragments: LRUCache<string, string>;
  /** Page and item bodies of every view (`viewId:slot` → bytes), an LRU bounded in bytes and entries. */
  private readonly bodies: LRUCache<string, Buffer>;
  private nextViewId = 1;

  constructor(
    private readonly source: CatalogSource,
    opts: {
      pageCacheEntries?: number;
      /** Byte budget of cached page and item bodies (64 MiB). */
      pageCacheBytes?: number;
      /** Byte budget of serialized items (128 MiB). */
      renderedBytes?: number;
      clock?: () => number;
    } = {},
  ) {
    this.bodies = new LRUCache<string, Buffer>({
      max: opts.pageCacheEntries ?? 5000,
      maxSize: opts.pageCacheBytes ?? 64 * 2 ** 20,
      sizeCalculation: (body, key) => body.length + key.length * 2 + 64,
    });
    this.fragments = new LRUCache<string, string>({
      maxSize: opts.renderedBytes ?? RENDERED_BYTES_BUDGET,
      sizeCalculation: (json, key) => (json.length + key.length) * 2 + 64,
    });
    this.now = opts.clock ?? Date.now;
  }

  readonly now: () => number;

  /**
   * Marks the project's snapshot stale; `version` is the new catalog_version when known. A snapshot already at
   * `version` or newer is kept (a process hears its own broadcast after it may have reloaded).
   */
  invalidate(projectId: number, version?: number): void {
    if (version === undefined) {
      this.entries.delete(projectId); // a change of unknown extent: the next read reloads fully
      return;
    }
    // The stale entry stays as the base of a delta reload (`entry`); reads wait for the new version.
    this.announced.set(projectId, Math.max(version, this.announced.get(projectId) ?? 0));
  }

  /**
   * Sets the live counts of unclaimed codes (`has_keys`) of `itemIds` in the project's loaded snapshot (absent from
   * `counts`: none left; `itemIds` null: every item) and drops its rendered views when one ran out or came back — no catalog version bump, no reload (issue 14 §3: volatile
   * counters are not catalog configuration). A load in flight gets the counts too when it lands. Nothing to do for
   * a project not loaded: its next load reads the counts.
   */
  updateAvailableKeys(
    projectId: number,
    itemIds: readonly number[] | null,
    counts: ReadonlyMap<number, number>,
  ): void {
    const entry = this.entries.get(projectId);
    if (entry) {
      const keys = entry.snapshot.availableKeys;
      let flipped = false; // `has_keys` depends only on "any left": views are re-rendered when that changed
      for (const id of itemIds ?? new Set([...keys.keys(), ...counts.keys()])) {
        const n = counts.get(id) ?? 0;
        if ((keys.get(id) ?? 0) > 0 !== n > 0) flipped = true;
        if (n > 0) keys.set(id, n);
        else keys.delete(id);
      }
      if (flipped) {
        entry.keysTag = keysTagOf(keys); // part of the ETag: a 304 never answers for the old counts
        entry.views.clear();
      }
    }
    const pending = this.loading.get(projectId);
    if (pending) void pending.then((e) => e && this.updateAvailableKeys(projectId, itemIds, counts));
  }

  /** Tells `listener` of every snapshot load of this store (after it is built). Returns the unsubscribe function. */
  onLoad(listener: (load: CatalogLoad) => void): () => void {
    this.loadListeners.add(listener);
    return () => this.loadListeners.delete(listener);
  }

  /** Drops every snapshot (the broadcast of version bumps was interrupted: some may have been missed). */
  invalidateAll(): void {
    this.entries.clear();
  }

  /** project_id → catalog_version of every snapshot held. */
  loadedVersions(): Map<number, number> {
    return new Map([...this.entries].map(([id, e]) => [id, e.snapshot.version]));
  }

  /** The project's snapshot, loading it when absent or stale; null for an unknown project. */
  async snapshot(projectId: number): Promise<CatalogSnapshot | null> {
    return (this.current(projectId) ?? (await this.entry(projectId)))?.snapshot ?? null;
  }

  /**
   * A page of a list view as JSON bytes `{"has_more":…,"items":[…]}` plus its ETag, its item records and their
   * JSON fragments (for overlays that splice a patched item into the page without parsing it).
   * `has_more` is true exactly when items exist after this page.
   */
  async page(projectId: number, spec: ViewSpec, opts: ViewOptions, limit: number, offset: number) {
    const entry = this.current(projectId) ?? (await this.entry(projectId));
    if (!entry) return null;
    const view = this.view(entry, this.viewKey(spec.key, opts), opts, (ctx) =>
      spec.select(entry.snapshot).filter((i) => isListed(i, ctx, opts.showInactive)),
    );
    const slot = `${view.id}:${offset * 64 + limit}`;
    const end = Math.min(offset + limit, view.items.length);
    const hasMore = end < view.items.length;
    /** The page's items as JSON, in page order (kept serializations, else rendered now). */
    const fragments = (): string[] => {
      const parts: string[] = [];
      for (let i = offset; i < end; i++)
        parts.push(this.fragments.get(`${view.id}:${i}`) ?? this.renderAt(view, i));
      return parts;
    };
    let body = this.bodies.get(slot);
    if (body !== undefined) this.pageCache.hits += 1;
    else {
      this.pageCache.misses += 1;
      body = pageBody(hasMore, fragments());
      this.bodies.set(slot, body);
    }
    const items = view.items.slice(offset, end); // the page's records (per-request overlays)
    return {
      body,
      etag: `"${view.etagBase}-${limit}-${offset}"`,
      total: view.items.length,
      items,
      hasMore,
      fragments,
    };
  }

  /** Every listed item of a view (no paging), already rendered as objects — for small whole-catalog calls. */
  async all(projectId: number, spec: ViewSpec, opts: ViewOptions): Promise<ItemRecord[] | null> {
    const entry = this.current(projectId) ?? (await this.entry(projectId));
    if (!entry) return null;
    const ctx = this.context(entry.snapshot, opts);
    return spec.select(entry.snapshot).filter((i) => isListed(i, ctx, opts.showInactive));
  }

  /** One item (by sku or id) as JSON bytes with its ETag, or not found (absent or not sellable). */
  async item(projectId: number, find: (s: CatalogSnapshot) => ItemRecord | undefined, opts: ViewOptions) {
    const entry = this.current(projectId) ?? (await this.entry(projectId));
    if (!entry) return { found: false as const, project: false as const };
    const item = find(entry.snapshot);
    const view = this.view(entry, this.viewKey('one', opts), opts, () => []);
    if (!item || !isListed(item, view.ctx, opts.showInactive))
      return { found: false as const, project: true as const };
    const slot = `${view.id}:-${item.item_id}`;
    let body = this.bodies.get(slot);
    if (body !== undefined) this.pageCache.hits += 1;
    else {
      this.pageCache.misses += 1;
      body = Buffer.from(JSON.stringify(renderItem(item, view.ctx)));
      this.bodies.set(slot, body);
    }
    return { found: true as const, body, etag: `"${view.etagBase}.${item.item_id}"`, item };
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
    const fields = o.fields.length > 1 ? [...o.fields].sort().join(',') : (o.fields[0] ?? '');
    return `${key}|${o.locale}|${o.country ?? ''}|${fields}|${o.showInactive ? 1 : 0}`;
  }

  private hash(s: string) {
    return createHash('sha1').update(s).digest('base64url').slice(0, 12);
  }

  /** The view `viewKey` of the entry, built (listing only, no serialization) when absent. */
  private view(
    entry: Entry,
    viewKey: string,
    opts: ViewOptions,
    list: (ctx: RenderContext) => ItemRecord[],
  ): RenderedView {
    let v = entry.views.get(viewKey);
    if (!v) {
      const ctx = this.context(entry.snapshot, opts);
      const items = list(ctx);
      v = {
        id: this.nextViewId++,
        items,
        ctx,
        etagBase: `${entry.snapshot.version}.${entry.expiresAt}.${entry.keysTag}${this.hash(viewKey)}`,
      };
      entry.views.set(viewKey, v);
    }
    return v;
  }

  /** Serializes `view.items[i]` and keeps it (the LRU evicts the least recently used past its budget). */
  private renderAt(view: RenderedView, i: number): string {
    const json = JSON.stringify(renderItem(view.items[i], view.ctx));
    this.fragments.set(`${view.id}:${i}`, json);
    return json;
  }

  /** The project's entry when it is loaded and current (the synchronous fast path of every read). */
  private current(projectId: number): Entry | undefined {
    const entry = this.entries.get(projectId);
    if (entry === undefined) return undefined;
    const now = this.now();
    if (now >= entry.expiresAt || now < entry.validFrom) return undefined;
    const announced = this.announced.get(projectId);
    return announced !== undefined && entry.snapshot.version < announced ? undefined : entry;
  }

  private async entry(projectId: number): Promise<Entry | null> {
    const now = this.now();
    const held = this.entries.get(projectId);
    const stale = held && held.snapshot.version < (this.announced.get(projectId) ?? 0) ? held : undefined;
    const entry = stale ? undefined : held;
    if (entry) {
      if (now >= entry.expiresAt || now < entry.validFrom) {
        entry.epoch += 1;
        entry.views.clear(); // expired: every view is re-rendered (the old views' bytes age out of the LRUs)
        entry.expiresAt = entry.snapshot.nextBoundaryAfter(now);
        entry.validFrom = now;
      }
      return entry;
    }
    let pending = this.loading.get(projectId);
    if (!pending) {
      pending = this.load(projectId, stale?.snapshot).finally(() => this.loading.delete(projectId));
      this.loading.set(projectId, pending);
    }
    return pending;
  }

  /**
   * Loads the project's snapshot through the CatalogSource (one consistent read): from `base` by reloading only
   * the items the change log names since it (a delta), else the whole catalog. Null for an unknown project.
   */
  private async load(projectId: number, base?: CatalogSnapshot): Promise<Entry | null> {
    const started = performance.now();
    const since = base
      ? { version: base.version, maxChanged: Math.max(DELTA_MAX_ITEMS, base.ordered.length / 10) }
      : undefined;
    const loaded = await this.source.load(projectId, { since });
    if (!loaded) return null;
    const { project: info, version, items, groups, regions, availableKeys } = loaded;
    const snapshot =
      base && loaded.changed
        ? base.withItems(info, version, loaded.changed, items, groups, regions)
        : new CatalogSnapshot(info, version, items, groups, regions);
    const kind = base && loaded.changed ? 'delta' : 'full';
    this.loads[kind] += 1;
    for (const [itemId, count] of availableKeys) snapshot.availableKeys.set(itemId, count);
    const loadedAt = this.now();
    const entry: Entry = {
      snapshot,
      expiresAt: snapshot.nextBoundaryAfter(loadedAt),
      validFrom: loadedAt,
      epoch: 0,
      keysTag: keysTagOf(snapshot.availableKeys),
      views: newViews(),
    };
    // Keep it only if no newer version was announced while loading.
    if (snapshot.version >= (this.announced.get(projectId) ?? 0)) this.entries.set(projectId, entry);
    if (this.loadListeners.size > 0) {
      const load: CatalogLoad = {
        projectId,
        kind,
        seconds: (performance.now() - started) / 1000,
        items: snapshot.ordered.length,
        itemsRead: items.length,
      };
      for (const listener of this.loadListeners) {
        try {
          listener(load);
        } catch {
          // an observer's failure must not fail the read
        }
      }
    }
    return entry;
  }
}
