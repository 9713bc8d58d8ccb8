import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { writeOptions } from '../../../http/write.js';
import { PaystationOrder, TokenParams } from '../schemas.js';

/** POST /paystation/{token}/fail — the fail button of the sandbox pay station, for tests and headless use. */
export default defineOperation({
  docSlug: 'paystation-fail',
  method: 'POST',
  path: '/paystation/{token}/fail',
  auth: 'none',
  tag: 'paystation',
  extension: true,
  summary: 'Fail the payment (sandbox pay station, Itemshop extension)',
  description:
    'Simulates a declined payment, as the Fail button does: the attempt is recorded and the order stays ' +
    '`new` (the buyer may try again). 409 when the order no longer awaits payment.',
  schema: {
    params: TokenParams,
    response: { 200: PaystationOrder, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.paystation.act(
      req.params.token,
      'fail',
      writeOptions(req, reply, { scope: `paystation:${req.params.token}` }),
    ),
});
