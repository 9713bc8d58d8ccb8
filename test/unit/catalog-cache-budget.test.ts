/**
 * The catalog's page cache is one LRU with a byte budget, evicting per entry (issue 14 §3): a large project paging
 * through its catalog evicts its own older pages, not the page a small project keeps reading. The store is built
 * over a CatalogSource of fixed catalogs (the port the catalog loads through), so no database is needed.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogLoaded, CatalogSource } from '../../src/catalog/source.js';
import { CatalogStore, type ViewOptions, type ViewSpec } from '../../src/catalog/store.js';
import type { ItemRecord } from '../../src/model/item.js';

let nextId = 1;

function item(projectId: number, name: string): ItemRecord {
  const id = nextId++;
  return {
    item_id: id,
    project_id: projectId,
    sku: `sku${id}`,
    type: 'virtual_good',
    name: { en: name },
    description: null,
    long_description: null,
    image_url: null,
    media_list: [],
    is_enabled: true,
    is_show_in_store: true,
    is_free: false,
    is_paid_randomized_reward: false,
    order: id,
    custom_attributes: null,
    virtual_item_type: 'non_consumable',
    inventory_options: null,
    is_hard: null,
    bundle_type: null,
    unit_type: null,
    parent_item_id: null,
    drm_sku: null,
    pre_order: null,
    created_at: new Date(0),
    prices: [{ amount: '1.0000', currency: 'USD', country_iso: null, is_default: true, is_enabled: true }],
    vc_prices: [],
    periods: [],
    regions: [],
    groups: [],
    attributes: [],
    limits: null,
    content: [],
  };
}

/** A CatalogSource serving fixed catalogs: project_id → its items. */
function fixedSource(catalogs: Map<number, ItemRecord[]>): CatalogSource {
  return {
    load(projectId): Promise<CatalogLoaded | null> {
      const items = catalogs.get(projectId);
      if (!items) return Promise.resolve(null);
      return Promise.resolve({
        project: {
          project_id: projectId,
          merchant_id: 1,
          name: `p${projectId}`,
          jwt_secret: 's',
          jwks_url: null,
        },
        version: 1,
        changed: null,
        items,
        groups: [],
        regions: [],
        availableKeys: new Map(),
      });
    },
    versions: () => Promise.resolve(new Map()),
  };
}

const all: ViewSpec = { key: 'all', select: (s) => s.ordered as ItemRecord[] };
const opts: ViewOptions = { locale: 'en', country: null, fields: [], showInactive: false };

describe('catalog page cache budget', () => {
  it("keeps a small project's page while a large project pages past the byte budget", async () => {
    const SMALL = 1;
    const LARGE = 2;
    const catalogs = new Map([
      [SMALL, [item(SMALL, 'small sword'), item(SMALL, 'small shield')]],
      [LARGE, Array.from({ length: 400 }, (_, i) => item(LARGE, `large item ${i} ${'x'.repeat(200)}`))],
    ]);
    const store = new CatalogStore(fixedSource(catalogs), { pageCacheBytes: 64 * 1024 });

    const small = await store.page(SMALL, all, opts, 10, 0);
    expect(JSON.parse(small!.body.toString()).items).toHaveLength(2);

    // The large project's 40 pages of 10 items (~4 KB each) are more than twice the 64 KiB budget.
    let largeBytes = 0;
    let smallMisses = 0;
    for (let offset = 0; offset < 400; offset += 10) {
      const page = await store.page(LARGE, all, opts, 10, offset);
      largeBytes += page!.body.length;
      const before = store.pageCache.misses;
      const again = await store.page(SMALL, all, opts, 10, 0);
      smallMisses += store.pageCache.misses - before;
      expect(again!.body.equals(small!.body)).toBe(true);
    }
    expect(largeBytes).toBeGreaterThan(2 * 64 * 1024);
    expect(smallMisses).toBe(0); // the small project's page was never re-rendered

    // The large project's first page was evicted (least recently used), and renders again the same.
    const before = store.pageCache.misses;
    const first = await store.page(LARGE, all, opts, 10, 0);
    expect(store.pageCache.misses - before).toBe(1);
    expect(JSON.parse(first!.body.toString()).items[0].name).toBe(`large item 0 ${'x'.repeat(200)}`);
  });
});
