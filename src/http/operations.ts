/**
 * The operations table: every operation Itemshop serves, one route file each, gathered per area by
 * `src/modules/<area>/routes/index.ts`. The app registers routes from it; the OpenAPI document,
 * docs/operations.md and the common auth tests are generated from it. An operation missing here does not exist.
 */
import type { AnyOperation } from './operation.js';
import { catalogOperations } from '../modules/catalog/routes/index.js';
import { merchantOperations } from '../modules/merchant/routes/index.js';
import { virtualItemsOperations } from '../modules/virtual-items/routes/index.js';

export const operations: readonly AnyOperation[] = [
  ...catalogOperations,
  ...merchantOperations,
  ...virtualItemsOperations,
];
