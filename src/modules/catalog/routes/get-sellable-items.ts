import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ProjectParams } from '../schemas.js';
import { sellableViews } from '../service.js';

/** GET …/items — every sellable item of any type (seed G), 50 per page at most. */
export default defineOperation({
  docSlug: 'get-sellable-items',
  method: 'GET',
  path: '/v2/project/{project_id}/items',
  auth: 'user-optional',
  tag: 'common-catalog',
  summary: 'Get sellable items list',
  schema: {
    params: ProjectParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(req, reply, req.params.project_id, sellableViews.all, req.query),
});
