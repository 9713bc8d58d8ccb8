/**
 * Admin view of a standard bundle (spec admin-get-bundle, admin-get-bundle-list): the common admin item fields
 * (items/admin-view.ts) with the bundle's own money format — `prices[].amount` as a decimal string (`"150.49"`)
 * and `virtual_prices[]` (currency sku, localized name and description, image, integer amount as a string)
 * where other item areas answer `vc_prices` — plus `bundle_type`, `content[]` (every configured entry,
 * disabled ones included: this is the configuration, not what a buyer receives) and `total_content_price` for
 * a buyer of unknown country (bundles/totals.ts).
 */
import { Decimal } from 'decimal.js';
import { adminBundleView } from '../items/admin-view.js';
import type { ItemRecord } from '../items/model.js';
import { totalContentPrice } from './totals.js';

/** `"150.4900"` → `"150.49"`, `"10"` → `"10.00"`, `"1.2345"` stays: two decimals, more only when stored. */
export function adminAmount(amount: string): string {
  const d = new Decimal(amount);
  return d.decimalPlaces() <= 2 ? d.toFixed(2) : d.toString();
}

/**
 * The admin view of `bundle`; `related` holds the records of its content items and of the virtual currencies it
 * is priced in (entries missing from it are left out).
 */
export function adminStandardBundleView(bundle: ItemRecord, related: Map<number, ItemRecord>) {
  const { vc_prices: _vc, prices: _p, ...base } = adminBundleView(bundle, related);
  return {
    ...base,
    prices: bundle.prices.map((p) => ({
      amount: adminAmount(p.amount),
      currency: p.currency,
      ...(p.country_iso ? { country_iso: p.country_iso } : {}),
      is_default: p.is_default,
      is_enabled: p.is_enabled,
    })),
    virtual_prices: bundle.vc_prices.flatMap((p) => {
      const vc = related.get(p.currency_item_id);
      if (!vc) return [];
      return [
        {
          sku: vc.sku,
          name: vc.name,
          type: 'virtual_currency',
          description: vc.description,
          image_url: vc.image_url,
          amount: String(p.amount),
          is_default: p.is_default,
          is_enabled: p.is_enabled,
        },
      ];
    }),
    total_content_price: totalContentPrice(bundle, (id) => related.get(id), null),
  };
}

/** Ids of the records `adminStandardBundleView` needs for `bundles`. */
export const relatedIds = (bundles: ItemRecord[]) =>
  bundles.flatMap((b) => [...b.content.map((c) => c.item_id), ...b.vc_prices.map((p) => p.currency_item_id)]);
