import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ProjectParams, RedeemBody } from '../schemas.js';

/**
 * POST …/entitlement/redeem — the user of the JWT redeems a code of a DRM-free game key and owns the game;
 * 201 with no body. 404/4603, 422/5101, 5103, 5106, 5107.
 */
export default defineOperation({
  docSlug: 'redeem-game-pin-code',
  method: 'POST',
  path: '/v2/project/{project_id}/entitlement/redeem',
  auth: 'user',
  tag: 'game-keys-entitlement',
  summary: 'Redeem game code by client',
  schema: {
    params: ProjectParams,
    body: RedeemBody,
    response: { 201: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { code, sandbox } = req.body;
    await req.server.services.entitlements.redeem(
      req.params.project_id,
      req.auth.user!.userId,
      code,
      !!sandbox,
      writeOptions(req, reply),
    );
    return reply.code(201).send();
  },
});
