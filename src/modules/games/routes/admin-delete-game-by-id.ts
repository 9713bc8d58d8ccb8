import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemIdParams } from '../schemas.js';

/** DELETE …/admin/items/game/id/{item_id} — deletes the game, its keys and their codes (seed L); 204, 404/4001. */
export default defineOperation({
  docSlug: 'admin-delete-game-by-id',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/game/id/{item_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Delete game by ID',
  schema: {
    params: ItemIdParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.games.remove(
      req.params.project_id,
      { id: req.params.item_id },
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
