import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GroupBody, GroupParams } from '../schemas.js';

/** PUT …/admin/items/groups/{external_id} — replaces a group (may rename it); 204; 404/4403; 422. */
export default defineOperation({
  docSlug: 'admin-update-item-group',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/groups/{external_id}',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Update item group',
  description:
    'Replaces the group: a documented field left out takes its default. `external_id` in the body renames the group; `parent_external_id` left out keeps the current parent, null moves the group to the top level.',
  schema: {
    params: GroupParams,
    body: GroupBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.groups.update(
      req.params.project_id,
      req.params.external_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
