import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { RegionParams } from '../schemas.js';

/** DELETE …/admin/region/{region_id} — 204; also lifts the restriction from items; 404/9701. */
export default defineOperation({
  docSlug: 'admin-delete-region',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/region/{region_id}',
  auth: 'basic',
  tag: 'common-regions',
  summary: 'Delete region',
  description:
    'Deletes the region and removes it from every item restricted to it; an item left with no region is sold everywhere.',
  schema: { params: RegionParams, response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef } },
  handler: async (req, reply) => {
    await req.server.services.regions.remove(
      req.params.project_id,
      req.params.region_id,
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
