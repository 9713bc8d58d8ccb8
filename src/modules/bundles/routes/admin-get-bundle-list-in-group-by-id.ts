import { defineOperation } from '../../../http/operation.js';
import { pageOf } from '../../../http/schemas.js';
import { AdminBundleList, AdminListQuery, ErrorRef, GroupIdParams } from '../schemas.js';

/** GET …/admin/items/bundle/group/id/{group_id} — standard bundles of a group by its numeric id; 404/4403. */
export default defineOperation({
  docSlug: 'admin-get-bundle-list-in-group-by-id',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/bundle/group/id/{group_id}',
  auth: 'basic',
  tag: 'bundles-admin',
  summary: 'Get list of bundles by specified group id (admin)',
  schema: {
    params: GroupIdParams,
    querystring: AdminListQuery,
    response: { 200: AdminBundleList, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.bundles.adminList(req.params.project_id, pageOf(req.query), {
      groupId: req.params.group_id,
    }),
});
