/** Schemas of the sandbox pay station's JSON endpoints (Itemshop extensions). */
import { Type } from 'typebox';
import { Nullable } from '../../http/schemas.js';

export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 128 }) });

const Money = Type.Object({
  amount: Type.String(),
  amount_without_discount: Type.String(),
  currency: Type.String(),
});

/** What the pay station shows of the order a token opens. */
export const PaystationOrder = Type.Object({
  order_id: Type.Integer(),
  project_id: Type.Integer(),
  project_name: Type.String(),
  status: Type.Union(['new', 'paid', 'done', 'canceled', 'expired'].map((s) => Type.Literal(s))),
  mode: Type.Union([Type.Literal('default'), Type.Literal('sandbox')]),
  /** When an unpaid order expires (ISO 8601), null when it never does. */
  expires_at: Nullable(Type.String({ format: 'date-time' })),
  is_free: Type.Boolean(),
  price: Nullable(Money),
  virtual_price: Nullable(Money),
  items: Type.Array(
    Type.Object({
      sku: Type.String(),
      name: Type.String(),
      quantity: Type.Integer(),
      is_free: Type.Boolean(),
      price: Nullable(Money),
    }),
  ),
  /** Failed payment attempts so far. */
  payment_failures: Type.Integer(),
  /** Game codes the delivered order handed out (the buyer's receipt); empty until the order is `done`. */
  game_codes: Type.Array(Type.Object({ sku: Type.String(), code: Type.String() })),
  /**
   * Where the buyer returns (`settings.return_url` with `status`, `user_id`, `invoice_id`, `foreigninvoice`
   * added), or null.
   */
  return_url: Nullable(Type.String()),
  /**
   * Seconds after which the page sends the buyer to `return_url` by itself now that the buyer acted
   * (`settings.redirect_policy`), or null when it does not.
   */
  return_after_seconds: Nullable(Type.Number()),
  /** Whether Pay, Fail and Cancel are possible (the order awaits payment). */
  payable: Type.Boolean(),
});
