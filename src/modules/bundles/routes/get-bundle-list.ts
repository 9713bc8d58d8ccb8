import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, ProjectParams } from '../schemas.js';
import { bundleViews } from '../service.js';

/** GET …/items/bundle — listed standard bundles with their content and total_content_price, 50 per page at most. */
export default defineOperation({
  docSlug: 'get-bundle-list',
  method: 'GET',
  path: '/v2/project/{project_id}/items/bundle',
  auth: 'user-optional',
  tag: 'bundles-catalog',
  summary: 'Get list of bundles',
  schema: {
    params: ProjectParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(req, reply, req.params.project_id, bundleViews.all, req.query),
});
