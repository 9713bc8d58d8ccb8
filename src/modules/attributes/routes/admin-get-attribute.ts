import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { AdminAttribute, AttributeParams } from '../schemas.js';

/** GET …/admin/attribute/{external_id} — the attribute with its values; 404/9901 when absent. */
export default defineOperation({
  docSlug: 'admin-get-attribute',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/attribute/{external_id}',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Get specified attribute',
  schema: {
    params: AttributeParams,
    response: { 200: AdminAttribute, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.attributes.get(req.params.project_id, req.params.external_id),
});
