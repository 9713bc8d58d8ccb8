import { sendCatalogPage } from '../../../catalog/http.js';
import { CatalogListQuery, CatalogPage } from '../../../catalog/schemas.js';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ProjectParams } from '../schemas.js';
import { catalogViews } from '../service.js';

/** GET …/items/virtual_currency/package — sellable virtual currency packages with their content. */
export default defineOperation({
  docSlug: 'get-virtual-currency-package',
  method: 'GET',
  path: '/v2/project/{project_id}/items/virtual_currency/package',
  auth: 'user-optional',
  tag: 'virtual-items-currency-catalog',
  summary: 'Get virtual currency package list',
  schema: {
    params: ProjectParams,
    querystring: CatalogListQuery,
    response: { 200: CatalogPage, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) =>
    sendCatalogPage(req, reply, req.params.project_id, catalogViews.packages, req.query),
});
