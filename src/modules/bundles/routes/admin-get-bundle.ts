import { defineOperation } from '../../../http/operation.js';
import { AdminBundle, AdminItemQuery, BundleSkuParams, ErrorRef } from '../schemas.js';

/** GET …/admin/items/bundle/sku/{sku} — one standard bundle with its content; 404/4001 when absent. */
export default defineOperation({
  docSlug: 'admin-get-bundle',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/bundle/sku/{sku}',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Get bundle (admin)',
  schema: {
    params: BundleSkuParams,
    querystring: AdminItemQuery,
    response: { 200: AdminBundle, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.bundles.adminGet(req.params.project_id, req.params.sku),
});
