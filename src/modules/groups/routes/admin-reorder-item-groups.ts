import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GroupOrderBody, ProjectParams } from '../schemas.js';

/** PUT …/admin/group/order — sets `order` of the groups listed; 204; 404/4403 for an unknown group. */
export default defineOperation({
  docSlug: 'admin-reorder-item-groups',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/group/order',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Reorder item groups',
  description:
    'Body: `[{"external_id": "swords", "order": 1}, {"id": 12, "order": 2}]`. Groups left out keep their order.',
  schema: {
    params: ProjectParams,
    body: GroupOrderBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.groups.reorderGroups(req.params.project_id, req.body, writeOptions(req, reply));
    return reply.code(204).send();
  },
});
