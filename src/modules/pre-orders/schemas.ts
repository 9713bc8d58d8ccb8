/** Schemas of the common-pre-orders operations (spec get-/add-/set-/remove-/remove-all-/toggle-pre-order-limit). */
import { Type } from 'typebox';
import { ItemIdParams, ItemSkuParams } from '../../http/schemas.js';

export { ItemIdParams, ItemSkuParams };

export const PreOrderQuantity = Type.Object({
  quantity: Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'Number of units.' }),
});

export const PreOrderToggle = Type.Object({ is_pre_order_limit_enabled: Type.Boolean() });

export const PreOrderLimit = Type.Object({
  item_id: Type.Integer(),
  sku: Type.String(),
  is_pre_order_limit_enabled: Type.Boolean(),
  available: Type.Integer({ description: 'Units left to sell.' }),
  reserved: Type.Integer({ description: 'Units held by unpaid orders.' }),
  sold: Type.Integer({ description: 'Units paid for.' }),
});
