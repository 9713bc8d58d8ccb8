/**
 * One operation = one route file exporting `defineOperation({...})`: its `doc_slug` (the operationId of
 * spec/endpoints.tsv), method, path below `/api`, auth scheme, schemas and a short handler. The operations
 * table (http/operations.ts) lists them all; the app, the OpenAPI document, docs/operations.md and the
 * common auth tests are all generated from that table.
 */
import type { FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Static, TSchema } from 'typebox';

/**
 * Who may call an operation:
 * - `basic`: HTTP Basic `project_id:api_key` (spec basicAuth);
 * - `merchant`: HTTP Basic `merchant_id:api_key` (spec basicMerchantAuth);
 * - `user-optional`: anonymous, or a user JWT that personalizes the answer (catalog reads);
 * - `user`: a user JWT is required;
 * - `cart`: AuthForCart — a user JWT, or the guest mode headers `x-unauthorized-id` + base64 `x-user` (email);
 * - `none`: public.
 */
export type AuthKind = 'basic' | 'merchant' | 'user-optional' | 'user' | 'cart' | 'none';

export interface OperationSchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  headers?: TSchema;
  response: Record<number, TSchema>;
}

type S<T> = T extends TSchema ? Static<T> : unknown;

/** The request a handler receives: params, query and body typed from the operation's schemas. */
export type OperationRequest<Sc extends OperationSchema> = FastifyRequest<{
  Params: S<Sc['params']>;
  Querystring: S<Sc['querystring']>;
  Body: S<Sc['body']>;
  Headers: S<Sc['headers']>;
}>;

export interface Operation<Sc extends OperationSchema = OperationSchema> {
  /** operationId of spec/endpoints.tsv (`doc_slug`). */
  docSlug: string;
  method: HTTPMethods;
  /** Path below `/api` (or below `/` when `root`), with `{param}` placeholders exactly as endpoints.tsv writes them. */
  path: string;
  /**
   * Served at the root, not below `/api`: an Xsolla API whose clients call it at the root of its own host (the
   * Event API, `https://getupdate.xsolla.com/events`), so that pointing that host at Itemshop keeps every path.
   */
  root?: boolean;
  auth: AuthKind;
  /** Area tag (the endpoints.tsv group). */
  tag: string;
  summary: string;
  description?: string;
  /** Not part of the Xsolla API (marked `x-itemshop-extension` in OpenAPI). */
  extension?: boolean;
  /**
   * The Bearer may also be an order's payment token instead of a user JWT (the spec's "token for opening the
   * payment UI"): the request then acts as the order's user, for that order only (`request.auth.paymentToken`).
   */
  paymentToken?: boolean;
  /** Largest request body accepted, in bytes (default: the app's `bodyLimit`), e.g. for code uploads. */
  bodyLimit?: number;
  schema: Sc;
  handler: (request: OperationRequest<Sc>, reply: FastifyReply) => Promise<unknown>;
}

/** Identity helper that types `handler` from `schema`. */
export function defineOperation<Sc extends OperationSchema>(op: Operation<Sc>): Operation<Sc> {
  return op;
}

/** The path an operation is served at, `{param}` placeholders kept: `/api<path>`, or `<path>` when `root`. */
export const servedPath = (op: Pick<Operation, 'path' | 'root'>) => `${op.root ? '' : '/api'}${op.path}`;

/** The served path with `{project_id}` → `:project_id` for Fastify's router. */
export const fastifyPath = (op: Pick<Operation, 'path' | 'root'>) =>
  servedPath(op).replace(/\{([^}]+)\}/g, ':$1');

/** An operation of any schema (the table's element type). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = Operation<any>;
