/**
 * The one global error handler and not-found handler. Every failure leaves as the Xsolla envelope
 * (spec/NOTES.md "Error envelope"); Fastify validation errors become 422/1102 with `errorMessageExtended`.
 * A 5xx is logged with its stack; its body never carries internals. Errors Fastify raises before a route is found
 * (`frameworkErrorHandler`) and those of the HTTP parser (`clientErrorHandler`: 400, 408, 431, written on the
 * socket) carry the same envelope (ADR 0045). A PostgreSQL error that escapes is answered by its class
 * (errors/postgres.ts: integrity and data errors 422, serialization failures, deadlocks, lock and statement
 * timeouts 503 with Retry-After).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { nextRequestId } from '../lib/request-id.js';
import { AppError, type ErrorDetail } from './app-error.js';
import { ERROR_CODES, PREFIX_BY_TAG, SERVICE_PREFIX, type ErrorName } from './codes.js';
import { fromPgError } from './postgres.js';

/** JSON body of every error response. */
export interface ErrorEnvelope {
  statusCode: number;
  errorCode: number;
  errorMessage: string;
  transactionId: string;
  errorMessageExtended?: ErrorDetail[];
}

/** Renders the envelope; code 0 messages carry no `[0401-…]` prefix (as the real service's auth errors). */
export function envelope(
  statusCode: number,
  errorCode: number,
  message: string,
  transactionId: string,
  extended?: ErrorDetail[],
  prefix: string = SERVICE_PREFIX,
): ErrorEnvelope {
  const errorMessage = errorCode === 0 ? message : `[${prefix}-${errorCode}]: ${message}`;
  const body: ErrorEnvelope = { statusCode, errorCode, errorMessage, transactionId };
  if (extended && extended.length > 0) body.errorMessageExtended = extended;
  return body;
}

interface AjvLikeError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/prices/0/amount` → `prices[0].amount`; the query/params prefix is dropped. */
function propertyPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

/** One sentence per ajv error, in the real service's wording where known. */
export function describeValidationError(e: AjvLikeError): ErrorDetail {
  const p = e.params;
  switch (e.keyword) {
    case 'required': {
      const prop = String(p.missingProperty);
      return {
        property: propertyPath(e.instancePath, prop),
        message: `The property \`${prop}\` is required`,
      };
    }
    case 'pattern':
      return {
        property: propertyPath(e.instancePath),
        message: `Does not match the regex pattern ${String(p.pattern)}`,
      };
    case 'minLength':
      return {
        property: propertyPath(e.instancePath),
        message: `Must be at least ${String(p.limit)} characters long`,
      };
    case 'maxLength':
      return {
        property: propertyPath(e.instancePath),
        message: `Must be at most ${String(p.limit)} characters long`,
      };
    case 'additionalProperties':
      return {
        property: propertyPath(e.instancePath, String(p.additionalProperty)),
        message: `The property \`${String(p.additionalProperty)}\` is not defined and the definition does not allow additional properties`,
      };
    case 'type':
      return { property: propertyPath(e.instancePath), message: `Must be of type ${String(p.type)}` };
    case 'enum': {
      // `/additional_fields[]/0` → the parameter `additional_fields`; the message lists what it accepts
      const named = e.instancePath.split('/').filter((s) => s !== '' && !/^\d+$/.test(s));
      const name = (named.at(-1) ?? 'value').replace(/\[\]$/, '');
      const allowed = Array.isArray(p.allowedValues) ? p.allowedValues.map(String).join(', ') : '';
      return {
        property: propertyPath(e.instancePath),
        message: `The value of \`${name}\` must be one of: ${allowed}`,
      };
    }
    case 'maxProperties':
      return {
        property: propertyPath(e.instancePath),
        message: `Must have at most ${String(p.limit)} properties`,
      };
    case 'x-max-depth':
      return {
        property: propertyPath(e.instancePath),
        message: `Must not be nested deeper than ${String(p.limit)} levels`,
      };
    case 'x-max-json-length':
      return {
        property: propertyPath(e.instancePath),
        message: `JSON can’t exceed ${String(p.limit)} characters.`,
      };
    default:
      return { property: propertyPath(e.instancePath), message: e.message ?? 'Invalid value' };
  }
}

function send(
  reply: FastifyReply,
  request: FastifyRequest,
  kind: ErrorName,
  message?: string,
  extended?: ErrorDetail[],
) {
  const def = ERROR_CODES[kind];
  return reply
    .code(def.status)
    .type('application/json; charset=utf-8')
    .send(envelope(def.status, def.code, message ?? def.message, request.id, extended, routePrefix(request)));
}

