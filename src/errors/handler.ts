/**
 * The one global error handler and not-found handler. Every failure leaves as the Xsolla envelope
 * (spec/NOTES.md "Error envelope"); Fastify validation errors become 422/1102 with `errorMessageExtended`.
 * A 5xx is logged with its stack; its body never carries internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorDetail } from './app-error.js';
import { ERROR_CODES, PREFIX_BY_TAG, SERVICE_PREFIX, type ErrorName } from './codes.js';

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

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
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
    switch (fe.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return send(reply, request, 'PAYLOAD_TOO_LARGE');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return send(reply, request, 'UNSUPPORTED_MEDIA_TYPE');
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return send(reply, request, 'BAD_REQUEST', 'Body is not valid JSON');
    }
    // PostgreSQL data exceptions (class 22: a number out of range, a NUL character…) come from input the
    // schemas let through but the columns cannot hold: the client's mistake, and the transaction rolled back.
    const sqlState = (error as { code?: unknown }).code;
    if (typeof sqlState === 'string' && /^22[0-9A-Z]{3}$/.test(sqlState)) {
      const why = sqlState === '22003' ? 'A number is out of range' : 'A value is not allowed';
      return send(reply, request, 'VALIDATION', `Unprocessable Entity. ${why}`);
    }
    if (fe.statusCode === 429) return send(reply, request, 'TOO_MANY_REQUESTS', fe.message);
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
