/**
 * Tenancy: merchants own projects; API keys open a project (`project_id:key`) or every project of a merchant
 * (`merchant_id:key`, a merchant-wide key). Keys are random, shown once, stored as SHA-256 hex and compared in
 * constant time (DESIGN §6). Users are identified by a JWT signed with the project's HS256 secret or by a
 * key from the project's JWKS URL.
 */
import { createHash, randomBytes, timingSafeEqual, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { tenancyRepository as repo } from './repository.js';

export interface ProjectInfo {
  project_id: number;
  merchant_id: number;
  name: string;
  jwt_secret: string;
  jwks_url: string | null;
}

/** A verified user of a project (from the JWT `sub`). */
export interface UserIdentity {
  /** JWT `sub`, or `guest:<x-unauthorized-id>:<email hash>` for a guest of AuthForCart (http/auth.ts guestUserId). */
  userId: string;
  email?: string;
  claims: JWTPayload;
  /** True for the AuthForCart guest mode (no JWT; only game-key purchases — seed-details §1.3). */
  guest?: boolean;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function matchesAny(key: string, hashes: string[]): boolean {
  const candidate = Buffer.from(sha256(key), 'hex');
  let ok = false;
  for (const h of hashes) {
    const stored = Buffer.from(h, 'hex');
    if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) ok = true;
  }
  return ok;
}

export class TenancyService {
  private readonly projects = new LRUCache<number, ProjectInfo>({ max: 10_000, ttl: 60_000 });
  private readonly tokens = new LRUCache<string, UserIdentity>({ max: 50_000 });
  private readonly hmacKeys = new LRUCache<string, Promise<webcrypto.CryptoKey>>({ max: 10_000 });
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

  constructor(private readonly db: Kysely<DB>) {}

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
    await repo.insertApiKey(this.db, { merchantId, projectId, keyHash: sha256(key), name });
    return key;
  }

  /**
   * Replaces the project's live keys named `name` with one new key, in one transaction (the demo prints a fresh
   * key on every start, and keys are shown only once). Returns the plaintext key.
   */
  async replaceApiKey(merchantId: number, projectId: number, name: string): Promise<string> {
    const key = randomBytes(24).toString('hex');
    await this.db.transaction().execute(async (trx) => {
      await repo.revokeApiKeysByName(trx, projectId, name);
      await repo.insertApiKey(trx, { merchantId, projectId, keyHash: sha256(key), name });
    });
    return key;
  }

  /** True when the merchant exists. */
  async merchantExists(merchantId: number): Promise<boolean> {
    return (await repo.merchantExists(this.db, merchantId)) !== undefined;
  }

  /** The project (cached for a minute), or undefined. */
  async getProject(projectId: number): Promise<ProjectInfo | undefined> {
    const hit = this.projects.get(projectId);
    if (hit) return hit;
    const row = await repo.findProject(this.db, projectId);
    if (!row) return undefined;
    const info: ProjectInfo = {
      project_id: row.project_id,
      merchant_id: row.merchant_id,
      name: row.name,
      jwt_secret: row.jwt_secret,
      jwks_url: row.jwks_url,
    };
    this.projects.set(projectId, info);
    return info;
  }

  /** True when `key` opens `projectId` (its own key or a merchant-wide key of its merchant). */
  async verifyProjectKey(projectId: number, key: string): Promise<boolean> {
    return matchesAny(key, await repo.projectKeyHashes(this.db, projectId));
  }

  /** True when `key` is a merchant-wide key of `merchantId`. */
  async verifyMerchantKey(merchantId: number, key: string): Promise<boolean> {
    return matchesAny(key, await repo.merchantKeyHashes(this.db, merchantId));
  }

  /** Paginated project ids of a merchant, with the total. */
  listProjects(merchantId: number, limit: number, offset: number) {
    return repo.listProjects(this.db, merchantId, limit, offset);
  }

  /**
   * Verifies a user JWT for `project`: HS256 with the project secret, or the JWKS URL's keys when set;
   * `exp` and `sub` are required. Verified tokens are cached until they expire.
   * @throws Error (any jose error) when the token is not valid for the project.
   */
  async verifyUserToken(project: ProjectInfo, token: string): Promise<UserIdentity> {
    const cacheKey = `${project.project_id}:${token}`;
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
    project: ProjectInfo,
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
