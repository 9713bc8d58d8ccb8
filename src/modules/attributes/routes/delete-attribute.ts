import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { AttributeParams } from '../schemas.js';

/** DELETE …/admin/attribute/{external_id} — deletes it, its values and their item links; 404/9901 when absent. */
export default defineOperation({
  docSlug: 'delete-attribute',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Delete attribute',
  schema: {
    params: AttributeParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.attributes.remove(
      req.params.project_id,
      req.params.external_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
