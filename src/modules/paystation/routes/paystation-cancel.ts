import { defineOperation } from '../../../http/operation.js';
import { ErrorRef } from '../../../http/schemas.js';
import { writeOptions } from '../../../http/write.js';
import { PaystationOrder, TokenParams } from '../schemas.js';

/** POST /paystation/{token}/cancel — the cancel button of the sandbox pay station, for tests and headless use. */
export default defineOperation({
  docSlug: 'paystation-cancel',
  method: 'POST',
  path: '/paystation/{token}/cancel',
  auth: 'none',
  tag: 'paystation',
  extension: true,
  summary: 'Cancel the order (sandbox pay station, Itemshop extension)',
  description:
    'The buyer gives up, as the Cancel button does: `new → canceled`. Canceling a canceled order changes ' +
    'nothing; a paid, done or expired order answers 409.',
  schema: {
    params: TokenParams,
    response: { 200: PaystationOrder, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.paystation.act(
      req.params.token,
      'cancel',
      writeOptions(req, reply, { scope: `paystation:${req.params.token}` }),
    ),
});
