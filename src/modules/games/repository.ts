/**
 * SQL of the game-key pool and its upload sessions: one `game_codes` row per code, claimed at most once with
 * `FOR UPDATE SKIP LOCKED` + a conditional UPDATE (DESIGN §5), inserted in batches with `ON CONFLICT DO NOTHING`
 * on the (item, code) unique index. Every method takes the executor first; nothing here knows HTTP or rules.
 */
import { sql } from 'kysely';
import type { Executor } from '../../db/types.js';

/** Codes per INSERT statement of an upload (one array parameter each, so no parameter-count limit applies). */
export const INSERT_BATCH = 10_000;

/** A code taken from the pool. `code_id` is a bigint as a decimal string. */
export interface ClaimedCode {
  code_id: string;
  code: string;
}

/** Who takes codes from the pool and why (stored on the claimed rows). */
export interface ClaimRequest {
  /** The game key (unit item) whose pool is drawn from. */
  unitItemId: number;
  /** How many codes (≥ 1). */
  quantity: number;
  /** The receiver: a user id (JWT sub / user_external_id) or the admin-named email. */
  claimedBy: string | null;
  orderId?: number | null;
  reason?: string | null;
  /** Only codes of this region or of no region; undefined/null = any code. */
  regionId?: number | null;
  /** Hold the codes for the unpaid order `orderId` (sold or released later) instead of handing them out. */
  reserve?: boolean;
}

/** Key counters of the admin view: every code, the unclaimed ones, the claimed ones. */
export interface KeyStats {
  total: number;
  available: number;
  used: number;
}

/** A code found by its text, with what redemption needs to know about its key. */
export interface CodeCandidate {
  code_id: string;
  item_id: number;
  claimed_at: Date | null;
  key_sku: string;
  drm_sku: string | null;
  pre_order: Record<string, unknown> | null;
  game_item_id: number | null;
}

