/**
 * Entitlements (spec group game-keys-entitlement): the games a user owns on the DRM-free platform. A user gets
 * one by redeeming a code of a DRM-free game key (redeem-game-pin-code) or from an admin (grant-entitlement-admin);
 * an admin can take it back (revoke-entitlement-admin); the user lists them (get-user-games).
 *
 * The user is the JWT `sub` in user calls and `user_external_id` in admin calls. `sandbox` (user calls) and
 * `mode: sandbox` (admin calls) keep test entitlements apart from real ones.
 *
 * Redemption claims the code with a conditional UPDATE (`… WHERE claimed_at IS NULL`) in the same transaction as
 * the entitlement insert, so a code is redeemed once even when two requests race (the second gets 5107), and a
 * failed redemption (e.g. 5101) gives the code back.
 */
import type { UnitOfWork, WriteOptions } from '../../db/unit-of-work.js';
import type { Kysely } from 'kysely';
import { defaultImage } from '../../catalog/render.js';
import type { CatalogStore } from '../../catalog/store.js';
import type { DB, Executor } from '../../db/types.js';
import { AppError } from '../../errors/app-error.js';
import { pickLocalized } from '../../lib/locale.js';
import { findDrm, isDrmFree } from '../games/drm.js';
import { isPreOrder } from '../games/model.js';
import { gamesRepository } from '../games/repository.js';
import type { GamesService } from '../games/service.js';
import { entitlementsRepository as repo } from './repository.js';

/** Short name of the DRM-free platform (the `drm` of every entitlement). */
const DRMFREE = 'drmfree';

/** Body of grant-entitlement-admin / revoke-entitlement-admin. */
export interface EntitlementChange {
  user_external_id: string;
  game: { sku: string };
  drm: { sku: string };
  code?: string | null;
  mode: 'default' | 'sandbox';
  user_country?: string | null;
}

/**
 * One owned game as get-user-games lists it. `description` and `image_url` are always strings (the spec types
 * them so and the iOS decoder requires both): `""` for a game without description, the default image for one
 * without image (docs/decisions/0025-sdk-required-fields.md).
 */
export interface OwnedGame {
  name: string;
  description: string;
  project_id: number;
  game_sku: string;
  drm: string;
  image_url: string;
  is_pre_order: boolean;
  attributes: { external_id: string; name: string; values: { external_id: string; value: string }[] }[];
}

