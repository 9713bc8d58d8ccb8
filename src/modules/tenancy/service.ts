/**
 * Tenancy: merchants own projects; API keys open a project (`project_id:key`) or every project of a merchant
 * (`merchant_id:key`, a merchant-wide key). Keys are random, shown once, stored as SHA-256 hex and compared in
 * constant time (DESIGN §6). Users are identified by a JWT signed with the project's HS256 secret or by a
 * key from the project's JWKS URL. Projects, keys and secrets are read through the ProjectDirectory
 * (directory.ts, its one cache); every write to them here bumps the project's or merchant's identity_version in
 * its transaction and announces it (issue 14 §4).
 */
import { UnitOfWork } from '../../db/unit-of-work.js';
import { randomBytes, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/types.js';
import { keyHash, ProjectDirectory, type IdentityChange, type ProjectRecord } from './directory.js';
import { tenancyRepository as repo } from './repository.js';

export type { ProjectInfo, ProjectRecord } from './directory.js';

/** A verified user of a project (from the JWT `sub`). */
export interface UserIdentity {
  /** JWT `sub`, or `guest:<x-unauthorized-id>:<email hash>` for a guest of AuthForCart (http/auth.ts guestUserId). */
  userId: string;
  email?: string;
  claims: JWTPayload;
  /** True for the AuthForCart guest mode (no JWT; only game-key purchases — seed-details §1.3). */
  guest?: boolean;
}

export class TenancyService {
  private readonly tokens = new LRUCache<string, UserIdentity>({ max: 50_000 });
  private readonly hmacKeys = new LRUCache<string, Promise<webcrypto.CryptoKey>>({ max: 10_000 });
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  /**
   * @param directory where projects, keys and secrets are read (the app's one directory; a private one, which
   *   announces nothing to other processes, when absent — CLI and tests)
   * @param uow the unit of work key writes run in (the app's; a private one when absent)
   */
  constructor(
    private readonly db: Kysely<DB>,
    readonly directory: ProjectDirectory = new ProjectDirectory(db),
    private readonly uow: UnitOfWork = new UnitOfWork(db),
  ) {}

  /**
   * Runs `write` as one unit of work; the identity change it returns is announced in the transaction and applied
   * to the directory after the commit (this process at once, the others through the fan-out).
   */
  private async identityWrite<T>(
    write: (trx: Executor) => Promise<{ result: T; change?: IdentityChange }>,
  ): Promise<T> {
    return this.uow.run({}, async ({ trx, afterCommit }) => {
      const { result, change } = await write(trx);
      if (change) {
        await this.directory.announceInTransaction(trx, change);
        afterCommit(() => this.directory.afterCommit(change));
      }
      return result;
    });
  }

  /** Bumps the identity_version of the project (or, when null, of the merchant) a key write touched. */
  private async bumpFor(
    trx: Executor,
    merchantId: number,
    projectId: number | null,
  ): Promise<IdentityChange | undefined> {
    if (projectId !== null) {
      const bumped = await repo.bumpProjectIdentity(trx, projectId);
      return bumped && { merchantId: bumped.merchantId, projectId, version: bumped.version };
    }
    const version = await repo.bumpMerchantIdentity(trx, merchantId);
    return version === undefined ? undefined : { merchantId, version };
  }

  /** Creates a merchant; returns its id. */
  createMerchant(name: string, merchantId?: number): Promise<number> {
    return repo.insertMerchant(this.db, name, merchantId);
  }

  /** Creates a project under `merchantId` with a fresh JWT secret; returns its id. */
  createProject(merchantId: number, name: string, projectId?: number): Promise<number> {
    return repo.insertProject(this.db, {
      merchantId,
      name,
      jwtSecret: randomBytes(32).toString('hex'),
      projectId,
    });
  }

  /**
   * Creates an API key. `projectId` null → merchant-wide. Returns the plaintext key (the only time it exists).
   */
  async createApiKey(merchantId: number, projectId: number | null, name = ''): Promise<string> {
    const key = randomBytes(24).toString('hex');
    return this.identityWrite(async (trx) => {
      await repo.insertApiKey(trx, { merchantId, projectId, keyHash: keyHash(key), name });
      return { result: key, change: await this.bumpFor(trx, merchantId, projectId) };
    });
  }

  /**
   * Replaces the project's live keys named `name` with one new key, in one transaction (the demo prints a fresh
   * key on every start, and keys are shown only once). Returns the plaintext key.
   */
  async replaceApiKey(merchantId: number, projectId: number, name: string): Promise<string> {
    const key = randomBytes(24).toString('hex');
    return this.identityWrite(async (trx) => {
      await repo.revokeApiKeysByName(trx, projectId, name);
      await repo.insertApiKey(trx, { merchantId, projectId, keyHash: keyHash(key), name });
      return { result: key, change: await this.bumpFor(trx, merchantId, projectId) };
    });
  }

  /**
   * Gives the project a fresh HS256 secret for its user JWTs (tokens signed with the old one stop opening it at
   * once in this process, and in the others when the fan-out message arrives). Returns false for an unknown
   * project.
   */
  async rotateJwtSecret(projectId: number): Promise<boolean> {
    return this.identityWrite(async (trx) => {
      const bumped = await repo.bumpProjectIdentity(trx, projectId, {
        jwt_secret: randomBytes(32).toString('hex'),
      });
      if (!bumped) return { result: false };
      return { result: true, change: { merchantId: bumped.merchantId, projectId, version: bumped.version } };
    });
  }

  /** True when the merchant exists. */
  async merchantExists(merchantId: number): Promise<boolean> {
    return (await repo.merchantExists(this.db, merchantId)) !== undefined;
  }

  /** The project with its secret (from the directory), or undefined. */
  getProject(projectId: number): Promise<ProjectRecord | undefined> {
    return this.directory.project(projectId);
  }

  /** True when `key` opens `projectId` (its own key or a merchant-wide key of its merchant; the directory). */
  verifyProjectKey(projectId: number, key: string): Promise<boolean> {
    return this.directory.verifyProjectKey(projectId, key);
  }

  /** True when `key` is a merchant-wide key of `merchantId` (the directory). */
  verifyMerchantKey(merchantId: number, key: string): Promise<boolean> {
    return this.directory.verifyMerchantKey(merchantId, key);
  }

  /** Paginated project ids of a merchant, with the total. */
  listProjects(merchantId: number, limit: number, offset: number) {
    return repo.listProjects(this.db, merchantId, limit, offset);
  }

  /**
   * Verifies a user JWT for `project`: HS256 with the project secret, or the JWKS URL's keys when set;
   * `exp` and `sub` are required. Verified tokens are cached until they expire, per identity_version of the
   * project (a rotated secret or JWKS URL never serves a token verified under the old one).
   * @throws Error (any jose error) when the token is not valid for the project.
   */
  async verifyUserToken(project: ProjectRecord, token: string): Promise<UserIdentity> {
    const cacheKey = `${project.project_id}:${project.identity_version}:${token}`;
    const hit = this.tokens.get(cacheKey);
    if (hit) return hit;
    const options = { requiredClaims: ['exp', 'sub'] };
    const { payload } = project.jwks_url
      ? await jwtVerify(token, this.jwksFor(project.jwks_url), {
          ...options,
          algorithms: ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'PS256'],
        })
      : await jwtVerify(token, await this.hmacKeyFor(project.jwt_secret), {
          ...options,
          algorithms: ['HS256'],
        });
    const identity: UserIdentity = {
      userId: String(payload.sub),
      email: typeof payload.email === 'string' ? payload.email : undefined,
      claims: payload,
    };
    const ttl = Math.max(1, (payload.exp ?? 0) * 1000 - Date.now());
    this.tokens.set(cacheKey, identity, { ttl });
    return identity;
  }

  /**
   * Mints a development user JWT for `project` (HS256, `sub` = userId), valid `ttlSeconds` (default 30 days).
   */
  async mintUserToken(
    project: Pick<ProjectRecord, 'project_id' | 'jwt_secret'>,
    userId: string,
    opts: { email?: string; ttlSeconds?: number } = {},
  ) {
    return new SignJWT({ ...(opts.email ? { email: opts.email } : {}), project_id: project.project_id })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuedAt()
      .setIssuer('itemshop')
      .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.ttlSeconds ?? 30 * 24 * 3600))
      .sign(new TextEncoder().encode(project.jwt_secret));
  }

  /** The project secret as an HS256 verification key, imported once per secret (saves ~60 µs per new token). */
  private hmacKeyFor(secret: string): Promise<webcrypto.CryptoKey> {
    let key = this.hmacKeys.get(secret);
    if (!key) {
      key = webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
      this.hmacKeys.set(secret, key);
    }
    return key;
  }

  private jwksFor(url: string) {
    let set = this.jwks.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url));
      this.jwks.set(url, set);
    }
    return set;
  }
}
