import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ItemSkuParams } from '../schemas.js';

/** DELETE …/admin/items/game/sku/{item_sku} — deletes the game, its keys and their codes (seed L); 204, 404/4001. */
export default defineOperation({
  docSlug: 'admin-delete-game-by-sku',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/game/sku/{item_sku}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Delete game by SKU',
  schema: {
    params: ItemSkuParams,
    response: { 204: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.games.remove(
      req.params.project_id,
      { sku: req.params.item_sku },
      writeOptions(req, reply),
    );
    return reply.code(204).send();
  },
});
