/** The operations of the attribute admin area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import adminCreateAttributeValue from './admin-create-attribute-value.js';
import adminCreateAttribute from './admin-create-attribute.js';
import adminDeleteAllAttributeValue from './admin-delete-all-attribute-value.js';
import adminDeleteAttributeValue from './admin-delete-attribute-value.js';
import adminGetAttributeList from './admin-get-attribute-list.js';
import adminGetAttribute from './admin-get-attribute.js';
import adminUpdateAttributeValue from './admin-update-attribute-value.js';
import adminUpdateAttribute from './admin-update-attribute.js';
import deleteAttribute from './delete-attribute.js';

export const attributesOperations: readonly AnyOperation[] = [
  adminCreateAttributeValue,
  adminCreateAttribute,
  adminDeleteAllAttributeValue,
  adminDeleteAttributeValue,
  adminGetAttributeList,
  adminGetAttribute,
  adminUpdateAttributeValue,
  adminUpdateAttribute,
  deleteAttribute,
];
