import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GroupParams } from '../schemas.js';

/** DELETE …/admin/items/groups/{external_id} — 204; its items leave it, its children move up; 404/4403. */
export default defineOperation({
  docSlug: 'admin-delete-item-group',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/groups/{external_id}',
  auth: 'basic',
  tag: 'item-groups-admin',
  summary: 'Delete item group',
  description:
    'Deletes the group. Its items are not deleted, only taken out of it; its child groups move up to its parent.',
  schema: { params: GroupParams, response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef } },
  handler: async (req, reply) => {
    await req.server.services.groups.remove(
      req.params.project_id,
      req.params.external_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
