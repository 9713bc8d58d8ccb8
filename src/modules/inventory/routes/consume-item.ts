import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef, NoContent } from '../../../http/schemas.js';
import { ConsumeBody, PlayerQuery, ProjectParams } from '../schemas.js';

/**
 * POST …/user/inventory/item/consume — the user of the JWT uses up `quantity` units of a consumable (or of a
 * virtual currency); 200 with no body. Never below zero: 404/4001 when the user holds fewer. 422/5002 without
 * sku or quantity. Honours Idempotency-Key. Xsolla Player Inventory API shape (not in the Catalog API spec).
 */
export default defineOperation({
  docSlug: 'consume-item',
  method: 'POST',
  path: '/v2/project/{project_id}/user/inventory/item/consume',
  auth: 'user',
  tag: 'inventory-client',
  summary: 'Consume item',
  extension: true,
  schema: {
    params: ProjectParams,
    querystring: PlayerQuery,
    body: ConsumeBody,
    response: { 200: NoContent, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { project_id } = req.params;
    await req.server.services.inventory.consume(
      project_id,
      req.auth.user!.userId,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(200).send();
  },
});
