import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CodesSession, SessionParams } from '../schemas.js';

/** GET …/admin/items/game/key/upload/session/{session_id} — an upload session's counters and status; 404 otherwise. */
export default defineOperation({
  docSlug: 'admin-get-codes-session',
  method: 'GET',
  path: '/v2/project/{project_id}/admin/items/game/key/upload/session/{session_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Get codes loading session information',
  schema: {
    params: SessionParams,
    response: { 200: CodesSession, 401: ErrorRef, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.games.session(req.params.project_id, req.params.session_id),
});
