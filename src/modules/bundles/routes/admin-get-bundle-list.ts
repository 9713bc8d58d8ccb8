import { defineOperation } from '../../../http/operation.js';
import { pageOf } from '../../../http/schemas.js';
import { AdminBundleList, AdminListQuery, ErrorRef, ProjectParams } from '../schemas.js';

/** GET …/admin/items/bundle — a page of standard bundles with their content. */
export default defineOperation({
  docSlug: 'admin-get-bundle-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/bundle',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Get list of bundles (admin)',
  schema: {
    params: ProjectParams,
    querystring: AdminListQuery,
    response: { 200: AdminBundleList, 401: ErrorRef },
  },
  handler: async (req) => req.server.services.bundles.adminList(req.params.project_id, pageOf(req.query)),
});
