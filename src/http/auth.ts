/**
 * Authentication hooks (run onRequest, before body parsing and validation), one per AuthKind (http/operation.ts).
 * They set `request.auth` and fail with
 * the real service's envelopes: 401/1020 for basic credentials, 401/1501 for user tokens (spec examples).
 * A key of project A never opens project B: the Basic user name must be the path's project (or merchant) id.
 * Projects, keys and secrets come only from the ProjectDirectory (modules/tenancy/directory.ts, issue 14 §4): auth
 * never touches the catalog, and a cold request costs the same whatever the catalog's size.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, invalid } from '../errors/app-error.js';
import type { ProjectDirectory, ProjectRecord } from '../modules/tenancy/directory.js';
import type { TenancyService, UserIdentity } from '../modules/tenancy/service.js';
import type { AuthKind } from './operation.js';
import type { AuthFailureLimit } from './rate-limit.js';

export interface RequestAuth {
  projectId?: number;
  merchantId?: number;
  /** The project when the route has `{project_id}` and it exists. */
  project?: ProjectRecord;
  /** The verified user (user / user-optional routes with a valid Bearer token). */
  user?: UserIdentity;
  /** Set when the Bearer was a payment token (Operation.paymentToken): the one order it opens. */
  paymentToken?: { orderId: number };
}

/** The order a payment token opens and its buyer, as the auth hook needs them. */
export interface PaymentTokenOwner {
  order_id: number;
  user_id: string;
  user_email: string | null;
}

/** Looks up a payment token of `projectId` (unknown or expired: undefined). */
export type PaymentTokenLookup = (projectId: number, token: string) => Promise<PaymentTokenOwner | undefined>;

declare module 'fastify' {
  interface FastifyRequest {
    auth: RequestAuth;
  }
}

/** `Authorization: Basic base64(id:key)` → `{id, key}`, or null. */
export function parseBasic(header: string | undefined): { id: string; key: string } | null {
  if (!header) return null;
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header);
  if (!m) return null;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i <= 0) return null;
  return { id: decoded.slice(0, i), key: decoded.slice(i + 1) };
}

/** `Authorization: Bearer <jwt>` → the token, or null. */
export function parseBearer(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : null;
}

/**
 * The user id of an AuthForCart guest: `guest:<x-unauthorized-id>:<16 hex of SHA-256 of the lowercased email>`.
 * A guest's carts, orders and purchases belong to the pair (id, email), so the same id with another email is
 * another guest (ADR 0048). The hash has a fixed length at the end, so no two pairs give the same id.
 */
export function guestUserId(unauthorizedId: string, email: string): string {
  const emailHash = createHash('sha256').update(email.toLowerCase()).digest('hex').slice(0, 16);
  return `guest:${unauthorizedId}:${emailHash}`;
}

/**
 * AuthForCart guest mode (seed-details §1.3): `x-unauthorized-id` (an id the client chooses and keeps secret:
 * whoever sends it with the same email is that guest) and `x-user` (the buyer's email, base64). Returns the guest
 * identity (guestUserId), or null when either header is missing or malformed.
 */
export function parseGuest(request: FastifyRequest): UserIdentity | null {
  const id = request.headers['x-unauthorized-id'];
  const user = request.headers['x-user'];
  if (typeof id !== 'string' || typeof user !== 'string' || !/^[\x21-\x7e]{1,128}$/.test(id)) return null;
  const email = Buffer.from(user, 'base64').toString('utf8').trim();
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254) return null;
  return { userId: guestUserId(id, email), email, claims: {}, guest: true };
}

const basicFailure = () => new AppError('AUTH_METHOD');
const tokenFailure = (why: string) => new AppError('AUTH_FAILED', `Authorization failed: ${why}`);

function hasParam(request: FastifyRequest, name: string): boolean {
  const params = request.params as Record<string, unknown> | undefined;
  return params !== undefined && params !== null && Object.hasOwn(params, name);
}

function pathId(request: FastifyRequest, name: string): number | undefined {
  return idOf((request.params as Record<string, unknown> | undefined)?.[name]);
}

function idOf(raw: unknown): number | undefined {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  return Number.isInteger(n) && n > 0 && n <= 2_147_483_647 ? n : undefined; // ids are 32-bit integers
}

/**
 * The project of the request: `{project_id}` of the path, else — on a route whose path has none — the
 * `project_id` query parameter (the Event API, `/events?project_id=`).
 */
