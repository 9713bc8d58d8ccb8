/** The operations of the merchant area, one route file each (gathered by src/http/operations.ts). */
import type { AnyOperation } from '../../../http/operation.js';
import getProjects from './get-projects.js';

export const merchantOperations: readonly AnyOperation[] = [getProjects];