export class EntitlementsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly uow: UnitOfWork,
    private readonly catalog: CatalogStore,
    private readonly games: GamesService,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * A page of the games `userId` owns (oldest entitlement first), in `sandbox` mode or not. Names and attributes
   * are in English (the call has no locale).
   */
  async list(
    projectId: number,
    userId: string,
    q: { limit: number; offset: number; sandbox: boolean },
  ): Promise<{ has_more: boolean; total_items_count: number; items: OwnedGame[] }> {
    const { rows, total } = await repo.page(this.db, { projectId, userId, ...q });
    const snapshot = await this.catalog.snapshot(projectId);
    const now = this.clock();
    const items = rows.map((r): OwnedGame => {
      const game = snapshot?.byId.get(r.game_item_id);
      return {
        name: pickLocalized(r.game_name, 'en') ?? r.game_sku,
        description: pickLocalized(r.game_description, 'en') ?? '',
        project_id: projectId,
        game_sku: r.game_sku,
        drm: r.drm,
        image_url: r.image_url || defaultImage('game'),
        is_pre_order: isPreOrder(r.pre_order, now),
        attributes: (game?.attributes ?? []).map((a) => ({
          external_id: a.external_id,
          name: pickLocalized(a.name, 'en') ?? a.external_id,
          values: a.values.map((v) => ({
            external_id: v.external_id,
            value: pickLocalized(v.value, 'en') ?? v.external_id,
          })),
        })),
      };
    });
    return { has_more: q.offset + rows.length < total, total_items_count: total, items };
  }

  /**
   * Redeems `code` for `userId`: the code must belong to a DRM-free key of the project, not be a pre-order, not be
   * used; the user gets the key's game. Checks in this order (spec redeem-game-pin-code):
   * @throws 404/4603 unknown code; 422/5103 the code is not of a DRM-free key; 422/5106 the key is a pre-order;
   *         422/5107 the code was already activated (also when a concurrent request won it); 422/5101 the user
   *         already owns the game (the code is not consumed)
   */
  async redeem(
    projectId: number,
    userId: string,
    code: string,
    sandbox: boolean,
    write: WriteOptions = {},
  ): Promise<void> {
    const keyId = await this.uow.run(write, async ({ trx }) => {
      const candidates = await gamesRepository.codesByText(trx, projectId, code);
      if (candidates.length === 0) throw new AppError('GAME_CODE_NOT_FOUND');
      const drmFree = candidates.filter((c) => isDrmFree(findDrm(c.drm_sku)));
      if (drmFree.length === 0) throw new AppError('DRM_NOT_DRMFREE');
      const c = drmFree.find((x) => x.claimed_at === null) ?? drmFree[0];
      if (c.game_item_id === null) throw new AppError('GAME_CODE_NOT_FOUND');
      if (isPreOrder(c.pre_order, this.clock())) {
        const game = await gamesRepository.findItem(trx, projectId, { id: c.game_item_id });
        throw new AppError(
          'PRE_ORDER_NOT_REDEEMABLE',
          `Item: ${game?.sku ?? c.key_sku} is in pre-order state and can not be redeemed`,
        );
      }
      if (!(await gamesRepository.claimById(trx, c.code_id, userId, 'redeem')))
        throw new AppError('GAME_CODE_ACTIVATED');
      await this.insert(trx, {
        project_id: projectId,
        user_id: userId,
        game_item_id: c.game_item_id,
        unit_item_id: c.item_id,
        drm: DRMFREE,
        sandbox,
        code_id: c.code_id,
        source: 'redeem',
      });
      return c.item_id;
    });
    await this.games.refreshAvailability(projectId, [keyId]);
  }

  /**
   * Gives `user_external_id` the game on the DRM-free platform (admin). With `code`, that code of the game's
   * DRM-free key is consumed.
   * @throws 404/4604 no such game, or it has no DRM-free key; 422/5103 the DRM is not DRM-free;
   *         404/4603 the code is not one of the key's; 422/5107 the code was already activated;
   *         422/5101 the user already owns the game in this mode
   */
  async grant(projectId: number, body: EntitlementChange, write: WriteOptions = {}): Promise<void> {
    const keyId = await this.uow.run(write, async ({ trx }) => {
      const { game, key } = await this.resolve(trx, projectId, body);
      let codeId: string | null = null;
      if (body.code) {
        const row = await gamesRepository.findCode(trx, key.item_id, body.code);
        if (!row) throw new AppError('GAME_CODE_NOT_FOUND');
        if (!(await gamesRepository.claimById(trx, row.code_id, body.user_external_id, 'grant')))
          throw new AppError('GAME_CODE_ACTIVATED');
        codeId = row.code_id;
      }
      await this.insert(trx, {
        project_id: projectId,
        user_id: body.user_external_id,
        game_item_id: game.item_id,
        unit_item_id: key.item_id,
        drm: DRMFREE,
        sandbox: body.mode === 'sandbox',
        code_id: codeId,
        source: 'grant',
      });
      return codeId ? key.item_id : null;
    });
    if (keyId !== null) await this.games.refreshAvailability(projectId, [keyId]);
  }

  /**
   * Takes the game away from `user_external_id` (admin). Revoking an entitlement the user does not have changes
   * nothing. A code consumed by the entitlement stays used.
   * @throws 404/4604 no such game; 422/5103 the DRM is not DRM-free
   */
  async revoke(
    projectId: number,
    body: Omit<EntitlementChange, 'code'>,
    write: WriteOptions = {},
  ): Promise<void> {
    await this.uow.run(write, async ({ trx }) => {
      const { game } = await this.resolve(trx, projectId, body);
      await repo.delete(trx, {
        projectId,
        userId: body.user_external_id,
        gameItemId: game.item_id,
        drm: DRMFREE,
        sandbox: body.mode === 'sandbox',
      });
    });
  }

  /** Inserts an entitlement, or 422/5101 when the user already has it (the transaction then rolls back). */
  private async insert(trx: Executor, e: Parameters<typeof repo.insert>[1]) {
    if (!(await repo.insert(trx, e))) throw new AppError('ENTITLEMENT_EXISTS');
  }

  /**
   * The game of `body.game.sku` (a game, or one of its keys) and its DRM-free key, after checking that
   * `body.drm.sku` names the DRM-free platform (by DRM sku, short name, or the sku of the game's key).
   */
  private async resolve(trx: Executor, projectId: number, body: Omit<EntitlementChange, 'code'>) {
    let game = await gamesRepository.findItem(trx, projectId, { sku: body.game.sku });
    if (game?.type === 'game_key' && game.parent_item_id !== null)
      game = await gamesRepository.findItem(trx, projectId, { id: game.parent_item_id });
    if (!game || game.type !== 'game') throw new AppError('GAME_NOT_FOUND');
    const keys = await gamesRepository.keysOf(trx, game.item_id);
    const named = findDrm(body.drm.sku) ?? findDrm(keys.find((k) => k.sku === body.drm.sku)?.drm_sku);
    if (!isDrmFree(named)) throw new AppError('DRM_NOT_DRMFREE');
    const key = keys.find((k) => isDrmFree(findDrm(k.drm_sku)));
    if (!key) throw new AppError('GAME_NOT_FOUND');
    return { game, key };
  }
}
