/** The operations of the import connector (endpoints.tsv group connector-admin), gathered by src/http/operations.ts. */
import type { AnyOperation } from '../../../http/operation.js';
import getItemsImportStatus from './get-items-import-status.js';
import importItemsFromExternalFile from './import-items-from-external-file.js';

export const connectorOperations: readonly AnyOperation[] = [
  getItemsImportStatus,
  importItemsFromExternalFile,
];
