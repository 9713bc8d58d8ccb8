import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { writeOptions } from '../../../http/write.js';
import { PaystationOrder, TokenParams } from '../schemas.js';

/** POST /paystation/{token}/pay — the pay button of the sandbox pay station, for tests and headless use. */
export default defineOperation({
  docSlug: 'paystation-pay',
  method: 'POST',
  path: '/paystation/{token}/pay',
  auth: 'none',
  tag: 'paystation',
  extension: true,
  summary: 'Pay the order (sandbox pay station, Itemshop extension)',
  description:
    'Pays the order the token opens, as the Pay button of the sandbox pay station does: `new → paid`, the' +
    ' `order_paid` webhook is queued, the items are delivered and the order is `done`, in one ' +
    'transaction. Paying a paid or done order changes nothing; a canceled or expired order answers 409.',
  schema: {
    params: TokenParams,
    response: { 200: PaystationOrder, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.paystation.act(
      req.params.token,
      'pay',
      writeOptions(req, reply, { scope: `paystation:${req.params.token}` }),
    ),
});
