import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent, ProjectParams } from '../../../http/schemas.js';
import { UserLimitResetAll } from '../schemas.js';

/** DELETE /v2/project/{project_id}/admin/user/limit/item/all — Refresh every purchase limit of a user */
export default defineOperation({
  docSlug: 'reset-all-user-items-limit',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/user/limit/item/all',
  auth: 'basic',
  tag: 'user-limits-admin',
  summary: 'Refresh every purchase limit of a user',
  schema: {
    params: ProjectParams,
    body: UserLimitResetAll,
    response: { 200: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.limits.resetUser(
      req.params.project_id,
      req.body.user.user_external_id,
      writeOptions(req, reply),
    );
    return reply.code(200).send();
  },
});
