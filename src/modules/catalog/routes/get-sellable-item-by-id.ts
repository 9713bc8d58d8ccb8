import { findById, sendCatalogItem } from '../../../catalog/http.js';
import { CatalogItem, CatalogItemQuery } from '../../../catalog/schemas.js';
import { itemNotFoundById } from '../../../errors/app-error.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ItemIdParams } from '../schemas.js';
import { isSellable } from '../service.js';

/** GET …/items/id/{item_id} — one sellable item by numeric id (seed I); 404/4001 otherwise. */
export default defineOperation({
  docSlug: 'get-sellable-item-by-id',
  method: 'GET',
  path: '/v2/project/{project_id}/items/id/{item_id}',
  auth: 'user-optional',
  tag: 'common-catalog',
  summary: 'Get sellable item by ID',
  schema: {
    params: ItemIdParams,
    querystring: CatalogItemQuery,
    response: { 200: CatalogItem, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, item_id } = req.params;
    const find = findById(/^\d{1,10}$/.test(item_id) ? Number(item_id) : -1, isSellable);
    return sendCatalogItem(req, reply, project_id, find, req.query, () => itemNotFoundById(item_id));
  },
});