export const gamesRepository = {
  /**
   * Takes up to `quantity` unclaimed codes of the key, in upload order, inside the caller's transaction:
   * `SELECT … FOR UPDATE SKIP LOCKED LIMIT n` picks rows no concurrent claim holds, and the UPDATE marks them
   * claimed. Two claims never return the same code; a claim returns fewer rows only when no free unlocked
   * code is left.
   */
  async claim(ex: Executor, r: ClaimRequest): Promise<ClaimedCode[]> {
    const region =
      r.regionId === undefined || r.regionId === null
        ? sql``
        : sql`AND (region_id IS NULL OR region_id = ${r.regionId})`;
    const { rows } = await sql<ClaimedCode>`
      WITH picked AS (
        SELECT code_id FROM game_codes
        WHERE item_id = ${r.unitItemId} AND claimed_at IS NULL ${region}
        ORDER BY code_id
        LIMIT ${r.quantity}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE game_codes g
      SET claimed_at = clock_timestamp(), claimed_by = ${r.claimedBy}, order_id = ${r.orderId ?? null},
          claim_reason = ${r.reason ?? null}, reserved = ${r.reserve === true}
      FROM picked
      WHERE g.code_id = picked.code_id AND g.claimed_at IS NULL
      RETURNING g.code_id::text AS code_id, g.code
    `.execute(ex);
    return rows;
  },

  /**
   * Sells up to `quantity` of the codes key `itemId` holds for order `orderId` (reserved = false, claimed_at = now),
   * in code order; returns them. Fewer when fewer are still reserved (deleted meanwhile, or never reserved).
   */
  async sellReserved(
    ex: Executor,
    r: { orderId: number; itemId: number; quantity: number },
  ): Promise<ClaimedCode[]> {
    const { rows } = await sql<ClaimedCode>`
      WITH picked AS (
        SELECT code_id FROM game_codes
        WHERE order_id = ${r.orderId} AND item_id = ${r.itemId} AND reserved
        ORDER BY code_id
        LIMIT ${r.quantity}
        FOR UPDATE
      )
      UPDATE game_codes g SET reserved = false, claimed_at = clock_timestamp()
      FROM picked
      WHERE g.code_id = picked.code_id
      RETURNING g.code_id::text AS code_id, g.code
    `.execute(ex);
    return rows;
  },

  /**
   * Gives the codes reserved by the orders `orderIds` back to their pools (every claim column cleared). Returns the
   * keys that got codes back, with their project.
   */
  async releaseReserved(
    ex: Executor,
    orderIds: number[],
  ): Promise<{ project_id: number; item_id: number }[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await sql<{ project_id: number; item_id: number }>`
      WITH released AS (
        UPDATE game_codes
        SET reserved = false, claimed_at = NULL, claimed_by = NULL, order_id = NULL, claim_reason = NULL
        WHERE reserved AND order_id = ANY(${orderIds}::integer[])
        RETURNING project_id, item_id
      )
      SELECT DISTINCT project_id, item_id FROM released
    `.execute(ex);
    return rows;
  },

  /** Claims the code `codeId` if it is still unclaimed (conditional UPDATE); false when it was already taken. */
  async claimById(ex: Executor, codeId: string, claimedBy: string, reason: string): Promise<boolean> {
    const res = await ex
      .updateTable('game_codes')
      .set({ claimed_at: sql`clock_timestamp()`, claimed_by: claimedBy, claim_reason: reason })
      .where('code_id', '=', codeId)
      .where('claimed_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  },

  /**
   * Inserts `codes` (already unique among themselves) into the key's pool in batches; a code the key already
   * has is skipped. Returns how many were inserted.
   */
  async insertCodes(
    ex: Executor,
    p: { projectId: number; itemId: number; regionId: number | null; sessionId: string; codes: string[] },
  ): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < p.codes.length; i += INSERT_BATCH) {
      const batch = p.codes.slice(i, i + INSERT_BATCH);
      const res = await sql`
        INSERT INTO game_codes (project_id, item_id, code, region_id, session_id)
        SELECT ${p.projectId}, ${p.itemId}, c, ${p.regionId}::integer, ${p.sessionId}
        FROM unnest(${batch}::text[]) AS c
        ON CONFLICT (item_id, code) DO NOTHING
      `.execute(ex);
      inserted += Number(res.numAffectedRows ?? 0);
    }
    return inserted;
  },

  /** Deletes the unclaimed codes of the key (of one region when given); returns them. Claimed codes stay. */
  async deleteFree(ex: Executor, itemId: number, regionId: number | null): Promise<string[]> {
    let q = ex.deleteFrom('game_codes').where('item_id', '=', itemId).where('claimed_at', 'is', null);
    if (regionId !== null) q = q.where('region_id', '=', regionId);
    const rows = await q.returning('code').execute();
    return rows.map((r) => r.code);
  },

  /** Unclaimed codes per game key of the project, or of `itemIds` only (keys without free codes are absent). */
  async availableCounts(
    ex: Executor,
    projectId: number,
    itemIds?: readonly number[],
  ): Promise<Map<number, number>> {
    if (itemIds?.length === 0) return new Map();
    let q = ex
      .selectFrom('game_codes')
      .select(['item_id', sql<string>`count(*)`.as('n')])
      .where('project_id', '=', projectId)
      .where('claimed_at', 'is', null);
    if (itemIds) q = q.where('item_id', 'in', [...itemIds]);
    const rows = await q.groupBy('item_id').execute();
    return new Map(rows.map((r) => [r.item_id, Number(r.n)]));
  },

  /** Whether the key has at least one unclaimed code. */
  async hasFree(ex: Executor, itemId: number): Promise<boolean> {
    const row = await ex
      .selectFrom('game_codes')
      .select('code_id')
      .where('item_id', '=', itemId)
      .where('claimed_at', 'is', null)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** total / available / used codes of each key in `itemIds`. */
  async stats(ex: Executor, itemIds: number[]): Promise<Map<number, KeyStats>> {
    if (itemIds.length === 0) return new Map();
    const rows = await ex
      .selectFrom('game_codes')
      .select([
        'item_id',
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) FILTER (WHERE claimed_at IS NULL)`.as('available'),
      ])
      .where('item_id', '=', sql<number>`any(${itemIds})`)
      .groupBy('item_id')
      .execute();
    return new Map(
      rows.map((r) => {
        const total = Number(r.total);
        const available = Number(r.available);
        return [r.item_id, { total, available, used: total - available }];
      }),
    );
  },

  /** Codes with text `code` in the project (any key), with their key's DRM, pre-order and game. */
  codesByText(ex: Executor, projectId: number, code: string): Promise<CodeCandidate[]> {
    return ex
      .selectFrom('game_codes as c')
      .innerJoin('items as k', 'k.item_id', 'c.item_id')
      .select([
        sql<string>`c.code_id::text`.as('code_id'),
        'c.item_id',
        'c.claimed_at',
        'k.sku as key_sku',
        'k.drm_sku',
        'k.pre_order',
        'k.parent_item_id as game_item_id',
      ])
      .where('c.project_id', '=', projectId)
      .where('c.code', '=', code)
      .orderBy('c.code_id')
      .execute();
  },

  /** The code `code` of key `itemId`, if uploaded. */
  findCode(ex: Executor, itemId: number, code: string) {
    return ex
      .selectFrom('game_codes')
      .select([sql<string>`code_id::text`.as('code_id'), 'claimed_at'])
      .where('item_id', '=', itemId)
      .where('code', '=', code)
      .executeTakeFirst();
  },

  /** Records a finished upload session. */
  async insertSession(
    ex: Executor,
    s: {
      session_id: string;
      project_id: number;
      item_id: number;
      region_id: number | null;
      status: string;
      count_total: number;
      count_uploaded: number;
      count_skipped: number;
    },
  ): Promise<void> {
    await ex
      .insertInto('game_code_sessions')
      .values({ ...s, finished_at: sql`clock_timestamp()` })
      .execute();
  },

  /** The upload session `sessionId` of the project. */
  findSession(ex: Executor, projectId: number, sessionId: string) {
    return ex
      .selectFrom('game_code_sessions')
      .select(['session_id', 'count_uploaded', 'count_total', 'count_skipped', 'status'])
      .where('project_id', '=', projectId)
      .where('session_id', '=', sessionId)
      .executeTakeFirst();
  },

  /** Whether region `regionId` exists in the project. */
  async regionExists(ex: Executor, projectId: number, regionId: number): Promise<boolean> {
    const row = await ex
      .selectFrom('regions')
      .select('region_id')
      .where('project_id', '=', projectId)
      .where('region_id', '=', regionId)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** The game keys (item_id, sku, drm_sku) of the game `gameId`, locked for update. */
  keysOf(ex: Executor, gameId: number) {
    return ex
      .selectFrom('items')
      .select(['item_id', 'sku', 'drm_sku'])
      .where('parent_item_id', '=', gameId)
      .where('type', '=', 'game_key')
      .forUpdate()
      .execute();
  },

  /** The item `ref` (by sku or id) of the project: its id, type, sku and parent; locked for update. */
  findItem(ex: Executor, projectId: number, ref: { sku?: string; id?: number }) {
    let q = ex
      .selectFrom('items')
      .select(['item_id', 'type', 'sku', 'parent_item_id', 'drm_sku', 'pre_order'])
      .where('project_id', '=', projectId);
    if (ref.sku !== undefined) q = q.where('sku', '=', ref.sku);
    if (ref.id !== undefined) q = q.where('item_id', '=', ref.id);
    return q.forUpdate().executeTakeFirst();
  },
};
