import { findBySku, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundBySku } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { BundleSkuParams, ErrorRef } from '../schemas.js';
import { isStandardBundle } from '../service.js';

/** GET …/items/bundle/sku/{sku} — one listed standard bundle; 404/4001 otherwise (packages included). */
export default defineOperation({
  docSlug: 'get-bundle',
  method: 'GET',
  path: '/v2/project/{project_id}/items/bundle/sku/{sku}',
  auth: 'user-optional',
  tag: 'bundles-catalog',
  summary: 'Get specified bundle',
  schema: {
    params: BundleSkuParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, sku } = req.params;
    const find = findBySku(sku, isStandardBundle);
    return sendCatalogItem(req, reply, project_id, find, req.query, () => itemNotFoundBySku(sku));
  },
});
