/**
 * The one error type services raise. The global handler (errors/handler.ts) renders it as the Xsolla envelope
 * `{statusCode, errorCode, errorMessage: "[0401-<code>]: <text>", transactionId, errorMessageExtended?}`.
 */
import { ERROR_CODES, prefixOf, type ErrorName } from './codes.js';

/** One entry of `errorMessageExtended` (spec examples: `[{property, message}]`). */
export interface ErrorDetail {
  property: string;
  message: string;
}

/** Options of an AppError beyond its kind and text. */
export interface AppErrorOptions extends ErrorOptions {
  /** Sent as `Retry-After` (seconds) by the error handler: the same request may succeed later. */
  retryAfterSeconds?: number;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;
  readonly errorCode: number;
  /** Service prefix of `errorMessage`: `0401` (store) unless the catalogue gives the kind its own. */
  readonly prefix: string;
  /** `Retry-After` of the answer, in seconds (transient failures). */
  readonly retryAfterSeconds?: number;

  /**
   * @param kind     key of ERROR_CODES (gives status and code)
   * @param message  text after the `[0401-<code>]: ` prefix; defaults to the catalogue text
   * @param extended optional details rendered as `errorMessageExtended`
   * @param options  `cause` (ES2022: the error this one answers for, e.g. a PostgreSQL error; logged, never
   *                 rendered) and `retryAfterSeconds`
   */
  constructor(
    readonly kind: ErrorName,
    message?: string,
    readonly extended?: ErrorDetail[],
    options?: AppErrorOptions,
  ) {
    super(message ?? ERROR_CODES[kind].message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.statusCode = ERROR_CODES[kind].status;
    this.errorCode = ERROR_CODES[kind].code;
    this.prefix = prefixOf(kind);
  }
}

/** 404/4001 for an item looked up by sku (message as the real service words it). */
export const itemNotFoundBySku = (sku: string) =>
  new AppError('ITEM_NOT_FOUND', `Item with sku = '${sku}' not found`);
/** 404/4001 for an item looked up by numeric id. */
export const itemNotFoundById = (id: number | string) =>
  new AppError('ITEM_NOT_FOUND', `Item with id = ${id} not found`);
/** 422/4002 when a sku is already used in the project. */
export const skuExists = (sku: string, projectId: number) =>
  new AppError('SKU_EXISTS', `Item with sku = '${sku}' already exist in project ${projectId}.`);
/** 404/4403 for an unknown item group. */
export const groupNotFound = () => new AppError('GROUP_NOT_FOUND');
/** 422/1102 with a specific sentence and the offending property. */
export const invalid = (property: string, message: string) =>
  new AppError('VALIDATION', `Unprocessable Entity. ${message}`, [{ property, message }]);
