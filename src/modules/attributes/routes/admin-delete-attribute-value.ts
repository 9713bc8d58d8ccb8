import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ValueParams } from '../schemas.js';

/** DELETE …/admin/attribute/{external_id}/value/{value_external_id} — deletes the value and its item links. */
export default defineOperation({
  docSlug: 'admin-delete-attribute-value',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}/value/{value_external_id}',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Delete attribute value',
  schema: {
    params: ValueParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id, external_id, value_external_id } = req.params;
    await req.server.services.attributes.removeValue(
      project_id,
      external_id,
      value_external_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
