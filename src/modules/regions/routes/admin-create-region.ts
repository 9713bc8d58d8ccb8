import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CreatedRegion, ProjectParams, RegionBody } from '../schemas.js';

/** POST …/admin/region — creates a region; 201 `{region_id}`. */
export default defineOperation({
  docSlug: 'admin-create-region',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/region',
  auth: 'basic',
  tag: 'common-regions',
  summary: 'Create region',
  description: 'Body: `{"name": {"en-US": "Asia"}, "countries": ["JP", "CN", "VN"]}`.',
  schema: {
    params: ProjectParams,
    body: RegionBody,
    response: { 201: CreatedRegion, 401: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const regionId = await req.server.services.regions.create(
      req.params.project_id,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send({ region_id: regionId });
  },
});
