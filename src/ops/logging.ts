/**
 * Logs people can read (issue 15 item 2, ADR 0051): pino through Fastify's logger, one JSON object per line — or,
 * when standard output is a terminal (`LOG_FORMAT=auto`, the default) or `LOG_FORMAT=pretty`, one coloured line per
 * entry through `pino-pretty`, as fastify/demo does.
 *
 * - Every line of a request carries `transactionId` (the request id, the `transactionId` of error envelopes) and
 *   `docSlug`, the operation id of the route (installed per route by ops/index.ts, as supabase/storage labels its
 *   logs by operation).
 * - One line per request when it completes (requestLine): method, path, status, duration, `docSlug`,
 *   `transactionId`. Successful reads (GET/HEAD/OPTIONS: catalog pages, health, metrics) log at `debug` so a load
 *   test does not flood the terminal; writes and 4xx at `info`; 5xx at `error`.
 * - Secrets never reach a log line: the `Authorization`, `Cookie` and `x-user` headers, fields named like keys,
 *   tokens, secrets and passwords (at the top level and one level down), payment tokens in URLs
 *   (`/paystation4/?token=…`, `/api/paystation/{token}/…`, any `token`/`key`/`secret` query parameter), JWTs and
 *   passwords in URLs (`postgres://user:…@host`) wherever they appear in a message or an error.
 */
import type { Writable } from 'node:stream';
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config.js';

/** What replaces a secret in a log line. */
export const REDACTED = '[redacted]';

/** Names of fields whose value is a secret (redacted at the top level of a log object and one level down). */
const SECRET_FIELDS = [
  'authorization',
  'apiKey',
  'api_key',
  'key',
  'token',
  'userToken',
  'jwt',
  'jwt_secret',
  'secret',
  'webhookSecret',
  'password',
  'databaseUrl',
  'redisUrl',
];

/** pino `redact` paths: headers of the `req` object and secret-named fields. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-user"]',
  'headers.authorization',
  'headers.cookie',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
];

/** A compact JWT (three base64url parts, the first a JSON header). */
const JWT = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g;
/** Query parameters that carry credentials. */
const SECRET_QUERY = /([?&](?:token|access_token|api_key|apikey|key|secret|password|jwt)=)[^&#\s"']*/gi;
/** `/api/paystation/{token}` (and below it): the payment token is the path segment. */
const PAYSTATION_PATH = /(\/api\/paystation\/)[^/?#\s"']+/g;
/** Passwords in URLs: `scheme://user:password@host`. */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@"']*:)[^@/?#\s"']*@/gi;

/** `text` with every secret it holds replaced by `[redacted]` (payment tokens, JWTs, URL passwords). */
export function scrubSecrets(text: string): string {
  if (!text) return text;
  return text
    .replace(JWT, REDACTED)
    .replace(SECRET_QUERY, `$1${REDACTED}`)
    .replace(PAYSTATION_PATH, `$1${REDACTED}`)
    .replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/** Level of the completion line of a request (see the module comment). */
export function requestLevel(method: string, status: number): 'debug' | 'info' | 'error' {
  if (status >= 500) return 'error';
  if (status >= 400) return 'info';
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'debug' : 'info';
}

/** Whether log lines are pretty (one coloured line) or JSON, for `LOG_FORMAT` and a terminal or not. */
export function isPretty(format: Config['logFormat'], isTTY: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY);
}

export interface LoggerSetup {
  /** Where lines go (default: standard output); tests pass a stream. */
  destination?: Writable;
  /** Whether standard output is a terminal (default: process.stdout.isTTY). */
  isTTY?: boolean;
}

/**
 * The `logger` option of Fastify for `config` (LOG_LEVEL, LOG_FORMAT): false when silent; otherwise pino options
 * with redaction, scrubbing serializers and the destination (pretty or JSON).
 */
export function loggerOptions(
  config: Pick<Config, 'logLevel' | 'logFormat'>,
  setup: LoggerSetup = {},
): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  const tty = setup.isTTY ?? process.stdout.isTTY === true;
  const pretty = isPretty(config.logFormat, tty);
  const stream = pretty
    ? pinoPretty({
        colorize: tty && !setup.destination,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,method,path,status,durationMs',
        singleLine: true,
        sync: true,
        destination: setup.destination ?? 1,
      })
    : setup.destination;
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: scrubSecrets(req.url),
        host: req.host,
        remoteAddress: req.ip,
      }),
      err: serializeError,
    },
    hooks: {
      // Secrets inside message strings (e.g. an error message quoting a URL) are scrubbed too.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === 'string') args[i] = scrubSecrets(args[i] as string);
        }
        return method.apply(this, args);
      },
    },
    ...(stream ? { stream } : {}),
  };
}

/** pino's error shape with message and stack scrubbed. */
function serializeError(err: unknown): {
  type: string;
  message: string;
  stack: string;
  [k: string]: unknown;
} {
  if (!(err instanceof Error)) return { type: typeof err, message: scrubSecrets(String(err)), stack: '' };
  const out: { type: string; message: string; stack: string; [k: string]: unknown } = {
    type: err.name,
    message: scrubSecrets(err.message),
    stack: scrubSecrets(err.stack ?? ''),
  };
  const code = (err as { code?: unknown }).code;
  if (code !== undefined) out.code = code;
  if (err.cause !== undefined) out.cause = serializeError(err.cause);
  return out;
}

/** The path of a request as logged: its URL with secrets scrubbed. */
export const loggedPath = (url: string) => scrubSecrets(url);

/**
 * Writes the completion line of a request: `GET /api/… 200 1.2 ms` with `method`, `path`, `status`, `durationMs`
 * (and, from the request's logger, `transactionId` and `docSlug`); `error` (a failure while sending) makes it an
 * error line.
 */
export function requestLine(request: FastifyRequest, reply: FastifyReply, error?: Error | null): void {
  const status = reply.statusCode;
  const level = error ? 'error' : requestLevel(request.method, status);
  const log = request.log as typeof request.log & { isLevelEnabled?(level: string): boolean };
  if (log.isLevelEnabled && !log.isLevelEnabled(level)) return;
  const path = loggedPath(request.url);
  const durationMs = Math.round(reply.elapsedTime * 10) / 10;
  request.log[level](
    { method: request.method, path, status, durationMs, ...(error ? { err: error } : {}) },
    `${request.method} ${path} ${status} ${durationMs} ms`,
  );
}

/**
 * Fastify's request logging for Itemshop: the request id is logged as `transactionId` (the `transactionId` of
 * error envelopes), no "incoming request" line, and one completion line per request (requestLine).
 */
export class RequestLogController extends LogController {
  constructor() {
    super({ requestIdLogLabel: 'transactionId' });
  }

  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    requestLine(request, reply, error);
  }
}
