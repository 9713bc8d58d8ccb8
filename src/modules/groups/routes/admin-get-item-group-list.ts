import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGroupList, ProjectParams } from '../schemas.js';

/** GET …/admin/items/groups — every group of the project, flat (parents before children), with item counts. */
export default defineOperation({
  docSlug: 'admin-get-item-group-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/groups',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Get item group list (admin)',
  description:
    'Every item group of the project without pagination, wrapped as `{groups}`. Not for storefronts.',
  schema: { params: ProjectParams, response: { 200: AdminGroupList, 401: ErrorRef } },
  handler: async (req) => ({ groups: await req.server.services.groups.list(req.params.project_id) }),
});
