/**
 * Client (catalog) views of games and game keys (seed-details.md D, E, F; §7.1), built on the common item view
 * of the catalog (src/catalog/render.ts renderItem) and registered with it at start-up (`registerGameRenderers`,
 * called by src/services.ts):
 * - a game key (`type: "game_key"`) is the common view plus `drm_name`, `drm_sku`, `has_keys` (its pool has a
 *   free code), `is_pre_order` (pre-order enabled and release date ahead) and `release_date`; the name, description,
 *   image and attributes it does not have of its own are its game's (the image, else the default image); it can be
 *   bought only while its game is enabled and it has a free code or is a pre-order;
 * - a game (`type: "unit"`, `unit_type: "game"`) carries its descriptive fields and `unit_items`: its listed keys,
 *   each reduced to the fields of seed F's `unit_items[]`.
 */
import {
  defaultImage,
  isListed,
  registerItemRenderer,
  renderItem,
  type RenderContext,
} from '../../catalog/render.js';
import { gameKeysOf } from '../../catalog/render-games.js';
import { pickLocalized } from '../../lib/locale.js';
import { findDrm } from '../../model/drm.js';
import { isPreOrder, releaseDateOf } from '../../model/game.js';
import type { ItemRecord } from '../../model/item.js';

/** Fields of a game key inside a game (seed F `unit_items[]`), in that order. */
const UNIT_ITEM_FIELDS = [
  'item_id',
  'sku',
  'type',
  'name',
  'is_free',
  'price',
  'virtual_prices',
  'can_be_bought',
  'drm_name',
  'drm_sku',
  'has_keys',
  'is_pre_order',
  'release_date',
  'promotions',
  'limits',
  'periods',
  'vp_rewards',
] as const;

/** Fields of a game (seed F) taken from the common view, then the requested additional fields. */
const GAME_FIELDS = [
  'item_id',
  'sku',
  'name',
  'description',
  'image_url',
  'attributes',
  'groups',
  'promotions',
];
const ADDITIONAL = ['media_list', 'order', 'long_description', 'custom_attributes'];

function attributesOf(item: ItemRecord, locale: string) {
  return item.attributes.map((a) => ({
    external_id: a.external_id,
    name: pickLocalized(a.name, locale) ?? a.external_id,
    values: a.values.map((v) => ({
      external_id: v.external_id,
      value: pickLocalized(v.value, locale) ?? v.external_id,
    })),
  }));
}

function gameKeyView(key: ItemRecord, base: Record<string, unknown>, ctx: RenderContext) {
  const game = key.parent_item_id === null ? undefined : ctx.snapshot.byId.get(key.parent_item_id);
  const hasKeys = (ctx.snapshot.availableKeys.get(key.item_id) ?? 0) > 0;
  const preOrder = isPreOrder(key.pre_order, ctx.now);
  return {
    ...base,
    description: base.description ?? (game ? pickLocalized(game.description, ctx.locale) : null),
    image_url: key.image_url || game?.image_url || defaultImage(key.type),
    attributes: key.attributes.length === 0 && game ? attributesOf(game, ctx.locale) : base.attributes,
    can_be_bought: base.can_be_bought === true && game?.is_enabled === true && (hasKeys || preOrder),
    drm_name: findDrm(key.drm_sku)?.name ?? key.drm_sku ?? '',
    drm_sku: key.drm_sku ?? '',
    has_keys: hasKeys,
    is_pre_order: preOrder,
    release_date: releaseDateOf(key.pre_order),
  };
}

function gameView(game: ItemRecord, base: Record<string, unknown>, ctx: RenderContext, depth: number) {
  const view: Record<string, unknown> = {};
  for (const f of GAME_FIELDS) view[f] = base[f];
  view.type = 'unit';
  view.unit_type = 'game';
  for (const f of ADDITIONAL) if (f in base) view[f] = base[f];
  view.unit_items = gameKeysOf(ctx.snapshot, game.item_id)
    .filter((k) => isListed(k, ctx, false))
    .map((k) => {
      const full = renderItem(k, ctx, depth + 1);
      const unit: Record<string, unknown> = {};
      for (const f of UNIT_ITEM_FIELDS) unit[f] = full[f];
      return unit;
    });
  return view;
}

/** The catalog view of a game or game key, from its common view `base` (render.ts renderItem). */
export function renderGameItem(
  item: ItemRecord,
  base: Record<string, unknown>,
  ctx: RenderContext,
  depth = 0,
): Record<string, unknown> {
  return item.type === 'game' ? gameView(item, base, ctx, depth) : gameKeyView(item, base, ctx);
}

/** Registers the game and game-key views with the catalog renderer (idempotent; called once at start-up). */
export function registerGameRenderers(): void {
  registerItemRenderer('game', renderGameItem);
  registerItemRenderer('game_key', renderGameItem);
}
