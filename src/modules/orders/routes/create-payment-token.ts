import { defineOperation } from '../../../http/operation.js';
import { writeOptions } from '../../../http/write.js';
import { ErrorRef } from '../../../http/schemas.js';
import { buyerOf } from '../http.js';
import { CreatedOrder, PaymentTokenBody, ProjectParams } from '../schemas.js';

/**
 * POST …/payment — client side: an order of what the body describes, with a payment token (the call the Android
 * and Unity SDKs make; docs/decisions/0024-client-payment-token.md).
 */
export default defineOperation({
  docSlug: 'create-payment-token',
  method: 'POST',
  path: '/v2/project/{project_id}/payment',
  auth: 'user',
  tag: 'payment-client-side',
  extension: true,
  summary: 'Create payment token for a described purchase (SDK call, Itemshop extension)',
  description:
    'The client-side payment token of the Android (`createPaymentToken`) and Unity (`CreatePaymentToken`) SDKs, ' +
    'in neither the seeds nor the July spec. Creates an order (status `new`) for the user of the JWT whose lines ' +
    'are what `purchase` describes — `items[]` (name, price, quantity, `is_bonus`), or else one line named by ' +
    '`description.value` — for `checkout.amount` in `checkout.currency`, and returns `{token, order_id}`. The ' +
    'lines are not catalog items: paying delivers nothing; fulfil the order from the `order_paid` webhook. ' +
    '`settings` and `custom_parameters` are kept as for create-order; `settings.sandbox` (or `sandbox`) gives ' +
    'a sandbox order. 422/1102 without a currency or with a total that is not positive.',
  schema: {
    params: ProjectParams,
    body: PaymentTokenBody,
    response: { 200: CreatedOrder, 401: ErrorRef, 404: ErrorRef, 409: ErrorRef, 422: ErrorRef },
  },
  handler: async (req, reply) =>
    req.server.services.orders.createFromPayment(
      req.params.project_id,
      buyerOf(req),
      req.body,
      writeOptions(req, reply),
    ),
});
