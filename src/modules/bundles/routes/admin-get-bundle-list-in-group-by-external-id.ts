import { defineOperation } from '../../../http/operation.js';
import { pageOf } from '../../../http/schemas.js';
import { AdminBundleList, AdminListQuery, ErrorRef, GroupExternalIdParams } from '../schemas.js';

/** GET …/admin/items/bundle/group/external_id/{external_id} — standard bundles of a group, in group order; 404/4403. */
export default defineOperation({
  docSlug: 'admin-get-bundle-list-in-group-by-external-id',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/bundle/group/external_id/{external_id}',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Get list of bundles by specified group external id (admin)',
  schema: {
    params: GroupExternalIdParams,
    querystring: AdminListQuery,
    response: { 200: AdminBundleList, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.bundles.adminList(req.params.project_id, pageOf(req.query), {
      externalId: req.params.external_id,
    }),
});
