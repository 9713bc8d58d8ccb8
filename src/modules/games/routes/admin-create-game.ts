import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CreatedGame, GameBody, ProjectParams } from '../schemas.js';

/** POST …/admin/items/game — creates a game and its keys (seed K); 201 `{item_id, sku}`, 422/4002 on a taken sku. */
export default defineOperation({
  docSlug: 'admin-create-game',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/game',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Create game',
  schema: {
    params: ProjectParams,
    body: GameBody,
    response: { 201: CreatedGame, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    reply
      .code(201)
      .send(
        await req.server.services.games.create(req.params.project_id, req.body, writeOptions(req, reply)),
      ),
});
