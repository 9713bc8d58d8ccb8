import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GrantBody, ProjectParams } from '../schemas.js';

/**
 * POST …/admin/entitlement/grant — gives a user a game on the DRM-free platform (optionally consuming one of its
 * codes); 200 with no body. 404/4603, 4604, 422/5101, 5103, 5107.
 */
export default defineOperation({
  docSlug: 'grant-entitlement-admin',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/entitlement/grant',
  auth: 'basic',
  tag: 'game-keys-entitlement',
  summary: 'Grant entitlement by admin',
  schema: {
    params: ProjectParams,
    body: GrantBody,
    response: { 200: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.entitlements.grant(req.params.project_id, req.body, writeOptions(req, reply));
    return reply.code(200).send();
  },
});
