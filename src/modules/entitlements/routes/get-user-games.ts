import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, pageOf } from '../../../http/schemas.js';
import { ProjectParams, UserGames, UserGamesQuery } from '../schemas.js';

/** GET …/entitlement — the games the user of the JWT owns, 50 per page at most (`sandbox=1`: sandbox ones). */
export default defineOperation({
  docSlug: 'get-user-games',
  method: 'GET',
  path: '/v2/project/{project_id}/entitlement',
  auth: 'user',
  tag: 'game-keys-entitlement',
  summary: 'Get list of games owned by user',
  schema: {
    params: ProjectParams,
    querystring: UserGamesQuery,
    response: { 200: UserGames, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) =>
    req.server.services.entitlements.list(req.params.project_id, req.auth.user!.userId, {
      ...pageOf(req.query),
      sandbox: req.query.sandbox === 1,
    }),
});
