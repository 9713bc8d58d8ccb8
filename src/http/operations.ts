/**
 * The operations table: every operation Itemshop serves, one route file each, gathered per area by
 * `src/modules/<area>/routes/index.ts`. The app registers routes from it; the OpenAPI document,
 * docs/operations.md and the common auth tests are generated from it. An operation missing here does not exist.
 */
import type { AnyOperation } from './operation.js';
import { attributesOperations } from '../modules/attributes/routes/index.js';
import { bundlesOperations } from '../modules/bundles/routes/index.js';
import { cartOperations } from '../modules/cart/routes/index.js';
import { catalogOperations } from '../modules/catalog/routes/index.js';
import { connectorOperations } from '../modules/connector/routes/index.js';
import { entitlementsOperations } from '../modules/entitlements/routes/index.js';
import { gamesOperations } from '../modules/games/routes/index.js';
import { groupsOperations } from '../modules/groups/routes/index.js';
import { inventoryOperations } from '../modules/inventory/routes/index.js';
import { limitsOperations } from '../modules/limits/routes/index.js';
import { merchantOperations } from '../modules/merchant/routes/index.js';
import { ordersOperations } from '../modules/orders/routes/index.js';
import { paystationOperations } from '../modules/paystation/routes/index.js';
import { preOrdersOperations } from '../modules/pre-orders/routes/index.js';
import { regionsOperations } from '../modules/regions/routes/index.js';
import { virtualItemsOperations } from '../modules/virtual-items/routes/index.js';
import { webhooksOperations } from '../modules/webhooks/routes/index.js';

export const operations: readonly AnyOperation[] = [
  ...attributesOperations,
  ...bundlesOperations,
  ...cartOperations,
  ...catalogOperations,
  ...connectorOperations,
  ...entitlementsOperations,
  ...gamesOperations,
  ...groupsOperations,
  ...inventoryOperations,
  ...limitsOperations,
  ...merchantOperations,
  ...ordersOperations,
  ...paystationOperations,
  ...preOrdersOperations,
  ...regionsOperations,
  ...virtualItemsOperations,
  ...webhooksOperations,
];
