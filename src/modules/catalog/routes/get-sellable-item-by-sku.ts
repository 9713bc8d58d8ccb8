import { findBySku, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { SkuParams } from '../schemas.js';
import { isSellable } from '../service.js';

/** GET …/items/sku/{sku} — one sellable item of any type by sku; 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-sellable-item-by-sku',
  method: 'GET',
  path: '/v2/project/{project_id}/items/sku/{sku}',
  auth: 'user-optional',
  tag: 'common-catalog',
  summary: 'Get sellable item by SKU',
  schema: {
    params: SkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, sku } = req.params;
    return sendCatalogItem(req, reply, project_id, findBySku(sku, isSellable), req.query, () =>
      itemNotFoundBySku(sku),
    );
  },
});
