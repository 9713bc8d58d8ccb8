import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { RegionParams, RegionView } from '../schemas.js';

/** GET …/admin/region/{region_id} — one region; 404/9701 when it is not in the project. */
export default defineOperation({
  docSlug: 'admin-get-region',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/region/{region_id}',
  auth: 'basic',
  tag: 'common-regions',
  summary: 'Get region',
  schema: { params: RegionParams, response: { 200: RegionView, 401: ErrorRef, 404: ErrorRef } },
  handler: async (req) => req.server.services.regions.get(req.params.project_id, req.params.region_id),
});
