import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminGroup, GroupParams } from '../schemas.js';

/** GET …/admin/items/groups/{external_id} — one group with its item count; 404/4403 when unknown. */
export default defineOperation({
  docSlug: 'admin-get-item-group',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/groups/{external_id}',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Get item group by external ID (admin)',
  schema: { params: GroupParams, response: { 200: AdminGroup, 401: ErrorRef, 404: ErrorRef } },
  handler: async (req) => req.server.services.groups.get(req.params.project_id, req.params.external_id),
});
