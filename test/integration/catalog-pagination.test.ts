/**
 * Catalog paging (spec/NOTES.md "Catalog responses", seed-details §8 rule 3): SDKs and connectors walk a list
 * with `offset += limit` until `has_more` is false, so every sellable item must come exactly once, in the
 * catalog order (`order` asc, equal order → newer first), and `has_more` must be false on the last page only.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogGet, createTenant, testApp, type Tenant } from '../helpers/app.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await testApp();
});
afterAll(async () => app.close());

type Visibility = 'listed' | 'in-period' | 'disabled' | 'hidden' | 'past' | 'future';
const LISTED: Visibility[] = ['listed', 'in-period'];

interface Spec {
  type: 'virtual_good' | 'virtual_currency';
  order: number;
  visibility: Visibility;
}

function bodyOf(sku: string, s: Spec) {
  const body: Record<string, unknown> = {
    sku,
    name: { en: sku },
    order: s.order,
    prices: [{ amount: 1.5, currency: 'USD', is_default: true }],
  };
  if (s.visibility === 'disabled') body.is_enabled = false;
  if (s.visibility === 'hidden') body.is_show_in_store = false;
  if (s.visibility === 'past')
    body.periods = [{ date_from: '2020-01-01T00:00:00+00:00', date_until: '2021-01-01T00:00:00+03:00' }];
  if (s.visibility === 'future')
    body.periods = [{ date_from: '2099-01-01T00:00:00+00:00', date_until: null }];
  if (s.visibility === 'in-period')
    body.periods = [{ date_from: '2020-01-01T00:00:00-05:00', date_until: '2099-01-01T00:00:00+00:00' }];
  return body;
}

/** Creates the items in sequence; returns their skus in creation order. */
async function createCatalog(t: Tenant, specs: Spec[]): Promise<string[]> {
  const skus: string[] = [];
  for (const [i, s] of specs.entries()) {
    const sku = `${s.type === 'virtual_good' ? 'item' : 'vc'}_${String(i).padStart(3, '0')}`;
    const path = s.type === 'virtual_good' ? '/admin/items/virtual_items' : '/admin/items/virtual_currency';
    const res = await t.adminCall('POST', path, bodyOf(sku, s));
    expect(res.statusCode, res.body).toBe(201);
    skus.push(sku);
  }
  return skus;
}

/** The skus a list must show, in catalog order: `order` asc, then newest (last created) first. */
function expectedOrder(specs: Spec[], skus: string[], filter: (s: Spec) => boolean): string[] {
  return specs
    .map((s, i) => ({ s, i, sku: skus[i] }))
    .filter(({ s }) => LISTED.includes(s.visibility) && filter(s))
    .sort((a, b) => a.s.order - b.s.order || b.i - a.i)
    .map((x) => x.sku);
}

/** Walks `path` page by page like an SDK; checks the paging invariants and returns the skus seen. */
async function walk(projectId: number, path: string, limit: number): Promise<string[]> {
  const served = Math.min(limit, 50);
  const seen: string[] = [];
  let offset = 0;
  for (let page = 0; ; page++) {
    expect(page, 'the walk never ends').toBeLessThan(1000);
    const sep = path.includes('?') ? '&' : '?';
    const res = await catalogGet(app, projectId, `${path}${sep}limit=${limit}&offset=${offset}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { has_more: boolean; items: { sku: string }[] };
    expect(Object.keys(body).sort()).toEqual(['has_more', 'items']);
    expect(body.items.length).toBeLessThanOrEqual(served);
    seen.push(...body.items.map((i) => i.sku));
    if (!body.has_more) break;
    expect(body.items.length, 'a page before the last one is full').toBe(served);
    offset += body.items.length;
  }
  return seen;
}

const specArb: fc.Arbitrary<Spec> = fc.record({
  type: fc.constantFrom('virtual_good', 'virtual_currency'),
  order: fc.integer({ min: 0, max: 4 }),
  visibility: fc.constantFrom<Visibility>(
    'listed',
    'listed',
    'listed',
    'in-period',
    'disabled',
    'hidden',
    'past',
    'future',
  ),
});

describe('paging through a random catalog', () => {
  it('yields every sellable item exactly once, in catalog order, for any page size (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(specArb, { maxLength: 22 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 3 }),
        async (specs, sizes) => {
          const t = await createTenant(app);
          const skus = await createCatalog(t, specs);
          const all = expectedOrder(specs, skus, () => true);
          const goods = expectedOrder(specs, skus, (s) => s.type === 'virtual_good');
          const currencies = expectedOrder(specs, skus, (s) => s.type === 'virtual_currency');
          for (const limit of sizes) {
            expect(await walk(t.projectId, '/items', limit)).toEqual(all);
            expect(await walk(t.projectId, '/items/virtual_items', limit)).toEqual(goods);
            expect(await walk(t.projectId, '/items/virtual_currency', limit)).toEqual(currencies);
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe('paging through a catalog larger than one page', () => {
  let t: Tenant;
  let specs: Spec[];
  let expected: string[];

  beforeAll(async () => {
    t = await createTenant(app);
    // 57 listed virtual items (orders 0..3 with many ties) plus unlisted ones spread among them.
    specs = Array.from({ length: 66 }, (_, i): Spec => ({
      type: 'virtual_good',
      order: (i * 7) % 4,
      visibility:
        i % 7 === 3 ? (['disabled', 'hidden', 'past', 'future'] as const)[((i / 7) % 4) | 0] : 'listed',
    }));
    const skus = await createCatalog(t, specs);
    expected = expectedOrder(specs, skus, () => true);
    expect(expected.length).toBeGreaterThan(50);
  });

  it('walks to every item for any page size 1..60 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 60 }), async (limit) => {
        expect(await walk(t.projectId, '/items/virtual_items', limit)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });

  it('any window (limit, offset) is the matching slice of the full order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: expected.length + 5 }),
        async (limit, offset) => {
          const res = await catalogGet(app, t.projectId, `/items?limit=${limit}&offset=${offset}`);
          expect(res.statusCode).toBe(200);
          const body = res.json() as { has_more: boolean; items: { sku: string }[] };
          const want = expected.slice(offset, offset + Math.min(limit, 50));
          expect(body.items.map((i) => i.sku)).toEqual(want);
          expect(body.has_more).toBe(offset + want.length < expected.length);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('serves 50 items without limit, and for limit=500', async () => {
    for (const q of ['', '?limit=500', '?limit=50', '?limit=51']) {
      const res = await catalogGet(app, t.projectId, `/items/virtual_items${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(
        res.json().items.map((i: { sku: string }) => i.sku),
        q,
      ).toEqual(expected.slice(0, 50));
      expect(res.json().has_more, q).toBe(true);
    }
  });

  it('answers an offset past the end with an empty last page', async () => {
    const res = await catalogGet(app, t.projectId, `/items/virtual_items?offset=${expected.length}`);
    expect(res.json()).toEqual({ has_more: false, items: [] });
    const far = await catalogGet(app, t.projectId, '/items/virtual_items?offset=100000&limit=10');
    expect(far.json()).toEqual({ has_more: false, items: [] });
  });

  it('pages a user-personalized list the same way', async () => {
    const token = await t.userToken('pager');
    const seen: string[] = [];
    for (let offset = 0; ; offset += 20) {
      const res = await catalogGet(app, t.projectId, `/items/virtual_items?limit=20&offset=${offset}`, token);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((i: { sku: string }) => i.sku));
      if (!res.json().has_more) break;
    }
    expect(seen).toEqual(expected);
  });
});
