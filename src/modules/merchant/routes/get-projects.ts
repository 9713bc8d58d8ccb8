import { Type } from 'typebox';
import { defineOperation } from '../../../http/operation.js';
import { ErrorRef, MerchantIdParam, PageQuery, pageOf } from '../../../http/schemas.js';

/** GET …/merchant/{merchant_id}/projects — the merchant's project ids with the total count (merchant key only). */
export default defineOperation({
  docSlug: 'get-projects',
  method: 'GET',
  path: '/v2/merchant/{merchant_id}/projects',
  auth: 'merchant',
  tag: 'common-merchant',
  summary: 'Get projects',
  schema: {
    params: Type.Object({ merchant_id: MerchantIdParam }),
    querystring: PageQuery,
    response: {
      200: Type.Object({
        total_items_count: Type.Integer(),
        has_more: Type.Boolean(),
        items: Type.Array(Type.Object({ project_id: Type.Integer() })),
      }),
      401: ErrorRef,
      422: ErrorRef,
    },
  },
  handler: async (req) => {
    const { limit, offset } = pageOf(req.query);
    const { projectIds, total } = await req.server.services.tenancy.listProjects(
      req.params.merchant_id,
      limit,
      offset,
    );
    return {
      total_items_count: total,
      has_more: offset + projectIds.length < total,
      items: projectIds.map((project_id) => ({ project_id })),
    };
  },
});
