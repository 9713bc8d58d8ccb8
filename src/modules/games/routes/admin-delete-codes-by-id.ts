import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { sendCodes } from '../http.js';
import { CodesText, DeleteCodesQuery, ItemIdParams } from '../schemas.js';

/**
 * DELETE …/admin/items/game/key/delete/id/{item_id} — deletes every code of the game key not handed out yet (of
 * `region_id` only, when given) and returns the deleted codes as text/plain, one per line. Used codes are kept.
 */
export default defineOperation({
  docSlug: 'admin-delete-codes-by-id',
  method: 'DELETE',
  path: '/v2/project/{project_id}/admin/items/game/key/delete/id/{item_id}',
  auth: 'basic',
  tag: 'game-keys-admin',
  summary: 'Delete codes by ID',
  schema: {
    params: ItemIdParams,
    querystring: DeleteCodesQuery,
    response: { 200: CodesText, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const regionId = req.query.region_id ?? null;
    return sendCodes(
      reply,
      await req.server.services.games.deleteCodes(
        req.params.project_id,
        { id: req.params.item_id },
        regionId,
        writeOptions(req, reply),
      ),
    );
  },
});
