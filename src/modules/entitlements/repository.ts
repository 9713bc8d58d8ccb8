/**
 * SQL of entitlements: the games a user owns, one row per (project, user, game, DRM, sandbox). The unique key is
 * what makes "already has entitlement" hold under concurrency. Every method takes the executor first.
 */
import type { Executor } from '../../db/types.js';

export interface NewEntitlement {
  project_id: number;
  user_id: string;
  game_item_id: number;
  unit_item_id: number | null;
  drm: string;
  sandbox: boolean;
  code_id: string | null;
  source: 'redeem' | 'grant' | 'purchase';
}

export const entitlementsRepository = {
  /** Inserts the entitlement unless the user already has it; true when inserted. */
  async insert(ex: Executor, e: NewEntitlement): Promise<boolean> {
    return (await entitlementsRepository.insertReturningId(ex, e)) !== null;
  },

  /** Inserts the entitlement unless the user already has it; its id, or null when it existed (delivery). */
  async insertReturningId(ex: Executor, e: NewEntitlement): Promise<number | null> {
    const row = await ex
      .insertInto('entitlements')
      .values(e)
      .onConflict((oc) => oc.columns(['project_id', 'user_id', 'game_item_id', 'drm', 'sandbox']).doNothing())
      .returning('entitlement_id')
      .executeTakeFirst();
    return row?.entitlement_id ?? null;
  },

  /** Deletes an entitlement by id (a revoked delivery); true when it existed. */
  async deleteById(ex: Executor, entitlementId: number): Promise<boolean> {
    const res = await ex
      .deleteFrom('entitlements')
      .where('entitlement_id', '=', entitlementId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },

  /** Deletes the user's entitlement to the game on `drm`; true when one existed. */
  async delete(
    ex: Executor,
    k: { projectId: number; userId: string; gameItemId: number; drm: string; sandbox: boolean },
  ): Promise<boolean> {
    const res = await ex
      .deleteFrom('entitlements')
      .where('project_id', '=', k.projectId)
      .where('user_id', '=', k.userId)
      .where('game_item_id', '=', k.gameItemId)
      .where('drm', '=', k.drm)
      .where('sandbox', '=', k.sandbox)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  },

  /** A page of the user's entitlements (oldest first) and their total count. */
  async page(
    ex: Executor,
    q: { projectId: number; userId: string; sandbox: boolean; limit: number; offset: number },
  ) {
    const base = ex
      .selectFrom('entitlements')
      .where('entitlements.project_id', '=', q.projectId)
      .where('entitlements.user_id', '=', q.userId)
      .where('entitlements.sandbox', '=', q.sandbox);
    const rows = await base
      .innerJoin('items as g', 'g.item_id', 'entitlements.game_item_id')
      .leftJoin('items as k', 'k.item_id', 'entitlements.unit_item_id')
      .select([
        'entitlements.game_item_id',
        'entitlements.drm',
        'g.sku as game_sku',
        'g.name as game_name',
        'g.description as game_description',
        'g.image_url',
        'k.pre_order',
      ])
      .orderBy('entitlements.entitlement_id')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    const count = await base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(count.n) };
  },
};
