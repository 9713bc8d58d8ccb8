/**
 * total_content_price (src/modules/bundles/totals.ts, docs/decisions/0007-bundles.md) as properties over random
 * contents: an exact decimal sum of the two-decimal unit prices × quantities (checked against integer cents),
 * always a two-decimal string, in the currency of the bundle's price for the buyer, null as soon as one
 * deliverable item has no price in that currency, disabled items ignored, free items counting 0, content order
 * irrelevant.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ItemRecord, PriceRecord } from '../../src/modules/items/model.js';
import { deliverableContent, priceInCurrency, totalContentPrice } from '../../src/modules/bundles/totals.js';

let nextId = 1;
function item(prices: PriceRecord[], extra: Partial<ItemRecord> = {}): ItemRecord {
  const id = nextId++;
  return {
    item_id: id,
    project_id: 1,
    sku: `sku${id}`,
    type: 'virtual_good',
    name: { en: `item ${id}` },
    description: null,
    long_description: null,
    image_url: null,
    media_list: [],
    is_enabled: true,
    is_show_in_store: true,
    is_free: false,
    is_paid_randomized_reward: false,
    order: 1,
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
    prices,
    vc_prices: [],
    periods: [],
    regions: [],
    groups: [],
    attributes: [],
    limits: null,
    content: [],
    ...extra,
  };
}

const price = (amount: string, currency = 'USD', extra: Partial<PriceRecord> = {}): PriceRecord => ({
  amount,
  currency,
  country_iso: null,
  is_default: true,
  is_enabled: true,
  ...extra,
});

/** 1e-4 units → the stored 4-decimal string. */
const fromUnits = (u: bigint) => `${u / 10000n}.${String(u % 10000n).padStart(4, '0')}`;
/** Round half up to cents, as the catalog displays a price. */
const centsOf = (u: bigint) => (u + 50n) / 100n;
const fromCents = (c: bigint) => `${c / 100n}.${String(c % 100n).padStart(2, '0')}`;

function bundleOf(lines: { item: ItemRecord; quantity: number }[], prices: PriceRecord[] = [price('1.00')]) {
  const byId = new Map(lines.map((l) => [l.item.item_id, l.item]));
  const bundle = item(prices, {
    type: 'bundle',
    bundle_type: 'standard',
    content: lines.map((l) => ({ item_id: l.item.item_id, quantity: l.quantity })),
  });
  return { bundle, lookup: (id: number) => byId.get(id) };
}

const units = fc.bigInt({ min: 1n, max: 99_999_999_9999n });
const quantity = fc.integer({ min: 1, max: 100_000 });
const line = fc.record({ units, quantity });