/** The prefix of the service that owns the route (codes.ts PREFIX_BY_TAG), else the store's. */
function routePrefix(request: FastifyRequest): string {
  const tags = (request.routeOptions?.schema as { tags?: string[] } | undefined)?.tags ?? [];
  for (const tag of tags) if (PREFIX_BY_TAG[tag]) return PREFIX_BY_TAG[tag];
  return SERVICE_PREFIX;
}

/**
 * The catalogue entry of an error Fastify raises itself (body parsing, routing, load shedding), or undefined.
 * Used by the error handler and by `frameworkErrors` (errors raised before a route is found).
 */
function frameworkErrorKind(fe: FastifyError): { kind: ErrorName; message?: string } | undefined {
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { kind: 'PAYLOAD_TOO_LARGE' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { kind: 'UNSUPPORTED_MEDIA_TYPE' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { kind: 'BAD_REQUEST', message: 'Body is not valid JSON' };
    case 'FST_ERR_BAD_URL':
      return { kind: 'BAD_REQUEST', message: 'The URL is not valid (malformed percent-encoding)' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { kind: 'URI_TOO_LONG', message: 'A path parameter is longer than 4096 characters' };
    case 'FST_UNDER_PRESSURE':
      return { kind: 'SERVICE_UNAVAILABLE' };
  }
  return undefined;
}

/**
 * Fastify's `frameworkErrors` option: errors raised before a route is found (a URL that is not valid
 * percent-encoding, a path parameter over the router's limit) leave as the envelope like every other error.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const { kind, message } = frameworkErrorKind(error) ?? { kind: 'BAD_REQUEST' as const };
  const def = ERROR_CODES[kind];
  void reply
    .code(def.status)
    .type('application/json; charset=utf-8')
    .send(envelope(def.status, def.code, message ?? def.message, request.id));
}

/** The raw HTTP/1.1 response of an error the HTTP parser raises, as the envelope (`Connection: close`). */
function rawEnvelope(kind: ErrorName): string {
  const def = ERROR_CODES[kind];
  const body = JSON.stringify(envelope(def.status, def.code, def.message, nextRequestId()));
  return (
    `HTTP/1.1 ${def.status} ${STATUS_CODES[def.status] ?? def.message}\r\n` +
    `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
    `Connection: close\r\n\r\n${body}`
  );
}

/**
 * Fastify's `clientErrorHandler` (the HTTP server's `clientError` event): a request the HTTP parser refuses —
 * headers over 16 kB (431), headers or body not received within the timeouts (408), anything malformed (400) —
 * gets the envelope written on the socket, which is then closed. A reset or already-closed socket gets nothing.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const kind: ErrorName =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'HEADERS_TOO_LARGE'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'REQUEST_TIMEOUT'
        : 'BAD_REQUEST';
  if (socket.writable) socket.end(rawEnvelope(kind));
  // end() flushes the answer first; a client that does not read it loses the socket anyway
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      return reply
        .code(error.statusCode)
        .type('application/json; charset=utf-8')
        .send(
          envelope(
            error.statusCode,
            error.errorCode,
            error.message,
            request.id,
            error.extended,
            error.prefix,
          ),
        );
    }
    const fe = error as FastifyError;
    if (fe.validation) {
      const details = (fe.validation as AjvLikeError[]).map(describeValidationError);
      const first = details[0];
      const text = first ? `Unprocessable Entity. ${first.message}` : 'Unprocessable Entity';
      return send(reply, request, 'VALIDATION', text, details);
    }
    const known = frameworkErrorKind(fe);
    if (known) return send(reply, request, known.kind, known.message);
    // A database error that escaped its operation: answered by its class (src/errors/postgres.ts), e.g. a
    // serialization failure or deadlock the unit of work gave up retrying is 503 + Retry-After, never a 500.
    const fromDb = fromPgError(error);
    if (fromDb) {
      if (fromDb.statusCode >= 500)
        request.log.warn({ err: error }, 'database conflict answered as retryable');
      if (fromDb.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(fromDb.retryAfterSeconds));
      return send(reply, request, fromDb.kind, fromDb.message, fromDb.extended);
    }
    if (fe.statusCode === 429) return send(reply, request, 'TOO_MANY_REQUESTS', fe.message);
    if (fe.statusCode === 503) return send(reply, request, 'SERVICE_UNAVAILABLE');
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, request, 'BAD_REQUEST', fe.message);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, request, 'INTERNAL');
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, request, 'ROUTE_NOT_FOUND', `Route ${request.method} ${request.url.split('?')[0]} not found`),
  );
}
