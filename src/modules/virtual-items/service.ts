/**
 * The virtual items & currency area: admin reads rendered with the view of each kind (virtual good, virtual
 * currency, virtual currency package) and the catalog selections of the area. Writes go straight to
 * ItemsService (modules/items/service.ts), which holds the shared rules.
 */
import type { CatalogStore, ViewOptions, ViewSpec } from '../../catalog/store.js';
import { AppError } from '../../errors/app-error.js';
import { pickLocalized } from '../../lib/locale.js';
import { groupItems } from '../../catalog/http.js';
import { adminBundleView, adminVirtualCurrencyView, adminVirtualItemView } from '../items/admin-view.js';
import type { ItemRecord } from '../items/model.js';
import {
  VIRTUAL_CURRENCY,
  VIRTUAL_CURRENCY_PACKAGE,
  VIRTUAL_GOOD,
  type ItemKind,
  type ItemsService,
} from '../items/service.js';

export { VIRTUAL_CURRENCY, VIRTUAL_CURRENCY_PACKAGE, VIRTUAL_GOOD };

/** Renders admin views of `items` of `kind` (packages need their content records). */
export async function adminViews(
  items: ItemsService,
  projectId: number,
  kind: ItemKind,
  records: ItemRecord[],
) {
  if (kind === VIRTUAL_CURRENCY) return records.map(adminVirtualCurrencyView);
  if (kind === VIRTUAL_CURRENCY_PACKAGE) {
    const contents = await items.byIds(
      projectId,
      records.flatMap((r) => r.content.map((c) => c.item_id)),
    );
    return records.map((r) => adminBundleView(r, contents));
  }
  return records.map(adminVirtualItemView);
}

/** One admin view of the item `sku` of `kind` (404/4001 when absent). */
export async function adminView(items: ItemsService, projectId: number, kind: ItemKind, sku: string) {
  const [view] = await adminViews(items, projectId, kind, [await items.get(projectId, kind, sku)]);
  return view;
}

/** Catalog selections of the area. */
export const catalogViews = {
  virtualItems: { key: 'virtual_good', select: (s) => s.ofTypes(['virtual_good']) } satisfies ViewSpec,
  virtualCurrencies: {
    key: 'virtual_currency',
    select: (s) => s.ofTypes(['virtual_currency']),
  } satisfies ViewSpec,
  packages: {
    key: 'virtual_currency_package',
    select: (s) => s.ofTypes(['bundle']).filter((i) => i.bundle_type === 'virtual_currency_package'),
  } satisfies ViewSpec,
  virtualItemsOfGroup: (externalId: string): ViewSpec => ({
    key: `virtual_good@${externalId}`,
    select: (s) => groupItems(s, externalId).filter((i) => i.type === 'virtual_good'),
  }),
};

/**
 * `get-all-virtual-items`: every listed virtual good as `{sku, name, description, groups}` (localized), unpaged.
 * @throws 404 when the project does not exist.
 */
export async function allVirtualItems(catalog: CatalogStore, projectId: number, opts: ViewOptions) {
  const snapshot = await catalog.snapshot(projectId);
  if (!snapshot) throw new AppError('PROJECT_NOT_FOUND', `Project with id = ${projectId} not found`);
  const records = (await catalog.all(projectId, catalogViews.virtualItems, opts)) ?? [];
  return {
    items: records.map((i) => ({
      sku: i.sku,
      name: pickLocalized(i.name, opts.locale) ?? i.sku,
      description: pickLocalized(i.description, opts.locale),
      groups: i.groups.map((g) => ({
        external_id: g.external_id,
        name: pickLocalized(g.name, opts.locale) ?? g.external_id,
      })),
    })),
  };
}
