import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { AttributeParams } from '../schemas.js';

/** DELETE …/admin/attribute/{external_id}/value — deletes every value and its item links; 404/9901 when absent. */
export default defineOperation({
  docSlug: 'admin-delete-all-attribute-value',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}/value',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Delete all values of attribute',
  schema: {
    params: AttributeParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.attributes.removeAllValues(
      req.params.project_id,
      req.params.external_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
