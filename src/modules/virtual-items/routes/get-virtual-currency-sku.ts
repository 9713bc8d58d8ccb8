import { findBySku, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CurrencySkuParams } from '../schemas.js';

/** GET …/items/virtual_currency/sku/{virtual_currency_sku} — one sellable virtual currency; 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-virtual-currency-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_currency/sku/{virtual_currency_sku}',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get virtual currency by SKU',
  schema: {
    params: CurrencySkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, virtual_currency_sku: sku } = req.params;
    const find = findBySku(sku, (i) => i.type === 'virtual_currency');
    return sendCatalogItem(req, reply, project_id, find, req.query, () => itemNotFoundBySku(sku));
  },
});
