import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { RegionBody, RegionParams } from '../schemas.js';

/** PUT …/admin/region/{region_id} — replaces name and countries; 204; 404/9701. */
export default defineOperation({
  docSlug: 'admin-update-region',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/region/{region_id}',
  auth: 'basic',
  tag: 'common-regions',
  summary: 'Update region',
  schema: {
    params: RegionParams,
    body: RegionBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.regions.update(
      req.params.project_id,
      req.params.region_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
