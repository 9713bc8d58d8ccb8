import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ProjectParams, RevokeBody } from '../schemas.js';

/** POST …/admin/entitlement/revoke — takes a DRM-free game away from a user; 204. 404/4604, 422/5103. */
export default defineOperation({
  docSlug: 'revoke-entitlement-admin',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/entitlement/revoke',
  auth: 'basic',
  tag: 'game-keys-entitlement',
  summary: 'Revoke entitlement by admin',
  schema: {
    params: ProjectParams,
    body: RevokeBody,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.entitlements.revoke(req.params.project_id, req.body, writeOptions(req, reply));
    return reply.code(204).send();
  },
});
