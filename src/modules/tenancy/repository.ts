/**
 * SQL of merchants, projects and API keys. Every method takes the executor (db or transaction) first.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';

/**
 * After an insert with an explicit id, moves the table's identity sequence past that id when the sequence has
 * not got there yet, so later generated ids never collide with it (e.g. the demo merchant 10000 is also the
 * sequence's first value).
 */
async function advanceIdentity(ex: Executor, table: 'merchants' | 'projects', column: string, id: number) {
  await sql`
    SELECT setval(s.seq, ${id})
    FROM (SELECT pg_get_serial_sequence(${table}, ${column})::regclass AS seq) s
    WHERE ${id} >= COALESCE(pg_sequence_last_value(s.seq), (SELECT seqstart FROM pg_sequence WHERE seqrelid = s.seq))
  `.execute(ex);
}

export const tenancyRepository = {
  async insertMerchant(ex: Executor, name: string, merchantId?: number): Promise<number> {
    const row = await ex
      .insertInto('merchants')
      .values({ name, ...(merchantId ? { merchant_id: merchantId } : {}) })
      .returning('merchant_id')
      .executeTakeFirstOrThrow();
    if (merchantId) await advanceIdentity(ex, 'merchants', 'merchant_id', merchantId);
    return row.merchant_id;
  },

  async insertProject(
    ex: Executor,
    p: { merchantId: number; name: string; jwtSecret: string; projectId?: number },
  ): Promise<number> {
    const row = await ex
      .insertInto('projects')
      .values({
        merchant_id: p.merchantId,
        name: p.name,
        jwt_secret: p.jwtSecret,
        jwks_url: null,
        ...(p.projectId ? { project_id: p.projectId } : {}),
      })
      .returning('project_id')
      .executeTakeFirstOrThrow();
    if (p.projectId) await advanceIdentity(ex, 'projects', 'project_id', p.projectId);
    return row.project_id;
  },

  /** What the catalog holds of a project: ids, name and catalog_version (no secrets: those are the directory's). */
  catalogHead(ex: Executor, projectId: number) {
    return ex
      .selectFrom('projects')
      .select(['project_id', 'merchant_id', 'name', 'catalog_version'])
      .where('project_id', '=', projectId)
      .executeTakeFirst();
  },

  findProject(ex: Executor, projectId: number) {
    return ex
      .selectFrom('projects')
      .select(['project_id', 'merchant_id', 'name', 'jwt_secret', 'jwks_url', 'identity_version'])
      .where('project_id', '=', projectId)
      .executeTakeFirst();
  },

  /** The merchant's identity_version (bumped by writes to its merchant-wide keys), or undefined. */
  async merchantIdentityVersion(ex: Executor, merchantId: number): Promise<number | undefined> {
    const row = await ex
      .selectFrom('merchants')
      .select('identity_version')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    return row ? Number(row.identity_version) : undefined;
  },

  /**
   * Bumps the project's identity_version (call in the transaction of a write to its name, secret, JWKS URL or
   * own keys); returns its merchant and the new version, or undefined for an unknown project.
   */
  async bumpProjectIdentity(
    ex: Executor,
    projectId: number,
    set: { jwt_secret?: string; jwks_url?: string | null } = {},
  ): Promise<{ merchantId: number; version: number } | undefined> {
    const row = await ex
      .updateTable('projects')
      .set({ ...set, identity_version: sql`identity_version + 1` })
      .where('project_id', '=', projectId)
      .returning(['merchant_id', 'identity_version'])
      .executeTakeFirst();
    return row && { merchantId: row.merchant_id, version: Number(row.identity_version) };
  },

  /** Bumps the merchant's identity_version (in the transaction of a merchant-wide key write); the new version. */
  async bumpMerchantIdentity(ex: Executor, merchantId: number): Promise<number | undefined> {
    const row = await ex
      .updateTable('merchants')
      .set({ identity_version: sql`identity_version + 1` })
      .where('merchant_id', '=', merchantId)
      .returning('identity_version')
      .executeTakeFirst();
    return row && Number(row.identity_version);
  },

  /**
   * Locks the project row until the transaction ends (groups: tree changes of one project run one at a time, so
   * two concurrent moves cannot build a cycle).
   */
  async lockProject(ex: Executor, projectId: number): Promise<void> {
    await ex
      .selectFrom('projects')
      .select('project_id')
      .where('project_id', '=', projectId)
      .forUpdate()
      .execute();
  },

  /** The lowest project id, or undefined without projects (the readiness check loads its catalog). */
  async firstProjectId(ex: Executor): Promise<number | undefined> {
    const row = await ex.selectFrom('projects').select('project_id').orderBy('project_id').limit(1).executeTakeFirst();
    return row?.project_id;
  },

  merchantExists(ex: Executor, merchantId: number) {
    return ex
      .selectFrom('merchants')
      .select('merchant_id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
  },

  async listProjects(ex: Executor, merchantId: number, limit: number, offset: number) {
    const [rows, count] = await Promise.all([
      ex
        .selectFrom('projects')
        .select('project_id')
        .where('merchant_id', '=', merchantId)
        .orderBy('project_id')
        .limit(limit)
        .offset(offset)
        .execute(),
      ex
        .selectFrom('projects')
        .select(sql<string>`count(*)`.as('n'))
        .where('merchant_id', '=', merchantId)
        .executeTakeFirstOrThrow(),
    ]);
    return { projectIds: rows.map((r) => r.project_id), total: Number(count.n) };
  },

  async insertApiKey(
    ex: Executor,
    k: { merchantId: number; projectId: number | null; keyHash: string; name: string },
  ) {
    await ex
      .insertInto('api_keys')
      .values({
        merchant_id: k.merchantId,
        project_id: k.projectId,
        key_hash: k.keyHash,
        name: k.name,
        revoked_at: null,
      })
      .execute();
  },

  /** Revokes the live keys of `projectId` (its own, not merchant-wide) named `name`; returns how many. */
  async revokeApiKeysByName(ex: Executor, projectId: number, name: string): Promise<number> {
    const rows = await ex
      .updateTable('api_keys')
      .set({ revoked_at: new Date() })
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .returning('key_id')
      .execute();
    return rows.length;
  },

  /** Hashes of the live keys that open `projectId`: its own keys and its merchant's merchant-wide keys. */
  async projectKeyHashes(ex: Executor, projectId: number): Promise<string[]> {
    const rows = await ex
      .selectFrom('api_keys as k')
      .innerJoin('projects as p', 'p.merchant_id', 'k.merchant_id')
      .select('k.key_hash')
      .where('p.project_id', '=', projectId)
      .where((eb) => eb.or([eb('k.project_id', '=', projectId), eb('k.project_id', 'is', null)]))
      .where('k.revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.key_hash);
  },

  /** Hashes of the live merchant-wide keys of `merchantId`. */
  async merchantKeyHashes(ex: Executor, merchantId: number): Promise<string[]> {
    const rows = await ex
      .selectFrom('api_keys')
      .select('key_hash')
      .where('merchant_id', '=', merchantId)
      .where('project_id', 'is', null)
      .where('revoked_at', 'is', null)
      .execute();
    return rows.map((r) => r.key_hash);
  },

  /** project_id → catalog_version of those of `projectIds` that exist (the catalog sync's backstop check). */
  async catalogVersions(ex: Executor, projectIds: number[]): Promise<Map<number, number>> {
    if (projectIds.length === 0) return new Map();
    const rows = await ex
      .selectFrom('projects')
      .select(['project_id', 'catalog_version'])
      .where('project_id', '=', sql<number>`any(${projectIds})`)
      .execute();
    return new Map(rows.map((r) => [r.project_id, Number(r.catalog_version)]));
  },

  /** Bumps and returns the project's catalog_version (call inside the write's transaction). */
  async bumpCatalogVersion(ex: Executor, projectId: number): Promise<number> {
    const row = await ex
      .updateTable('projects')
      .set({ catalog_version: sql`catalog_version + 1` })
      .where('project_id', '=', projectId)
      .returning('catalog_version')
      .executeTakeFirstOrThrow();
    return Number(row.catalog_version);
  },
};
