import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';

import { PaystationOrder, TokenParams } from '../schemas.js';

/** GET /paystation/{token} — what the sandbox pay station shows of the token's order (Itemshop extension). */
export default defineOperation({
  docSlug: 'paystation-get-order',
  method: 'GET',
  path: '/paystation/{token}',
  auth: 'none',
  tag: 'paystation',
  extension: true,
  summary: 'Get the order of a payment token (sandbox pay station, Itemshop extension)',
  description:
    'The order a payment token opens: status, items with names and prices, total, expiry, failed attempts. ' +
    'The token is the credential. 404/9001 for an unknown or expired token.',
  schema: {
    params: TokenParams,
    response: { 200: PaystationOrder, 404: ErrorRef },
  },
  handler: async (req) => req.server.services.paystation.show(req.params.token),
});
