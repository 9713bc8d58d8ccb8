import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { GroupExternalIdParams } from '../schemas.js';
import { catalogViews } from '../service.js';

/** GET …/items/virtual_items/group/{external_id} — sellable virtual items of a group; 404/4403 for an unknown group. */
export default defineOperation({
  docSlug: 'get-virtual-items-group',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_items/group/{external_id}',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get items list by specified group',
  schema: {
    params: GroupExternalIdParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(
      req,
      reply,
      req.params.project_id,
      catalogViews.virtualItemsOfGroup(req.params.external_id),
      req.query,
    ),
});
