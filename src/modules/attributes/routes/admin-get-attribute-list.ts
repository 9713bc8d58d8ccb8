import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { AdminAttributeList, AttributeListQuery, ProjectParams } from '../schemas.js';

/** GET …/admin/attribute — a page of the project's attributes (creation order) and `total_count`. */
export default defineOperation({
  docSlug: 'admin-get-attribute-list',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/attribute',
  auth: 'basic',
  tag: 'attribute-admin',
  summary: 'Get list of attributes (admin)',
  schema: {
    params: ProjectParams,
    querystring: AttributeListQuery,
    response: { 200: AdminAttributeList, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req) => req.server.services.attributes.list(req.params.project_id, pageOf(req.query)),
});
