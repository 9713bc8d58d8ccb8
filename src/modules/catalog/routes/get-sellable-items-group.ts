import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { GroupParams } from '../schemas.js';
import { sellableViews } from '../service.js';

/** GET …/items/group/{external_id} — sellable items of a group in group order (seed H); 404/4403 when unknown. */
export default defineOperation({
  docSlug: 'get-sellable-items-group',
  method: 'GET',
  path: '/v2/project/{project_id}/items/group/{external_id}',
  auth: 'user-optional',
  tag: 'common-catalog',
  summary: 'Get sellable items list by specified group',
  schema: {
    params: GroupParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(
      req,
      reply,
      req.params.project_id,
      sellableViews.ofGroup(req.params.external_id),
      req.query,
    ),
});
