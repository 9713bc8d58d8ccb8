import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { ProjectParams, RegionList } from '../schemas.js';

/** GET …/admin/region — every region of the project `{regions: [{id, name, countries}]}`. */
export default defineOperation({
  docSlug: 'admin-get-regions',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/region',
  auth: 'basic',
  tag: 'common-regions',
  summary: 'Get regions',
  schema: { params: ProjectParams, response: { 200: RegionList, 401: ErrorRef } },
  handler: async (req) => ({ regions: await req.server.services.regions.list(req.params.project_id) }),
});