function projectIdOf(request: FastifyRequest): number | undefined {
  const params = request.params as Record<string, unknown> | undefined;
  if (params && 'project_id' in params) return pathId(request, 'project_id');
  return idOf((request.query as Record<string, unknown> | undefined)?.project_id);
}

/**
 * Builds the onRequest hook for `kind`. `directory` resolves projects and checks keys (from memory once loaded);
 * `tokens` verifies user JWTs against the project's secret or JWKS URL. With `paymentTokens` (operations that accept a payment token, Operation.paymentToken) a
 * Bearer that cannot be a JWT (no `.`) is looked up as a payment token of the path's project: the request acts
 * as the order's buyer with `auth.paymentToken` set; an unknown or expired one is 401/1501. `failures` limits failed authentications (ADR 0047): a key is not even looked up for a
 * client past the limit, and a wrong key or invalid token past it answers 429 instead of 401; a token is
 * verified without I/O, so a valid one is never refused for its address's failures.
 */
export function authHook(
  kind: AuthKind,
  directory: ProjectDirectory,
  tokens: Pick<TenancyService, 'verifyUserToken'>,
  paymentTokens?: PaymentTokenLookup,
  failures?: AuthFailureLimit,
) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.auth = {};
    const projectId = projectIdOf(request);
    const header = request.headers.authorization;

    if (kind === 'basic') {
      const cred = parseBasic(header);
      if (!cred || projectId === undefined || cred.id !== String(projectId)) throw basicFailure();
      await failures?.check(request, reply);
      if (!(await directory.verifyProjectKey(projectId, cred.key))) {
        await failures?.fail(request, reply);
        throw basicFailure();
      }
      request.auth = { projectId, project: await directory.project(projectId) };
      return;
    }

    if (kind === 'merchant') {
      const merchantId = pathId(request, 'merchant_id');
      const cred = parseBasic(header);
      if (!cred || merchantId === undefined || cred.id !== String(merchantId)) throw basicFailure();
      await failures?.check(request, reply);
      if (!(await directory.verifyMerchantKey(merchantId, cred.key))) {
        await failures?.fail(request, reply);
        throw basicFailure();
      }
      request.auth = { merchantId };
      return;
    }

    if (projectId === undefined) {
      // A `{project_id}` that is no storable id (e.g. 2147483648) names no project (ADR 0045).
      if (hasParam(request, 'project_id')) throw new AppError('PROJECT_NOT_FOUND');
      // A user route without a project cannot verify a user: it never runs without one. Routes that take the
      // project from the query (the Event API) name the missing parameter.
      if (kind === 'user' || kind === 'cart')
        throw invalid('project_id', 'The property `project_id` is required and must be a project id');
      return; // `none` routes without a project (e.g. the pay station's token routes)
    }
    const project = await directory.project(projectId);
    if (!project) throw new AppError('PROJECT_NOT_FOUND', `Project with id = ${projectId} not found`);
    request.auth = { projectId, project };
    if (kind === 'none') return;

    const token = parseBearer(header);
    if (!token) {
      if (kind === 'cart') {
        const guest = parseGuest(request);
        if (guest) {
          request.auth.user = guest;
          return;
        }
      }
      if (kind === 'user' || kind === 'cart') throw tokenFailure('Authorization header not sent');
      return;
    }
    if (paymentTokens && !token.includes('.')) {
      const owner = /^[A-Za-z0-9]{1,128}$/.test(token) ? await paymentTokens(projectId, token) : undefined;
      if (!owner) throw tokenFailure('the payment token is unknown or expired');
      request.auth.user = { userId: owner.user_id, email: owner.user_email ?? undefined, claims: {} };
      if (owner.user_id.startsWith('guest:')) request.auth.user.guest = true;
      request.auth.paymentToken = { orderId: owner.order_id };
      return;
    }
    let user;
    try {
      user = await tokens.verifyUserToken(project, token);
    } catch (e) {
      await failures?.fail(request, reply);
      throw tokenFailure(e instanceof Error ? e.message : 'invalid token');
    }
    // `guest:` ids belong to AuthForCart guests: a token must not open a guest's carts or orders.
    if (user.userId.startsWith('guest:')) throw tokenFailure('the subject is reserved for guest carts');
    request.auth.user = user;
  };
}
