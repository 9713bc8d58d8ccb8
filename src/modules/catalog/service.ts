/**
 * The common catalog (spec group common-catalog): every sellable item type in one list, by group, by sku and by
 * numeric id. SELLABLE_TYPES is the one place that says which item types the sellable-items calls return.
 */
import { groupItems } from '../../catalog/http.js';
import type { ViewSpec } from '../../catalog/store.js';
import type { ItemType } from '../items/model.js';

/** Item types listed by get-sellable-items (games are sold through their game keys). */
export const SELLABLE_TYPES: readonly ItemType[] = ['virtual_good', 'virtual_currency', 'bundle', 'game_key'];

export const isSellable = (item: { type: ItemType }) => SELLABLE_TYPES.includes(item.type);

export const sellableViews = {
  all: { key: 'sellable', select: (s) => s.ofTypes(SELLABLE_TYPES) } satisfies ViewSpec,
  ofGroup: (externalId: string): ViewSpec => ({
    key: `sellable@${externalId}`,
    select: (s) => groupItems(s, externalId).filter(isSellable),
  }),
};
