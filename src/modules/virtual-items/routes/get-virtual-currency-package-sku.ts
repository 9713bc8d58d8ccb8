import { findBySku, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { PackageSkuParams } from '../schemas.js';

/** GET …/items/virtual_currency/package/sku/{virtual_currency_package_sku} — one sellable package. */
export default defineOperation({
  docSlug: 'get-virtual-currency-package-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_currency/package/sku/{virtual_currency_package_sku}',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get virtual currency package by SKU',
  schema: {
    params: PackageSkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, virtual_currency_package_sku: sku } = req.params;
    const find = findBySku(sku, (i) => i.bundle_type === 'virtual_currency_package');
    return sendCatalogItem(req, reply, project_id, find, req.query, () => itemNotFoundBySku(sku));
  },
});
