import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CreatedSku } from '../../items/schemas.js';
import { ProjectParams, VirtualItemBody } from '../schemas.js';
import { VIRTUAL_GOOD } from '../service.js';

/** POST …/admin/items/virtual_items — creates a virtual item; 201 `{sku}`, 422/4002 when the sku exists. */
export default defineOperation({
  docSlug: 'admin-create-virtual-item',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/virtual_items',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Create virtual item',
  schema: {
    params: ProjectParams,
    body: VirtualItemBody,
    response: { 201: CreatedSku, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { sku } = await req.server.services.items.create(
      req.params.project_id,
      VIRTUAL_GOOD,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send({ sku });
  },
});
