import { viewOptions } from '../../../catalog/http.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AllVirtualItems, AllVirtualItemsQuery, ProjectParams } from '../schemas.js';
import { allVirtualItems } from '../service.js';

/** GET …/items/virtual_items/all — every sellable virtual item as `{sku, name, description, groups}`, unpaged. */
export default defineOperation({
  docSlug: 'get-all-virtual-items',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_items/all',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get all virtual items list',
  schema: {
    params: ProjectParams,
    querystring: AllVirtualItemsQuery,
    response: { 200: AllVirtualItems, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    allVirtualItems(req.server.services.catalog, req.params.project_id, viewOptions(req, req.query)),
});
