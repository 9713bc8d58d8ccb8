/**
 * SQL of merchants, projects and API keys. Every method takes the executor (db or transaction) first.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';

export const tenancyRepository = {
  async insertMerchant(ex: Executor, name: string, merchantId?: number): Promise<number> {
    const row = await ex
      .insertInto('merchants')
      .values({ name, ...(merchantId ? { merchant_id: merchantId } : {}) })
      .returning('merchant_id')
      .executeTakeFirstOrThrow();
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
    return row.project_id;
  },

  findProject(ex: Executor, projectId: number) {
    return ex
      .selectFrom('projects')
      .select(['project_id', 'merchant_id', 'name', 'catalog_version', 'jwt_secret', 'jwks_url'])
      .where('project_id', '=', projectId)
      .executeTakeFirst();
  },

  merchantExists(ex: Executor, merchantId: number) {
    return ex.selectFrom('merchants').select('merchant_id').where('merchant_id', '=', merchantId).executeTakeFirst();
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

  async insertApiKey(ex: Executor, k: { merchantId: number; projectId: number | null; keyHash: string; name: string }) {
    await ex
      .insertInto('api_keys')
      .values({ merchant_id: k.merchantId, project_id: k.projectId, key_hash: k.keyHash, name: k.name, revoked_at: null })
      .execute();
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
