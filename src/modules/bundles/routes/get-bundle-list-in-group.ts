import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, GroupExternalIdParams } from '../schemas.js';
import { bundleViews } from '../service.js';

/** GET …/items/bundle/group/{external_id} — listed standard bundles of a group in group order; 404/4403. */
export default defineOperation({
  docSlug: 'get-bundle-list-in-group',
  method: 'GET',
  path: '/v2/project/{project_id}/items/bundle/group/{external_id}',
  auth: 'user-optional',
  tag: 'bundles-catalog',
  summary: 'Get list of bundles by specified group',
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
      bundleViews.ofGroup(req.params.external_id),
      req.query,
    ),
});
