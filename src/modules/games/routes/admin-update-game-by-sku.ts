import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { GameBody, ItemSkuParams } from '../schemas.js';

/**
 * PUT …/admin/items/game/sku/{item_sku} — replaces the game and its keys (keys keep their codes); 201 with no
 * body as the spec documents; 404/4001, 422.
 */
export default defineOperation({
  docSlug: 'admin-update-game-by-sku',
  method: 'PUT',
  path: '/v2/project/{project_id}/admin/items/game/sku/{item_sku}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Update game by SKU',
  schema: {
    params: ItemSkuParams,
    body: GameBody,
    response: { 201: NoContent, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    await req.server.services.games.update(
      req.params.project_id,
      { sku: req.params.item_sku },
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send();
  },
});
