import { findBySku, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ItemSkuParams } from '../schemas.js';

/** GET …/items/virtual_items/sku/{item_sku} — one sellable virtual item; 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-virtual-items-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_items/sku/{item_sku}',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get virtual item by SKU',
  schema: {
    params: ItemSkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_sku } = req.params;
    const find = findBySku(item_sku, (i) => i.type === 'virtual_good');
    return sendCatalogItem(req, reply, project_id, find, req.query, () => itemNotFoundBySku(item_sku));
  },
});