describe('total_content_price', () => {
  it('is Σ two-decimal unit price × quantity, exact, as a two-decimal string in the bundle currency', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (rows) => {
        const lines = rows.map((r) => ({ item: item([price(fromUnits(r.units))]), quantity: r.quantity }));
        const { bundle, lookup } = bundleOf(lines);
        const total = totalContentPrice(bundle, lookup, null);
        const expected = fromCents(rows.reduce((acc, r) => acc + centsOf(r.units) * BigInt(r.quantity), 0n));
        expect(total).toEqual({ amount: expected, amount_without_discount: expected, currency: 'USD' });
        expect(total!.amount).toMatch(/^\d+\.\d{2}$/);
      }),
    );
  });

  it('does not depend on the order of the content', () => {
    fc.assert(
      fc.property(
        fc
          .array(line, { minLength: 1, maxLength: 8 })
          .chain((rows) =>
            fc.tuple(
              fc.constant(rows),
              fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }),
            ),
          ),
        ([rows, shuffled]) => {
          const make = (rs: typeof rows) =>
            bundleOf(rs.map((r) => ({ item: item([price(fromUnits(r.units))]), quantity: r.quantity })));
          const a = make(rows);
          const b = make(shuffled);
          expect(totalContentPrice(a.bundle, a.lookup, null)).toEqual(
            totalContentPrice(b.bundle, b.lookup, null),
          );
        },
      ),
    );
  });

  it('ignores disabled and missing content items, and counts free items as 0', () => {
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ units, quantity, kind: fc.constantFrom('disabled', 'missing', 'free') }), {
          maxLength: 4,
        }),
        (rows, extras) => {
          const lines = rows.map((r) => ({ item: item([price(fromUnits(r.units))]), quantity: r.quantity }));
          const base = bundleOf(lines);
          const noise = extras.map((e) => ({
            item: item(e.kind === 'free' ? [] : [price(fromUnits(e.units), 'JPY')], {
              is_enabled: e.kind !== 'disabled',
              is_free: e.kind === 'free',
            }),
            quantity: e.quantity,
            missing: e.kind === 'missing',
          }));
          const mixed = bundleOf([...lines, ...noise]);
          const lookup = (id: number) =>
            noise.some((n) => n.missing && n.item.item_id === id) ? undefined : mixed.lookup(id);
          expect(totalContentPrice(mixed.bundle, lookup, null)).toEqual(
            totalContentPrice(base.bundle, base.lookup, null),
          );
          expect(deliverableContent(mixed.bundle, lookup).length).toBe(
            lines.length + noise.filter((n) => n.item.is_enabled && !n.missing).length,
          );
        },
      ),
    );
  });

  it("is in the currency of the bundle's price for the buyer's country, null when one item lacks it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ usd: units, eur: fc.option(units, { nil: undefined }), quantity }), {
          minLength: 1,
          maxLength: 6,
        }),
        (rows) => {
          const lines = rows.map((r) => ({
            item: item([
              price(fromUnits(r.usd)),
              ...(r.eur === undefined
                ? []
                : [price(fromUnits(r.eur), 'EUR', { country_iso: 'DE', is_default: false })]),
            ]),
            quantity: r.quantity,
          }));
          const { bundle, lookup } = bundleOf(lines, [
            price('10.00'),
            price('9.00', 'EUR', { country_iso: 'DE', is_default: false }),
          ]);
          const us = totalContentPrice(bundle, lookup, 'US');
          expect(us?.currency).toBe('USD');
          const de = totalContentPrice(bundle, lookup, 'DE');
          if (rows.every((r) => r.eur !== undefined)) {
            const cents = rows.reduce((acc, r) => acc + centsOf(r.eur!) * BigInt(r.quantity), 0n);
            expect(de).toEqual({
              amount: fromCents(cents),
              amount_without_discount: fromCents(cents),
              currency: 'EUR',
            });
          } else {
            expect(de).toBeNull();
          }
        },
      ),
    );
  });

  it('without a real price of its own, uses the currency of the first priced content item', () => {
    const { bundle, lookup } = bundleOf(
      [
        { item: item([], { is_free: true }), quantity: 3 },
        { item: item([price('2.50', 'EUR')]), quantity: 2 },
        { item: item([price('1.00', 'USD'), price('0.75', 'EUR', { is_default: false })]), quantity: 4 },
      ],
      [],
    );
    expect(totalContentPrice(bundle, lookup, null)).toEqual({
      amount: '8.00',
      amount_without_discount: '8.00',
      currency: 'EUR',
    });
  });

  it('is null for an empty or fully disabled content, and when nothing has a real price', () => {
    expect(totalContentPrice(bundleOf([]).bundle, () => undefined, null)).toBeNull();
    const disabled = bundleOf([{ item: item([price('1.00')], { is_enabled: false }), quantity: 1 }]);
    expect(totalContentPrice(disabled.bundle, disabled.lookup, null)).toBeNull();
    const vcOnly = bundleOf([{ item: item([]), quantity: 1 }], []);
    expect(totalContentPrice(vcOnly.bundle, vcOnly.lookup, null)).toBeNull();
  });
});

describe('priceInCurrency', () => {
  it("prefers the buyer's country, then the default price valid everywhere, never another country's price", () => {
    const prices = [
      price('1.00', 'EUR', { country_iso: 'FR', is_default: false }),
      price('2.00', 'EUR', { is_default: false }),
      price('3.00', 'EUR'),
      price('4.00', 'EUR', { country_iso: 'DE', is_default: false }),
      price('5.00', 'USD', { is_default: false }),
    ];
    expect(priceInCurrency(prices, 'EUR', 'DE')?.amount).toBe('4.00');
    expect(priceInCurrency(prices, 'EUR', 'AT')?.amount).toBe('3.00');
    expect(priceInCurrency(prices, 'EUR', null)?.amount).toBe('3.00');
    expect(priceInCurrency([prices[0]], 'EUR', 'DE')).toBeNull();
    expect(priceInCurrency(prices, 'JPY', 'DE')).toBeNull();
    expect(priceInCurrency([price('3.00', 'EUR', { is_enabled: false })], 'EUR', null)).toBeNull();
  });
});
