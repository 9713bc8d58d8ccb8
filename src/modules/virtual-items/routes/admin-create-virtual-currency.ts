import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { CreatedSku } from '../../items/schemas.js';
import { ProjectParams, VirtualCurrencyBody } from '../schemas.js';
import { VIRTUAL_CURRENCY } from '../service.js';

/** POST …/admin/items/virtual_currency — creates a virtual currency; 201 `{sku}`. */
export default defineOperation({
  docSlug: 'admin-create-virtual-currency',
  method: 'POST',
  path: '/v2/project/{project_id}/admin/items/virtual_currency',
  auth: 'basic',
  tag: 'virtual-items-currency-admin',
  summary: 'Create virtual currency',
  schema: {
    params: ProjectParams,
    body: VirtualCurrencyBody,
    response: { 201: CreatedSku, 401: ErrorRef, 404: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) => {
    const { sku } = await req.server.services.items.create(
      req.params.project_id,
      VIRTUAL_CURRENCY,
      req.body,
      writeOptions(req, reply),
    );
    return reply.code(201).send({ sku });
  },
});
